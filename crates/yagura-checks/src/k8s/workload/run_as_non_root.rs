use super::pod::{each_container, is_true, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-011",
    title: "Containers are required to run as a non-root user",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "Without runAsNonRoot the container runs as whatever user its image declares, \
        which is root for most images. Root in a container owns the container's files, keeps \
        the full default capability set and is one kernel or runtime bug away from root on \
        the node. runAsNonRoot makes the kubelet refuse to start a root container.",
    remediation: "Set `securityContext.runAsNonRoot: true` on the pod (or on every container) \
        and make sure the image runs as a numeric non-zero user, or set `runAsUser` to one.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.7",
        "k8s-pss:restricted:running-as-non-root",
        "nsa-cisa-k8s-1.2:pod-non-root",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"runAsNonRoot": true}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "app", "image": "r/app:1", "securityContext": {"runAsNonRoot": false}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "every container must run as non-root",
        |pod, c| match pod.effective(c, "runAsNonRoot") {
            v if is_true(v) => None,
            None => Some("does not set runAsNonRoot (on itself or the pod)".to_string()),
            Some(_) => Some("sets runAsNonRoot: false".to_string()),
        },
    )
}
