use super::pod::pod_flag_off;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-003",
    title: "Pods do not share the host IPC namespace",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "A pod that sets `hostIPC: true` shares the host IPC namespace and can read and write the shared memory segments and message queues of every process on the node, which often hold application data and allow interference with other workloads.",
    remediation: "Remove `hostIPC: true` from the pod spec (it defaults to false). If the \
        workload is a node agent that truly needs it, isolate it in a dedicated, tightly \
        controlled namespace and document the exception with a `yagura.io/ignore` annotation.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.4",
        "k8s-pss:baseline:host-namespaces",
        "nsa-cisa-k8s-1.2:pod-host-namespaces",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"hostIPC": false, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"hostIPC": true, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    pod_flag_off(r, "hostIPC", "shares the host IPC namespace")
}
