use super::pod::{int, Pod};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-012",
    title: "No container is set to run as user 0",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "runAsUser: 0 forces the container to run as root whatever the image says, \
        overriding a non-root image user. Root in the container owns its files, keeps the \
        default capabilities and is the starting point of most container escapes.",
    remediation: "Remove `runAsUser: 0` from the pod and container security contexts and set \
        a non-zero UID (for example 10001) that the image can run as.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.7",
        "k8s-pss:restricted:running-as-non-root-user",
        "nsa-cisa-k8s-1.2:pod-non-root",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"runAsUser": 10001}, "containers": [{"name": "app", "image": "r/app:1", "securityContext": {"runAsUser": 1000}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"runAsUser": 0}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "initContainers": [{"name": "fix", "image": "r/b:1", "securityContext": {"runAsUser": 0}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mut root = Vec::new();
    // The pod-level value is refused even when every container overrides it.
    if int(pod.sc("runAsUser")) == Some(0) {
        root.push("the pod security context sets runAsUser: 0".to_string());
    }
    for c in pod.containers() {
        if int(c.sc("runAsUser")) == Some(0) {
            root.push(format!("{} sets runAsUser: 0", c.label()));
        }
    }
    if root.is_empty() {
        Outcome::Pass("no security context sets runAsUser: 0".into())
    } else {
        Outcome::Fail(root.join("; "))
    }
}
