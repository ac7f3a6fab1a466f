use super::pod::{each_container, image_parts, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-025",
    title: "Container images name a fixed tag, not latest",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "An image without a tag, or tagged latest, resolves to whatever was pushed \
        last. Pods of one workload can run different code, a rollback cannot return to a \
        known version, and a compromised registry push reaches production without any \
        change to the manifest.",
    remediation: "Reference every image by an immutable version tag (`app:1.4.2`) or, \
        better, by digest (`app@sha256:...`), and update it through your deployment pipeline.",
    frameworks: &["nsa-cisa-k8s-1.2:pod-secure-images"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "registry.example.com:5000/app:1.4.2"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "app@sha256:4c1e1f5a5e7f9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "nginx"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "registry.example.com:5000/app:latest"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(r, ALL, "every image names a fixed tag or digest", |_, c| {
        let Some(image) = c.image() else {
            // Only ephemeral or template-filled containers lack an image.
            return Some("has no image".to_string());
        };
        match image_parts(image) {
            (_, _, Some(_)) => None,
            (_, None, None) => Some(format!("uses image {image} without a tag")),
            (_, Some("latest"), None) => Some(format!("uses image {image} tagged latest")),
            _ => None,
        }
    })
}
