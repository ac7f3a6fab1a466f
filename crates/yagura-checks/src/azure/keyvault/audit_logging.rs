use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::iac::is_unknown;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-KEYVAULT-007",
    title: "Key Vault audit events are sent to a diagnostic destination",
    severity: Severity::Medium,
    kind: "azure.keyvault.vault",
    rationale: "Key Vault's AuditEvent log records every read of a key or secret and every \
        change to the vault; without a diagnostic setting the record is lost and misuse of \
        secrets cannot be traced.",
    remediation: "Add a diagnostic setting for the vault that sends the `AuditEvent` category \
        (or the `audit` / `allLogs` category group) to Log Analytics, a storage account or an \
        Event Hub (Terraform: `azurerm_monitor_diagnostic_setting` with `target_resource_id = \
        azurerm_key_vault.x.id`).",
    frameworks: &[
        "cis-azure-2.1:5.1.5",
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"diagnostic_logs": ["AuditEvent"]}"#,
            r#"{"diagnostic_logs": ["group:allLogs"]}"#,
        ],
        fail: &[
            r#"{"diagnostic_logs": []}"#,
            r#"{"diagnostic_logs": ["AzurePolicyEvaluationDetails"]}"#,
        ],
    },
    notes: "`diagnostic_logs` lists the log categories (and `group:<name>` category groups) \
        that the vault's diagnostic settings send anywhere.",
};

fn covers_audit(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.eq_ignore_ascii_case("AuditEvent")
            || s.eq_ignore_ascii_case("group:audit")
            || s.eq_ignore_ascii_case("group:allLogs")
    })
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let logs = match r.attr("diagnostic_logs").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    if logs.iter().any(covers_audit) {
        Outcome::Pass("AuditEvent logs are sent to a diagnostic destination".into())
    } else if logs.iter().any(is_unknown) {
        Outcome::NotAssessed(
            "a diagnostic setting's target or categories are unknown until apply".into(),
        )
    } else {
        Outcome::Fail("no diagnostic setting sends the vault's AuditEvent logs".into())
    }
}
