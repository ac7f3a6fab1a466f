use super::pod::{capability_names, each_container, is_true, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-008",
    title: "Containers drop the NET_RAW capability",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "Most container runtimes grant NET_RAW by default. It lets a process craft raw \
        packets, which is enough to spoof traffic, poison ARP or DNS on the pod network and \
        probe other pods, and it has been the key to several container-escape bugs.",
    remediation: "Add `NET_RAW` (or better `ALL`) to `securityContext.capabilities.drop` of \
        every container and do not add it back. Tools such as ping work without it when the \
        `net.ipv4.ping_group_range` sysctl allows unprivileged ICMP.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.8",
        "nsa-cisa-k8s-1.2:pod-capabilities",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"drop": ["ALL"]}}}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"drop": ["NET_RAW"]}}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["NET_RAW"]}}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(r, ALL, "every container drops NET_RAW", |_, c| {
        if is_true(c.sc("privileged")) {
            return Some("runs privileged and so holds NET_RAW".to_string());
        }
        let caps = c.sc("capabilities");
        let drop = capability_names(caps.and_then(|v| v.get("drop")));
        let add = capability_names(caps.and_then(|v| v.get("add")));
        if add.iter().any(|a| a == "NET_RAW" || a == "ALL") {
            Some("adds NET_RAW".to_string())
        } else if drop.iter().any(|d| d == "NET_RAW" || d == "ALL") {
            None
        } else {
            Some("does not drop NET_RAW".to_string())
        }
    })
}
