use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-SQL-005",
    title: "SQL server auditing is enabled",
    severity: Severity::Medium,
    kind: "azure.sql.server",
    rationale: "Server auditing records logins, queries and permission changes; without it a \
        breach or misuse of the database leaves no trail to investigate.",
    remediation: "Enable server-level auditing to a storage account, Log Analytics or Event Hub \
        (Terraform: `azurerm_mssql_server_extended_auditing_policy`).",
    frameworks: &[
        "cis-azure-2.1:4.1.1",
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"auditing": {"enabled": true, "retention_days": 90}}"#],
        fail: &[
            r#"{"auditing": null}"#,
            r#"{"auditing": {"enabled": false, "retention_days": 0}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("auditing").value() {
        Ok(v) if v.is_null() => Outcome::Fail("no auditing policy is configured".into()),
        Ok(_) => match r.attr("auditing.enabled").bool() {
            Ok(true) => Outcome::Pass("server auditing is enabled".into()),
            Ok(false) => Outcome::Fail("the auditing policy is disabled".into()),
            Err(e) => e.into(),
        },
        Err(e) => e.into(),
    }
}
