use super::pod::Pod;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

/// The SELinux types the baseline profile allows a pod to choose.
const ALLOWED_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

pub static CHECK: Check = Check {
    code: "K8S-POD-016",
    title: "SELinux options keep the container types and set no custom user or role",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "On SELinux nodes the runtime labels containers with a confined type. Choosing \
        another type (such as spc_t or unconfined_t) or a custom SELinux user or role can \
        lift that confinement and give the container the access of a host process.",
    remediation: "Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and set \
        `seLinuxOptions.type` only to one of container_t, container_init_t, container_kvm_t \
        or container_engine_t (or leave it unset). Levels may still be set.",
    frameworks: &[
        "k8s-pss:baseline:selinux",
        "nsa-cisa-k8s-1.2:pod-sandboxing",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"seLinuxOptions": {"level": "s0:c123,c456"}}, "containers": [{"name": "app", "image": "r/app:1", "securityContext": {"seLinuxOptions": {"type": "container_init_t"}}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"seLinuxOptions": {"type": "spc_t"}}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"seLinuxOptions": {"user": "system_u", "role": "system_r"}}}]}}}"#,
        ],
    },
    notes: "",
};

fn problems(opts: Option<&Value>) -> Vec<String> {
    let Some(o) = opts else {
        return vec![];
    };
    let field = |k: &str| o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let mut p = Vec::new();
    if let Some(t) = field("type") {
        if !ALLOWED_TYPES.contains(&t) {
            p.push(format!("SELinux type {t}"));
        }
    }
    if let Some(u) = field("user") {
        p.push(format!("SELinux user {u}"));
    }
    if let Some(role) = field("role") {
        p.push(format!("SELinux role {role}"));
    }
    p
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mut bad = Vec::new();
    let own = problems(pod.sc("seLinuxOptions"));
    if !own.is_empty() {
        bad.push(format!("the pod sets {}", own.join(", ")));
    }
    for c in pod.containers() {
        let own = problems(c.sc("seLinuxOptions"));
        if !own.is_empty() {
            bad.push(format!("{} sets {}", c.label(), own.join(", ")));
        }
    }
    if bad.is_empty() {
        Outcome::Pass("SELinux options keep the confined container types".into())
    } else {
        Outcome::Fail(bad.join("; "))
    }
}
