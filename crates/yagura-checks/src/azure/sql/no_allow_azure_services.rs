use super::firewall::evaluate;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-SQL-002",
    title: "SQL server does not allow access from all Azure services",
    severity: Severity::Medium,
    kind: "azure.sql.server",
    rationale: "The 0.0.0.0 firewall rule (\"Allow Azure services and resources to access this \
        server\") admits connections from any Azure tenant's resources, not only yours.",
    remediation: "Delete the 0.0.0.0-0.0.0.0 firewall rule (Terraform: the \
        `azurerm_mssql_firewall_rule` with start and end `0.0.0.0`) and use virtual network \
        rules or private endpoints for Azure workloads.",
    frameworks: &["cis-azure-2.1:4.1.2", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"public_network_access": true, "firewall_rules": [{"name": "office", "start_ip": "203.0.113.10", "end_ip": "203.0.113.10"}]}"#,
        ],
        fail: &[
            r#"{"public_network_access": true, "firewall_rules": [{"name": "AllowAllWindowsAzureIps", "start_ip": "0.0.0.0", "end_ip": "0.0.0.0"}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    evaluate(
        r,
        |s, e| s == 0 && e == 0,
        "allow access from all Azure services",
        "no firewall rule allows all Azure services",
    )
}
