use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-004",
    title: "No blob container of the storage account is publicly readable",
    severity: Severity::High,
    kind: "azure.storage.account",
    rationale: "A container with public access level Blob or Container serves its blobs (and \
        with Container, its listing) to anyone on the Internet without credentials.",
    remediation: "Set every container's access level to private (Terraform: \
        `container_access_type = \"private\"`) and disallow anonymous access on the account.",
    frameworks: &["cis-azure-2.1:3.17", "nist-800-53-r5:AC-3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"allow_blob_public_access": true, "containers": [{"name": "a", "public_access": "none"}]}"#,
            r#"{"allow_blob_public_access": false, "containers": [{"name": "a", "public_access": "blob"}]}"#,
        ],
        fail: &[
            r#"{"allow_blob_public_access": true, "containers": [{"name": "a", "public_access": "none"}, {"name": "b", "public_access": "container"}]}"#,
        ],
    },
    notes: "A container's public level has no effect while the account disallows anonymous \
        access, so that case passes.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Ok(false) = r.attr("allow_blob_public_access").bool() {
        return Outcome::Pass(
            "the account disallows anonymous access, so no container can be public".into(),
        );
    }
    let containers = match r.attr("containers").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let mut public = Vec::new();
    let mut unknown = Vec::new();
    for c in containers {
        let name = c.get("name").and_then(Value::as_str).unwrap_or("?");
        match c.get("public_access").and_then(Value::as_str) {
            Some("none") => {}
            Some(level) => public.push(format!("{name} ({level})")),
            None => unknown.push(name.to_string()),
        }
    }
    if !public.is_empty() {
        return Outcome::Fail(format!("public containers: {}", public.join(", ")));
    }
    // The account may still allow public containers; only an unknown level leaves doubt.
    if !unknown.is_empty() {
        return Outcome::NotAssessed(format!(
            "the access level of container(s) {} is not known",
            unknown.join(", ")
        ));
    }
    match r.attr("allow_blob_public_access").bool() {
        Ok(_) => Outcome::Pass(format!("all {} container(s) are private", containers.len())),
        Err(e) => e.into(),
    }
}
