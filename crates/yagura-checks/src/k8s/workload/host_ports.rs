use super::pod::{each_container, int, list, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-006",
    title: "Containers do not bind host ports",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "A hostPort publishes the container directly on the node's address, bypassing \
        Services and often network policies, and ties the pod to nodes where the port is free. \
        It widens the attack surface of every node the pod lands on.",
    remediation: "Remove `hostPort` from the container's ports and expose the workload through \
        a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress instead.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.13",
        "k8s-pss:baseline:host-ports",
        "nsa-cisa-k8s-1.2:pod-host-access",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "web", "image": "r/web:1", "ports": [{"containerPort": 8080}]}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "web", "image": "r/web:1", "ports": [{"containerPort": 8080, "hostPort": 0}]}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "web", "image": "r/web:1", "ports": [{"containerPort": 8080, "hostPort": 80}]}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(r, ALL, "no container binds a host port", |_, c| {
        let ports: Vec<String> = list(c.get("ports"))
            .iter()
            .filter_map(|p| int(p.get("hostPort")).filter(|&n| n != 0))
            .map(|n| n.to_string())
            .collect();
        (!ports.is_empty()).then(|| format!("binds host port {}", ports.join(", ")))
    })
}
