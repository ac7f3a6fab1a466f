use super::pod::{capability_names, each_container, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

/// The capabilities the baseline profile lets a container add: the runtime's
/// usual default set, minus NET_RAW.
const BASELINE: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub static CHECK: Check = Check {
    code: "K8S-POD-007",
    title: "Containers add no capabilities beyond the default set",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "Capabilities such as SYS_ADMIN, SYS_PTRACE, NET_ADMIN or SYS_MODULE give a \
        container powers that are close to root on the node: mounting file systems, tracing \
        other processes, rewriting the network or loading kernel modules. Each one is a known \
        container-escape path.",
    remediation: "Remove the extra entries from `securityContext.capabilities.add`. If the \
        workload genuinely needs one, document why, keep it to that single capability and \
        drop ALL the others.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.9",
        "k8s-pss:baseline:capabilities",
        "nsa-cisa-k8s-1.2:pod-capabilities",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE", "CAP_CHOWN"]}}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"add": ["NET_RAW"]}}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "no container adds capabilities beyond the default set",
        |_, c| {
            let extra: Vec<String> =
                capability_names(c.sc("capabilities").and_then(|v| v.get("add")))
                    .into_iter()
                    .filter(|n| !BASELINE.contains(&n.as_str()))
                    .collect();
            (!extra.is_empty()).then(|| format!("adds {}", extra.join(", ")))
        },
    )
}
