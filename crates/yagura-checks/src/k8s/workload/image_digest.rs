use super::pod::{each_container, image_parts, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-026",
    title: "Container images are pinned by digest",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "Tags can be moved to other content at any time; only a digest identifies one \
        exact image. Pinning by digest guarantees that what was scanned and approved is what \
        runs, and that a registry compromise cannot silently swap the image.",
    remediation: "Reference images as `name@sha256:<digest>` (optionally keeping the tag for \
        readability: `name:1.4.2@sha256:<digest>`); let a tool such as Renovate or your CI \
        update the digests.",
    frameworks: &["nsa-cisa-k8s-1.2:pod-secure-images"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1.4.2@sha256:4c1e1f5a5e7f9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1.4.2"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(r, ALL, "every image is pinned by digest", |_, c| {
        match c.image() {
            None => Some("has no image".to_string()),
            Some(image) => image_parts(image)
                .2
                .is_none()
                .then(|| format!("uses image {image} without a digest")),
        }
    })
}
