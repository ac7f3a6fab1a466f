use super::pod::{is_true, Pod};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-020",
    title: "Windows pods do not run HostProcess containers",
    severity: Severity::Critical,
    kind: "k8s.workload",
    rationale: "A Windows HostProcess container runs directly on the node as a host process, \
        with the node's network and file system and no container isolation. It has the same \
        reach as an administrator logged on to the node.",
    remediation: "Remove `windowsOptions.hostProcess: true` from the pod and container \
        security contexts; run node management tasks through the node's own tooling or a \
        tightly controlled, documented exception.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.11",
        "k8s-pss:baseline:host-process",
        "nsa-cisa-k8s-1.2:pod-privileged",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"hostNetwork": true, "securityContext": {"windowsOptions": {"hostProcess": true, "runAsUserName": "NT AUTHORITY\\SYSTEM"}}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let host = |v: Option<&serde_json::Value>| is_true(v.and_then(|w| w.get("hostProcess")));
    let mut bad = Vec::new();
    if host(pod.sc("windowsOptions")) {
        bad.push("the pod sets windowsOptions.hostProcess: true".to_string());
    }
    for c in pod.containers() {
        if host(c.sc("windowsOptions")) {
            bad.push(format!(
                "{} sets windowsOptions.hostProcess: true",
                c.label()
            ));
        }
    }
    if bad.is_empty() {
        Outcome::Pass("no HostProcess container".into())
    } else {
        Outcome::Fail(bad.join("; "))
    }
}
