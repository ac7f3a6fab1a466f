use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-012",
    title: "Storage account keeps blob versions",
    severity: Severity::Low,
    kind: "azure.storage.account",
    rationale: "Blob versioning keeps the previous state of every overwritten or deleted blob, \
        so data damaged by a faulty job or ransomware can be restored.",
    remediation: "Enable blob versioning (Terraform: `blob_properties { versioning_enabled = \
        true }`) with a lifecycle rule that expires old versions.",
    frameworks: &["nist-800-53-r5:CP-9", "nist-800-53-r5:CP-10"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"blob_versioning": true}"#],
        fail: &[r#"{"blob_versioning": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "blob_versioning",
        true,
        "blob versioning is enabled",
        "blob versioning is disabled",
    )
}
