use super::pod::{capability_names, each_container, Pod, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-009",
    title: "Containers drop ALL capabilities and add back at most NET_BIND_SERVICE",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "The default capability set of a container runtime is wider than most \
        applications need. Dropping ALL and adding back only what is required (at most \
        NET_BIND_SERVICE to bind low ports) removes whole classes of kernel attack surface \
        and is what the restricted Pod Security profile demands.",
    remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` on every container and \
        keep `capabilities.add` empty or limited to `NET_BIND_SERVICE`.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.10",
        "k8s-pss:restricted:capabilities",
        "nsa-cisa-k8s-1.2:pod-capabilities",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"os": {"name": "windows"}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["CHOWN"]}}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Ok(p) = Pod::of(r) {
        if p.is_windows() {
            return Outcome::Pass("Windows pod: Linux capabilities do not apply".into());
        }
    }
    each_container(
        r,
        ALL,
        "every container drops ALL capabilities and adds back at most NET_BIND_SERVICE",
        |_, c| {
            let caps = c.sc("capabilities");
            let drop = capability_names(caps.and_then(|v| v.get("drop")));
            let add: Vec<String> = capability_names(caps.and_then(|v| v.get("add")))
                .into_iter()
                .filter(|a| a != "NET_BIND_SERVICE")
                .collect();
            let mut p = Vec::new();
            if !drop.iter().any(|d| d == "ALL") {
                p.push("does not drop ALL capabilities".to_string());
            }
            if !add.is_empty() {
                p.push(format!("adds {}", add.join(", ")));
            }
            (!p.is_empty()).then(|| p.join(" and "))
        },
    )
}
