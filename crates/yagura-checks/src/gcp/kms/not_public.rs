use crate::gcp::iam_not_public;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-KMS-002",
    title: "Cloud KMS key is not accessible anonymously or publicly",
    severity: Severity::High,
    kind: "gcp.kms.crypto_key",
    rationale: "A key whose IAM policy names allUsers or allAuthenticatedUsers lets anyone use \
        or manage it, so data it protects can be decrypted by strangers.",
    remediation: "Remove IAM bindings for allUsers and allAuthenticatedUsers from the key \
        (Terraform: `google_kms_crypto_key_iam_member`/`_binding`).",
    frameworks: &["cis-gcp-3.0:1.9", "nist-800-53-r5:AC-3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"iam_members": [{"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": "serviceAccount:app@p.iam.gserviceaccount.com"}]}"#,
        ],
        fail: &[
            r#"{"iam_members": [{"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": "allAuthenticatedUsers"}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match iam_not_public(r, "key") {
        Ok(o) | Err(o) => o,
    }
}
