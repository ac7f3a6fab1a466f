use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-SQL-007",
    title: "SQL server has a Microsoft Entra administrator",
    severity: Severity::Medium,
    kind: "azure.sql.server",
    rationale: "Without an Entra (Azure AD) administrator the server can only use SQL logins, \
        which bypass central identity controls such as MFA, conditional access and \
        deprovisioning.",
    remediation: "Configure an Entra administrator group for the server (Terraform: the \
        `azuread_administrator` block of `azurerm_mssql_server`).",
    frameworks: &["cis-azure-2.1:4.1.4", "nist-800-53-r5:IA-2"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"azure_ad_admin": {"login": "sql-admins", "object_id": "00000000-0000-0000-0000-000000000001", "azuread_only": false}}"#,
        ],
        fail: &[r#"{"azure_ad_admin": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("azure_ad_admin").value() {
        Ok(Value::Null) => Outcome::Fail("no Microsoft Entra administrator is set".into()),
        Ok(v) => match v.get("login").and_then(Value::as_str) {
            Some(l) => Outcome::Pass(format!("the Entra administrator is {l}")),
            None => Outcome::Pass("a Microsoft Entra administrator is set".into()),
        },
        Err(e) => e.into(),
    }
}
