use super::pod::pod_flag_off;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-004",
    title: "Pods do not share the host network namespace",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "A pod that sets `hostNetwork: true` shares the host network namespace and sees every interface of the node, can sniff traffic of other pods, bind ports on the node's addresses and reach services that listen only on localhost, such as the kubelet or node agents; network policies no longer apply to it.",
    remediation: "Remove `hostNetwork: true` from the pod spec (it defaults to false). If the \
        workload is a node agent that truly needs it, isolate it in a dedicated, tightly \
        controlled namespace and document the exception with a `yagura.io/ignore` annotation.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.5",
        "k8s-pss:baseline:host-namespaces",
        "nsa-cisa-k8s-1.2:pod-host-namespaces",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"hostNetwork": false, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"hostNetwork": true, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    pod_flag_off(r, "hostNetwork", "shares the host network namespace")
}
