use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-008",
    title: "Storage account uses infrastructure (double) encryption",
    severity: Severity::Low,
    kind: "azure.storage.account",
    rationale: "Infrastructure encryption adds a second, independent layer of encryption at \
        rest, so a flaw or compromise of one algorithm or key does not expose the data.",
    remediation: "Create the account with infrastructure encryption enabled (Terraform: \
        `infrastructure_encryption_enabled = true`); it cannot be turned on for an existing \
        account, so data must be copied to a new one.",
    frameworks: &["cis-azure-2.1:3.2", "nist-800-53-r5:SC-28"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"infrastructure_encryption": true}"#],
        fail: &[r#"{"infrastructure_encryption": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "infrastructure_encryption",
        true,
        "infrastructure encryption is enabled",
        "infrastructure encryption is not enabled",
    )
}
