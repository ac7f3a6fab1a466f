use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-SQL-006",
    title: "SQL server audit logs are kept at least 90 days",
    severity: Severity::Low,
    kind: "azure.sql.server",
    rationale: "Intrusions are often found weeks after they start; audit records deleted after \
        a few days cannot show how an attacker got in or what was read.",
    remediation: "Set the auditing retention to 90 days or more, or 0 for unlimited \
        (Terraform: `retention_in_days` on the extended auditing policy).",
    frameworks: &["cis-azure-2.1:4.1.6", "nist-800-53-r5:AU-11"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"auditing": {"enabled": true, "retention_days": 90}}"#,
            r#"{"auditing": {"enabled": true, "retention_days": 0}}"#,
        ],
        fail: &[
            r#"{"auditing": {"enabled": true, "retention_days": 30}}"#,
            r#"{"auditing": null}"#,
        ],
    },
    notes: "A retention of 0 days means the records are never deleted.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("auditing").value() {
        Ok(v) if v.is_null() => return Outcome::Fail("no auditing policy is configured".into()),
        Ok(_) => {}
        Err(e) => return e.into(),
    }
    match r.attr("auditing.enabled").bool() {
        Ok(false) => return Outcome::Fail("auditing is disabled, so nothing is kept".into()),
        Ok(true) => {}
        Err(e) => return e.into(),
    }
    match r.attr("auditing.retention_days").i64() {
        Ok(Some(0)) | Ok(None) => Outcome::Pass("audit records are kept without limit".into()),
        Ok(Some(d)) if d >= 90 => Outcome::Pass(format!("audit records are kept {d} days")),
        Ok(Some(d)) => Outcome::Fail(format!("audit records are kept only {d} days")),
        Err(e) => e.into(),
    }
}
