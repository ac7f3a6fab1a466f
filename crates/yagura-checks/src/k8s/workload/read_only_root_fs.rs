use super::pod::{each_container, is_true, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-021",
    title: "Containers mount their root file system read-only",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "A writable root file system lets an intruder modify binaries and \
        configuration, drop tools and persist inside the container. With a read-only root, \
        the application writes only to volumes mounted for that purpose, which also makes \
        tampering easy to spot.",
    remediation: "Set `securityContext.readOnlyRootFilesystem: true` on every container and \
        mount an emptyDir at the paths the application must write to (for example /tmp).",
    frameworks: &[
        "nsa-cisa-k8s-1.2:pod-immutable-fs",
        "cis-kubernetes-1.9:5.7.3",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"readOnlyRootFilesystem": true}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"readOnlyRootFilesystem": false}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "every container has a read-only root file system",
        |_, c| {
            (!is_true(c.sc("readOnlyRootFilesystem")))
                .then(|| "has a writable root file system".to_string())
        },
    )
}
