use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-KMS-001",
    title: "Cloud KMS key rotates at least every 90 days",
    severity: Severity::Medium,
    kind: "gcp.kms.crypto_key",
    rationale: "Regular rotation limits the amount of data protected by one key version and the \
        time a compromised version stays in use for new encryptions.",
    remediation: "Set a rotation period of 90 days or less (Terraform: `rotation_period = \
        \"7776000s\"`; gcloud: `gcloud kms keys update KEY --rotation-period 90d \
        --next-rotation-time ...`).",
    frameworks: &["cis-gcp-3.0:1.10", "nist-800-53-r5:SC-12"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"purpose": "ENCRYPT_DECRYPT", "rotation_period_seconds": 7776000}"#,
            r#"{"purpose": "ASYMMETRIC_SIGN", "rotation_period_seconds": null}"#,
        ],
        fail: &[
            r#"{"purpose": "ENCRYPT_DECRYPT", "rotation_period_seconds": null}"#,
            r#"{"purpose": "ENCRYPT_DECRYPT", "rotation_period_seconds": 31536000}"#,
        ],
    },
    notes: "Only symmetric encryption keys can rotate automatically; other purposes pass as \
        not applicable.",
};

const NINETY_DAYS: i64 = 90 * 24 * 3600;

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("purpose").str() {
        Ok(Some("ENCRYPT_DECRYPT")) => {}
        Ok(Some(p)) => {
            return Outcome::Pass(format!(
                "not applicable: {p} keys cannot rotate automatically"
            ))
        }
        Ok(None) => return Outcome::NotAssessed("the key purpose is not known".into()),
        Err(e) => return e.into(),
    }
    match r.attr("rotation_period_seconds").i64() {
        Ok(Some(s)) if s <= NINETY_DAYS => {
            Outcome::Pass(format!("the key rotates every {} days", s / 86400))
        }
        Ok(Some(s)) => Outcome::Fail(format!("the key rotates only every {} days", s / 86400)),
        Ok(None) => Outcome::Fail("the key has no automatic rotation".into()),
        Err(e) => e.into(),
    }
}
