use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-STORAGE-002",
    title: "Cloud Storage bucket uses uniform bucket-level access",
    severity: Severity::Medium,
    kind: "gcp.storage.bucket",
    rationale: "With fine-grained ACLs, individual objects can be shared outside IAM and are easy \
        to miss in reviews; uniform access makes IAM the only way to grant access.",
    remediation: "Enable uniform bucket-level access (Terraform: \
        `uniform_bucket_level_access = true`; gcloud: `gcloud storage buckets update \
        gs://NAME --uniform-bucket-level-access`).",
    frameworks: &["cis-gcp-3.0:5.2", "nist-800-53-r5:AC-3"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"uniform_bucket_level_access": true}"#],
        fail: &[r#"{"uniform_bucket_level_access": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "uniform_bucket_level_access",
        true,
        "uniform bucket-level access is enabled",
        "object ACLs are still in effect (uniform bucket-level access is off)",
    )
}
