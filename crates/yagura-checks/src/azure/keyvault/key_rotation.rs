use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-KEYVAULT-005",
    title: "Key Vault key rotates automatically",
    severity: Severity::Medium,
    kind: "azure.keyvault.key",
    rationale: "Keys that are never rotated protect ever more data under one secret and stay \
        useful to an attacker indefinitely after a compromise.",
    remediation: "Add a rotation policy with automatic rotation (Terraform: `rotation_policy { \
        automatic { time_before_expiry = \"P30D\" } expire_after = \"P90D\" }`).",
    frameworks: &["cis-azure-2.1:8.8", "nist-800-53-r5:SC-12"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"rotation_policy": {"expire_after": "P90D", "auto_rotate": true}}"#],
        fail: &[
            r#"{"rotation_policy": null}"#,
            r#"{"rotation_policy": {"expire_after": "P90D", "auto_rotate": false}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("rotation_policy").value() {
        Ok(v) if v.is_null() => Outcome::Fail("the key has no rotation policy".into()),
        Ok(_) => match r.attr("rotation_policy.auto_rotate").bool() {
            Ok(true) => Outcome::Pass("the key rotates automatically".into()),
            Ok(false) => Outcome::Fail("the rotation policy does not rotate automatically".into()),
            Err(e) => e.into(),
        },
        Err(e) => e.into(),
    }
}
