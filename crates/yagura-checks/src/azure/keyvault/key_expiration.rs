use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-KEYVAULT-004",
    title: "Key Vault key has an expiration date",
    severity: Severity::Low,
    kind: "azure.keyvault.key",
    rationale: "A key without an expiration date can stay in use forever; an expiry forces \
        rotation and bounds how long a compromised key remains useful.",
    remediation: "Set an expiration date on the key (Terraform: `expiration_date`), or a \
        rotation policy with `expire_after`, and rotate before it is reached.",
    frameworks: &[
        "cis-azure-2.1:8.1",
        "cis-azure-2.1:8.2",
        "nist-800-53-r5:SC-12",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"expiration_date": "2027-01-01T00:00:00Z", "rotation_policy": null}"#,
            r#"{"expiration_date": null, "rotation_policy": {"expire_after": "P90D", "auto_rotate": true}}"#,
        ],
        fail: &[r#"{"expiration_date": null, "rotation_policy": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("expiration_date").str() {
        Ok(Some(d)) => return Outcome::Pass(format!("the key expires on {d}")),
        Ok(None) => {}
        Err(e) => return e.into(),
    }
    match r.attr("rotation_policy").value() {
        Ok(v) if v.is_null() => Outcome::Fail("the key has no expiration date".into()),
        Ok(_) => match r.attr("rotation_policy.expire_after").str() {
            Ok(Some(p)) => Outcome::Pass(format!("each key version expires after {p}")),
            Ok(None) => Outcome::Fail("the key has no expiration date".into()),
            Err(e) => e.into(),
        },
        Err(e) => e.into(),
    }
}
