use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-006",
    title: "Storage account network rules deny by default",
    severity: Severity::Medium,
    kind: "azure.storage.account",
    rationale: "With the default network action Allow, the account accepts connections from \
        every network; only a default of Deny makes the IP and subnet rules an allow list.",
    remediation: "Set the default network action to Deny and allow only the needed subnets and \
        addresses (Terraform: `network_rules { default_action = \"Deny\" }` or \
        `azurerm_storage_account_network_rules`).",
    frameworks: &["cis-azure-2.1:3.8", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"network_rules": {"default_action": "Deny", "bypass": ["AzureServices"], "ip_rules": [], "subnet_ids": []}}"#,
        ],
        fail: &[
            r#"{"network_rules": {"default_action": "Allow", "bypass": ["AzureServices"], "ip_rules": [], "subnet_ids": []}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("network_rules.default_action").str() {
        Ok(Some(a)) if a.eq_ignore_ascii_case("deny") => {
            Outcome::Pass("the default network action is Deny".into())
        }
        Ok(Some(a)) => Outcome::Fail(format!(
            "the default network action is {a}: every network may connect"
        )),
        Ok(None) => Outcome::Fail("no default network action is set (Allow)".into()),
        Err(e) => e.into(),
    }
}
