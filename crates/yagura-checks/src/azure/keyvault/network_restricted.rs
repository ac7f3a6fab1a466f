use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-KEYVAULT-003",
    title: "Key Vault is not open to all networks",
    severity: Severity::Medium,
    kind: "azure.keyvault.vault",
    rationale: "A vault reachable from every network can be probed and used with stolen \
        credentials from anywhere; restricting it to private endpoints or listed networks \
        limits what a leaked token can reach.",
    remediation: "Disable public network access and use a private endpoint, or set the network \
        ACL default action to Deny with only the needed addresses and subnets (Terraform: \
        `public_network_access_enabled = false` or `network_acls { default_action = \"Deny\" \
        }`).",
    frameworks: &["cis-azure-2.1:8.7", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"public_network_access": false, "network_acls": null}"#,
            r#"{"public_network_access": true, "network_acls": {"default_action": "Deny", "bypass": "AzureServices"}}"#,
        ],
        fail: &[
            r#"{"public_network_access": true, "network_acls": null}"#,
            r#"{"public_network_access": true, "network_acls": {"default_action": "Allow", "bypass": "AzureServices"}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("public_network_access").bool() {
        Ok(false) => return Outcome::Pass("public network access is disabled".into()),
        Ok(true) => {}
        Err(e) => return e.into(),
    }
    match r.attr("network_acls").value() {
        Ok(v) if v.is_null() => {
            return Outcome::Fail("the vault accepts connections from all networks".into())
        }
        Ok(_) => {}
        Err(e) => return e.into(),
    }
    match r.attr("network_acls.default_action").str() {
        Ok(Some(a)) if a.eq_ignore_ascii_case("deny") => {
            Outcome::Pass("the network ACL denies by default".into())
        }
        Ok(_) => Outcome::Fail("the network ACL allows all networks by default".into()),
        Err(e) => e.into(),
    }
}
