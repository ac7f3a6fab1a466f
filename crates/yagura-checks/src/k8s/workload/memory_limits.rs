use super::pod::limit_set;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-023",
    title: "Containers have a memory limit",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "Without a memory limit lets one container consume the node's memory until the kernel kills other processes, possibly other tenants' pods or node agents; a leak or an attack on one workload then takes down its neighbours.",
    remediation: "Set `resources.limits.memory` on every container (for example `512Mi`), sized from observed usage; a LimitRange in the namespace can supply defaults.",
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
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}], "initContainers": [{"name": "init", "image": "r/i:1", "resources": {"requests": {"memory": "1"}}}]}}}"#,
        ],
    },
    notes: "Ephemeral containers cannot declare resources and are not checked.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    limit_set(r, "memory", "memory limit")
}
