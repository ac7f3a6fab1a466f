use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-KEYVAULT-001",
    title: "Key Vault is recoverable (soft delete and purge protection)",
    severity: Severity::Medium,
    kind: "azure.keyvault.vault",
    rationale: "Without purge protection a deleted vault, key or secret can be purged at once, \
        destroying keys that encrypt other data for good; soft delete alone can be undone by \
        anyone allowed to purge.",
    remediation: "Enable purge protection on the vault (Terraform: \
        `purge_protection_enabled = true`) and keep soft delete retention at 7-90 days; purge \
        protection cannot be turned off again.",
    frameworks: &["cis-azure-2.1:8.5", "nist-800-53-r5:CP-9"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"soft_delete_retention_days": 90, "purge_protection": true}"#],
        fail: &[
            r#"{"soft_delete_retention_days": 90, "purge_protection": false}"#,
            r#"{"soft_delete_retention_days": null, "purge_protection": true}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let days = match r.attr("soft_delete_retention_days").i64() {
        Ok(d) => d,
        Err(e) => return e.into(),
    };
    let purge = match r.attr("purge_protection").bool() {
        Ok(p) => p,
        Err(e) => return e.into(),
    };
    match (days, purge) {
        (Some(d), true) if d > 0 => Outcome::Pass(format!(
            "soft delete keeps deleted objects {d} days and purge protection is on"
        )),
        (Some(d), false) if d > 0 => {
            Outcome::Fail("purge protection is off: deleted objects can be purged at once".into())
        }
        _ => Outcome::Fail("soft delete is off: deleted objects are gone at once".into()),
    }
}
