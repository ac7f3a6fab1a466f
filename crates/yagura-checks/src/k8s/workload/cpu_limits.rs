use super::pod::limit_set;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-022",
    title: "Containers have a CPU limit",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "Without a CPU limit lets one container use every core of its node, starving the other pods and the node's own agents; a compromised or buggy container can turn this into a denial of service for everything scheduled beside it.",
    remediation: "Set `resources.limits.cpu` on every container (for example `500m`), sized from observed usage; a LimitRange in the namespace can supply defaults.",
    frameworks: &[
        "nsa-cisa-k8s-1.2:net-resource-policies",
        "nist-800-53-r5:SC-5",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}], "initContainers": [{"name": "init", "image": "r/i:1", "resources": {"requests": {"cpu": "1"}}}]}}}"#,
        ],
    },
    notes: "Ephemeral containers cannot declare resources and are not checked.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    limit_set(r, "cpu", "CPU limit")
}
