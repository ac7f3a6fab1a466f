use super::pod::profile_not_unconfined;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-013",
    title: "Seccomp is not explicitly disabled",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "A seccomp profile of type Unconfined lets the container call every system \
        call of the host kernel, including the rarely used ones behind most kernel exploits. \
        Explicitly unconfining a container removes a layer the runtime default would give.",
    remediation: "Remove `seccompProfile.type: Unconfined` (and the legacy seccomp annotations \
        set to `unconfined`); use `RuntimeDefault`, or a `Localhost` profile that allows the \
        extra system calls the workload needs.",
    frameworks: &[
        "k8s-pss:baseline:seccomp",
        "cis-kubernetes-1.9:5.7.2",
        "nsa-cisa-k8s-1.2:pod-sandboxing",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}]}}}"#,
            r#"{"podTemplate": {"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    profile_not_unconfined(
        r,
        "seccompProfile",
        |k, v| {
            let legacy = k == "seccomp.security.alpha.kubernetes.io/pod"
                || k.starts_with("container.seccomp.security.alpha.kubernetes.io/");
            (legacy && v.as_str() == Some("unconfined"))
                .then(|| format!("annotation {k} is unconfined"))
        },
        "no seccomp profile is set to Unconfined",
    )
}
