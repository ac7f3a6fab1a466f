use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-005",
    title: "Storage account disables public network access",
    severity: Severity::Medium,
    kind: "azure.storage.account",
    rationale: "An account reachable from public networks relies on keys and tokens alone; a \
        leaked SAS token or key can then be used from anywhere on the Internet.",
    remediation: "Disable public network access and reach the account through private \
        endpoints (Terraform: `public_network_access_enabled = false`).",
    frameworks: &["cis-azure-2.1:3.7", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"public_network_access": false}"#],
        fail: &[r#"{"public_network_access": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "public_network_access",
        false,
        "public network access is disabled",
        "the account is reachable from public networks",
    )
}
