use super::pod::{list, Pod};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

/// Namespaced sysctls the baseline profile considers safe.
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

pub static CHECK: Check = Check {
    code: "K8S-POD-018",
    title: "Pods set only safe sysctls",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "Sysctls outside the safe list are either not isolated per pod, so they \
        change the kernel behaviour of the whole node and its other workloads, or can be used \
        to exhaust node resources. Only the namespaced, proven-safe ones should be set.",
    remediation: "Remove the unsafe entries from `securityContext.sysctls`. If the workload \
        needs a node-level kernel setting, configure it on dedicated nodes through the node \
        configuration instead.",
    frameworks: &[
        "k8s-pss:baseline:sysctls",
        "nsa-cisa-k8s-1.2:pod-sandboxing",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}]}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "65536"}]}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let unsafe_names: Vec<&str> = list(pod.sc("sysctls"))
        .iter()
        .filter_map(|s| s.get("name").and_then(Value::as_str))
        .filter(|n| !SAFE.contains(n))
        .collect();
    if unsafe_names.is_empty() {
        Outcome::Pass("the pod sets no unsafe sysctls".into())
    } else {
        Outcome::Fail(format!(
            "the pod sets unsafe sysctls: {}",
            unsafe_names.join(", ")
        ))
    }
}
