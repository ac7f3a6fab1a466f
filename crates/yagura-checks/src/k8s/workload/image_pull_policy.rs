use super::pod::{each_container, image_parts, ALL};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-027",
    title: "Images referenced by tag are always pulled",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "With IfNotPresent or Never, a node reuses whatever image it has cached under \
        that tag: a stale or tampered copy keeps running, and on shared nodes a pod may use a \
        private image another tenant pulled without proving it may read it from the registry.",
    remediation: "Set `imagePullPolicy: Always` on containers whose image is referenced by \
        tag, or reference the image by digest (then the cached copy is the same image).",
    frameworks: &["nsa-cisa-k8s-1.2:pod-secure-images"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "imagePullPolicy": "Always"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app@sha256:4c1e1f5a5e7f9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192", "imagePullPolicy": "IfNotPresent"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:latest", "imagePullPolicy": "Never"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "every image is pulled on each start or pinned by digest",
        |_, c| {
            let Some(image) = c.image() else {
                return Some("has no image".to_string());
            };
            let (_, tag, digest) = image_parts(image);
            if digest.is_some() {
                return None;
            }
            // Kubernetes defaults to Always for untagged and latest images only.
            let policy = match c.get("imagePullPolicy").and_then(Value::as_str) {
                Some(p) => p,
                None if matches!(tag, None | Some("latest")) => "Always",
                None => "IfNotPresent (default)",
            };
            (policy != "Always").then(|| format!("pulls image {image} with policy {policy}"))
        },
    )
}
