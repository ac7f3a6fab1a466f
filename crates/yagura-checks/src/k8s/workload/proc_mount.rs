use super::pod::{each_container, ALL};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-017",
    title: "Containers keep the default /proc mount",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "The default /proc mount masks and makes read-only the kernel paths that \
        leak host information or allow changes to the host (such as /proc/sys and \
        /proc/sysrq-trigger). procMount: Unmasked removes that protection.",
    remediation: "Remove `securityContext.procMount` or set it to `Default`. Unmasked /proc is \
        only meant for nested, user-namespaced container runtimes.",
    frameworks: &[
        "k8s-pss:baseline:proc-mount",
        "nsa-cisa-k8s-1.2:pod-sandboxing",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"procMount": "Default"}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"procMount": "Unmasked"}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "every container keeps the default /proc mount",
        |_, c| match c.sc("procMount").and_then(Value::as_str) {
            None | Some("Default") => None,
            Some(other) => Some(format!("sets procMount {other}")),
        },
    )
}
