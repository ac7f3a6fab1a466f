use crate::gcp::{iam_not_public, PUBLIC_MEMBERS};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-STORAGE-001",
    title: "Cloud Storage bucket is not publicly accessible",
    severity: Severity::High,
    kind: "gcp.storage.bucket",
    rationale: "A bucket granting a role or ACL to allUsers or allAuthenticatedUsers exposes its \
        objects to anyone on the Internet (or anyone with any Google account).",
    remediation: "Remove IAM bindings and ACL entries for allUsers and allAuthenticatedUsers \
        (Terraform: `google_storage_bucket_iam_member`/`_binding`, `google_storage_bucket_acl`) \
        and enforce public access prevention.",
    frameworks: &["cis-gcp-3.0:5.1", "nist-800-53-r5:AC-3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"public_access_prevention": "inherited", "iam_members": [{"role": "roles/storage.objectViewer", "member": "group:data@example.com"}], "acl_entities": []}"#,
            r#"{"public_access_prevention": "enforced", "iam_members": [{"role": "roles/storage.objectViewer", "member": "allUsers"}], "acl_entities": []}"#,
        ],
        fail: &[
            r#"{"public_access_prevention": "inherited", "iam_members": [{"role": "roles/storage.objectViewer", "member": "allUsers"}], "acl_entities": []}"#,
            r#"{"public_access_prevention": "inherited", "iam_members": [], "acl_entities": [{"role": "READER", "entity": "allAuthenticatedUsers"}]}"#,
        ],
    },
    notes: "With public access prevention enforced, public grants are rejected by the service, \
        so such a bucket passes.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Ok(Some("enforced")) = r.attr("public_access_prevention").str() {
        return Outcome::Pass("public access prevention is enforced".into());
    }
    let iam = match iam_not_public(r, "bucket") {
        Ok(pass) => pass,
        Err(other) => return other,
    };
    let acl = match r.attr("acl_entities").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let public: Vec<String> = acl
        .iter()
        .filter_map(|e| {
            let entity = e.get("entity").and_then(Value::as_str)?;
            PUBLIC_MEMBERS.contains(&entity).then(|| {
                let role = e.get("role").and_then(Value::as_str).unwrap_or("?");
                format!("{role} to {entity}")
            })
        })
        .collect();
    if !public.is_empty() {
        return Outcome::Fail(format!("the bucket ACL grants {}", public.join(", ")));
    }
    if acl.iter().any(yagura_model::iac::contains_unknown) {
        return Outcome::NotAssessed("some bucket ACL entries are unknown until apply".into());
    }
    match r.attr("public_access_prevention").str() {
        Ok(_) => iam,
        Err(e) => e.into(),
    }
}
