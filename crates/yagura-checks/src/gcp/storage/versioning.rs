use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-STORAGE-004",
    title: "Cloud Storage bucket keeps object versions",
    severity: Severity::Low,
    kind: "gcp.storage.bucket",
    rationale: "Object versioning keeps noncurrent versions of overwritten and deleted objects, \
        so accidental or malicious deletion can be undone.",
    remediation: "Enable versioning (Terraform: `versioning { enabled = true }`) with a \
        lifecycle rule that deletes old noncurrent versions.",
    frameworks: &["nist-800-53-r5:CP-9", "nist-800-53-r5:CP-10"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"versioning": true}"#],
        fail: &[r#"{"versioning": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "versioning",
        true,
        "object versioning is enabled",
        "object versioning is disabled",
    )
}
