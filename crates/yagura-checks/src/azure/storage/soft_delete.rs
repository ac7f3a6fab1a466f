use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-010",
    title: "Storage account has soft delete for blobs and containers",
    severity: Severity::Medium,
    kind: "azure.storage.account",
    rationale: "Soft delete keeps deleted blobs and containers recoverable for a retention \
        period, so a mistaken or malicious deletion is not permanent data loss.",
    remediation: "Enable blob and container soft delete (Terraform: `blob_properties { \
        delete_retention_policy { days = 7 } container_delete_retention_policy { days = 7 } }`).",
    frameworks: &["cis-azure-2.1:3.11", "nist-800-53-r5:CP-9"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"blob_soft_delete_days": 7, "container_soft_delete_days": 14}"#],
        fail: &[
            r#"{"blob_soft_delete_days": null, "container_soft_delete_days": 7}"#,
            r#"{"blob_soft_delete_days": 7, "container_soft_delete_days": null}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let mut missing = Vec::new();
    let mut days = Vec::new();
    for (attr, what) in [
        ("blob_soft_delete_days", "blobs"),
        ("container_soft_delete_days", "containers"),
    ] {
        match r.attr(attr).i64() {
            Ok(Some(d)) if d > 0 => days.push(format!("{what} {d} days")),
            Ok(_) => missing.push(what),
            Err(e) => return e.into(),
        }
    }
    if missing.is_empty() {
        Outcome::Pass(format!("soft delete keeps {}", days.join(", ")))
    } else {
        Outcome::Fail(format!("soft delete is off for {}", missing.join(" and ")))
    }
}
