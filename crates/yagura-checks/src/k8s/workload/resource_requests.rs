use super::pod::{each_container, RUNNING};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-024",
    title: "Containers request CPU and memory",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "Requests tell the scheduler how much CPU and memory a container needs. \
        Without them the pod lands on nodes that cannot serve it, is the first evicted under \
        pressure (BestEffort class) and makes namespace quotas and capacity planning \
        meaningless.",
    remediation: "Set `resources.requests.cpu` and `resources.requests.memory` on every \
        container from observed usage, or give the namespace a LimitRange with default \
        requests.",
    frameworks: &[
        "nsa-cisa-k8s-1.2:net-resource-policies",
        "nist-800-53-r5:SC-5",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "resources": {"requests": {"cpu": "100m"}}}]}}}"#,
        ],
    },
    notes: "A limit without a request counts as a request: Kubernetes copies the limit into \
        the request. Ephemeral containers cannot declare resources and are not checked.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        RUNNING,
        "every container requests CPU and memory",
        |_, c| {
            let has = |res: &str| {
                ["requests", "limits"].iter().any(|k| {
                    c.get(&format!("resources.{k}.{res}"))
                        .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
                })
            };
            let missing: Vec<&str> = ["cpu", "memory"].into_iter().filter(|r| !has(r)).collect();
            (!missing.is_empty()).then(|| format!("requests no {}", missing.join(" or ")))
        },
    )
}
