use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-009",
    title: "Storage account is encrypted with a customer-managed key",
    severity: Severity::Low,
    kind: "azure.storage.account",
    rationale: "With a customer-managed key in Key Vault you control rotation, can revoke \
        access to the data by disabling the key, and keep an audit trail of its use.",
    remediation: "Configure a Key Vault key for the account (Terraform: a `customer_managed_key` \
        block or `azurerm_storage_account_customer_managed_key`).",
    frameworks: &["cis-azure-2.1:3.12", "nist-800-53-r5:SC-12"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"customer_managed_key": {"key_id": "https://kv.vault.azure.net/keys/k"}}"#],
        fail: &[r#"{"customer_managed_key": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("customer_managed_key").value() {
        Ok(Value::Null) => Outcome::Fail("the account uses Microsoft-managed keys".into()),
        Ok(v) => match v.get("key_id").and_then(Value::as_str) {
            Some(k) => Outcome::Pass(format!("the account is encrypted with key {k}")),
            None => Outcome::Pass("the account is encrypted with a customer-managed key".into()),
        },
        Err(e) => e.into(),
    }
}
