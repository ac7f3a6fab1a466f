use super::pod::{int, list, Pod};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-037",
    title: "No container runs with the root group",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "Group 0 owns many files on the node and in images. A process running with GID \
        0 (runAsGroup, fsGroup or a supplemental group) can read and write those files through \
        group permissions even when its user is not root, which undoes part of running as \
        non-root.",
    remediation: "Set `runAsGroup` and `fsGroup` to a non-zero GID (for example 10001) and \
        remove 0 from `supplementalGroups`.",
    frameworks: &["nsa-cisa-k8s-1.2:pod-non-root"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"runAsGroup": 10001, "fsGroup": 10001}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"fsGroup": 0}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"runAsGroup": 0}}]}}}"#,
        ],
    },
    notes: "An unset group is the image's choice and is not reported; K8S-POD-011 covers the \
        user.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mut bad = Vec::new();
    for key in ["runAsGroup", "fsGroup"] {
        if int(pod.sc(key)) == Some(0) {
            bad.push(format!("the pod sets {key}: 0"));
        }
    }
    if list(pod.sc("supplementalGroups"))
        .iter()
        .any(|g| int(Some(g)) == Some(0))
    {
        bad.push("the pod lists group 0 in supplementalGroups".to_string());
    }
    for c in pod.containers() {
        if int(c.sc("runAsGroup")) == Some(0) {
            bad.push(format!("{} sets runAsGroup: 0", c.label()));
        }
    }
    if bad.is_empty() {
        Outcome::Pass("no security context selects group 0".into())
    } else {
        Outcome::Fail(bad.join("; "))
    }
}
