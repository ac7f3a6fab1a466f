use super::pod::{each_container, ALL};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-036",
    title: "Pods and containers carry a security context",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "A container with neither its own nor a pod-level security context runs with \
        every runtime default: possibly as root, with privilege escalation allowed, the full \
        default capability set, no seccomp profile and a writable root file system. Setting \
        one is the first step of every other pod hardening control.",
    remediation: "Add a pod `securityContext` (runAsNonRoot, runAsUser, seccompProfile) and a \
        container `securityContext` (allowPrivilegeEscalation: false, readOnlyRootFilesystem: \
        true, capabilities.drop: [ALL]).",
    frameworks: &["cis-kubernetes-1.9:5.7.3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"allowPrivilegeEscalation": false}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn non_empty(v: Option<&Value>) -> bool {
    v.and_then(Value::as_object).is_some_and(|m| !m.is_empty())
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "every container has a security context",
        |pod, c| {
            (!non_empty(c.get("securityContext")) && !non_empty(pod.get("securityContext")))
                .then(|| "has no security context, nor does the pod".to_string())
        },
    )
}
