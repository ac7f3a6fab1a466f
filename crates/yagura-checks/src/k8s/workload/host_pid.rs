use super::pod::pod_flag_off;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-002",
    title: "Pods do not share the host process ID namespace",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "A pod that sets `hostPID: true` shares the host process ID namespace and can see and signal every process on the node, read their environment through /proc and attach to them, which breaks the isolation between the pod and the node's other workloads.",
    remediation: "Remove `hostPID: true` from the pod spec (it defaults to false). If the \
        workload is a node agent that truly needs it, isolate it in a dedicated, tightly \
        controlled namespace and document the exception with a `yagura.io/ignore` annotation.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.3",
        "k8s-pss:baseline:host-namespaces",
        "nsa-cisa-k8s-1.2:pod-host-namespaces",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"hostPID": false, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"hostPID": true, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    pod_flag_off(r, "hostPID", "shares the host process ID namespace")
}
