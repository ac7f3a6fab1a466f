use super::pod::app_probe_declared;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-035",
    title: "Containers declare a readiness probe",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "Without a readiness probe, Kubernetes sends traffic to a container as soon as it starts, and keeps sending it while the container is overloaded or its dependencies are down; a readiness probe keeps unready pods out of the Service endpoints and makes rollouts wait for healthy pods.",
    remediation: "Add a `readinessProbe` to every container that serves traffic, checking that it can actually answer requests (dependencies included).",
    frameworks: &["nist-800-53-r5:SC-5", "nist-800-53-r5:SI-4"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"kind": "Deployment", "podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}}]}}}"#,
        ],
        fail: &[
            r#"{"kind": "Deployment", "podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "Only regular containers are checked (init and ephemeral containers take no         probes); run-to-completion workloads (Job, CronJob) pass as not serving traffic.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    app_probe_declared(r, "readinessProbe", "readiness probe")
}
