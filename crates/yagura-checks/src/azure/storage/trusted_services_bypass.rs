use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-007",
    title: "Storage account firewall lets trusted Azure services through",
    severity: Severity::Low,
    kind: "azure.storage.account",
    rationale: "When the firewall denies by default without the trusted-services exception, \
        Azure services such as backup, monitoring and log export cannot reach the account, \
        which pushes teams to open the firewall wider instead.",
    remediation: "Add `AzureServices` to the network rules' bypass list (Terraform: \
        `bypass = [\"AzureServices\"]`).",
    frameworks: &["cis-azure-2.1:3.9"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"network_rules": {"default_action": "Deny", "bypass": ["AzureServices", "Logging"]}}"#,
        ],
        fail: &[r#"{"network_rules": {"default_action": "Deny", "bypass": ["None"]}}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let bypass = match r.attr("network_rules.bypass").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    if bypass.iter().any(|b| {
        b.as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("AzureServices"))
    }) {
        Outcome::Pass("trusted Azure services may bypass the firewall".into())
    } else if bypass.iter().any(yagura_model::iac::is_unknown) {
        Outcome::NotAssessed("the bypass list is unknown until apply".into())
    } else {
        let list: Vec<&str> = bypass.iter().filter_map(Value::as_str).collect();
        Outcome::Fail(format!(
            "the firewall bypass list [{}] does not include AzureServices",
            list.join(", ")
        ))
    }
}
