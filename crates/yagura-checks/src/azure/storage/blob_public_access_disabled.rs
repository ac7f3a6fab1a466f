use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-003",
    title: "Storage account does not allow anonymous blob access",
    severity: Severity::High,
    kind: "azure.storage.account",
    rationale: "While the account allows anonymous blob access, any container can be switched \
        to public read by one setting, exposing its blobs to anyone with the URL.",
    remediation: "Disallow anonymous access on the account (Terraform: \
        `allow_nested_items_to_be_public = false`; CLI: `az storage account update \
        --allow-blob-public-access false`).",
    frameworks: &["cis-azure-2.1:3.17", "nist-800-53-r5:AC-3"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"allow_blob_public_access": false}"#],
        fail: &[r#"{"allow_blob_public_access": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "allow_blob_public_access",
        false,
        "anonymous blob access is disallowed on the account",
        "the account allows containers to be made public",
    )
}
