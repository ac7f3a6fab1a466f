use super::pod::app_probe_declared;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-034",
    title: "Containers declare a liveness probe",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "Without a liveness probe, a container that hangs (a deadlock, an exhausted pool) keeps running and keeps receiving work; a liveness probe lets the kubelet detect and restart it, which also limits the impact of attacks that wedge the process.",
    remediation: "Add a `livenessProbe` (HTTP, TCP, gRPC or exec) to every container that checks that the process can still make progress, with a failure threshold generous enough to avoid restart loops.",
    frameworks: &["nist-800-53-r5:CP-10", "nist-800-53-r5:SI-4"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"kind": "Deployment", "podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}}]}}}"#,
        ],
        fail: &[
            r#"{"kind": "Deployment", "podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "Only regular containers are checked (init and ephemeral containers take no         probes); run-to-completion workloads (Job, CronJob) pass as not serving traffic.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    app_probe_declared(r, "livenessProbe", "liveness probe")
}
