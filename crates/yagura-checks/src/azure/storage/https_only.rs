use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-001",
    title: "Storage account accepts HTTPS requests only",
    severity: Severity::Medium,
    kind: "azure.storage.account",
    rationale: "When secure transfer is not required the account also serves plain HTTP, so \
        data and shared keys or SAS tokens in requests can be read or altered on the network.",
    remediation: "Require secure transfer on the account (Terraform: \
        `https_traffic_only_enabled = true`, the provider default; CLI: `az storage account \
        update --https-only true`).",
    frameworks: &["cis-azure-2.1:3.1", "nist-800-53-r5:SC-8"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"https_only": true}"#],
        fail: &[r#"{"https_only": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "https_only",
        true,
        "the account only accepts HTTPS requests",
        "the account accepts plain HTTP requests",
    )
}
