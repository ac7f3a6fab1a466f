use super::pod::{each_container, Pod, ALL};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-014",
    title: "A RuntimeDefault or Localhost seccomp profile is set",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "Kubernetes runs containers without seccomp unless a profile is requested \
        (or the kubelet's opt-in default is on). The runtime's default profile blocks dozens \
        of dangerous system calls at almost no cost, so every pod should ask for it, or for a \
        tailored Localhost profile.",
    remediation: "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec \
        (containers inherit it), or `Localhost` with a `localhostProfile` installed on the \
        nodes.",
    frameworks: &[
        "k8s-pss:restricted:seccomp",
        "cis-kubernetes-1.9:5.7.2",
        "nsa-cisa-k8s-1.2:pod-sandboxing",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "app", "image": "r/app:1", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}]}}}"#,
        ],
    },
    notes: "Only the securityContext fields count: the alpha seccomp annotations are no \
        longer honoured by current Kubernetes releases.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Ok(p) = Pod::of(r) {
        if p.is_windows() {
            return Outcome::Pass("Windows pod: seccomp does not apply".into());
        }
    }
    each_container(
        r,
        ALL,
        "every container runs with a RuntimeDefault or Localhost seccomp profile",
        |pod, c| {
            let t = pod
                .effective(c, "seccompProfile")
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str);
            match t {
                Some("RuntimeDefault" | "Localhost") => None,
                Some(other) => Some(format!("runs with seccomp profile {other}")),
                None => Some("has no seccomp profile (on itself or the pod)".to_string()),
            }
        },
    )
}
