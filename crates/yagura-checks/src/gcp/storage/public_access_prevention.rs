use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-STORAGE-003",
    title: "Cloud Storage bucket enforces public access prevention",
    severity: Severity::Medium,
    kind: "gcp.storage.bucket",
    rationale: "Public access prevention makes the service refuse any grant to allUsers or \
        allAuthenticatedUsers, so a single mistaken binding cannot publish the bucket.",
    remediation: "Set public access prevention to enforced on the bucket (Terraform: \
        `public_access_prevention = \"enforced\"`) or through the organisation policy \
        `storage.publicAccessPrevention`.",
    frameworks: &["cis-gcp-3.0:5.1", "nist-800-53-r5:AC-3"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"public_access_prevention": "enforced"}"#],
        fail: &[r#"{"public_access_prevention": "inherited"}"#],
    },
    notes: "`inherited` fails because the organisation policy is not visible from the bucket.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("public_access_prevention").str() {
        Ok(Some("enforced")) => Outcome::Pass("public access prevention is enforced".into()),
        Ok(Some(v)) => Outcome::Fail(format!(
            "public access prevention is {v}, not enforced on the bucket"
        )),
        Ok(None) => Outcome::Fail("public access prevention is not set".into()),
        Err(e) => e.into(),
    }
}
