use super::common::service_type;
use crate::k8s::rbac::common::describe;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-004",
    title: "Service is not of type NodePort",
    severity: Severity::Medium,
    kind: "k8s.core.service",
    rationale: "A NodePort Service opens the same port on every node of the cluster, on all \
        the node's addresses, outside the control of Ingress and load balancer settings. \
        Node firewalls are then the only barrier, and nodes are often reachable more widely \
        than intended.",
    remediation: "Use a ClusterIP Service behind an Ingress, or a LoadBalancer Service \
        restricted with `loadBalancerSourceRanges`; if NodePort is truly needed, restrict \
        the node ports with firewall rules.",
    frameworks: &["nsa-cisa-k8s-1.2:net-exposure"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"selector": {"app": "api"}, "ports": [{"port": 80, "targetPort": 8080}]}}"#,
        ],
        fail: &[
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"type": "NodePort", "selector": {"app": "api"}, "ports": [{"port": 80, "targetPort": 8080, "nodePort": 30080}]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let t = match service_type(r) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let who = describe(r);
    if t == "NodePort" {
        Outcome::Fail(format!(
            "{who} is of type NodePort: its ports are open on every node"
        ))
    } else {
        Outcome::Pass(format!("{who} is of type {t}"))
    }
}
