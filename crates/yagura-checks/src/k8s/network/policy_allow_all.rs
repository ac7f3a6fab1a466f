use super::common::isolates_ingress;
use crate::k8s::rbac::common::{describe, field, manifest_kind};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-008",
    title: "NetworkPolicy does not allow ingress from every source",
    severity: Severity::Low,
    kind: "k8s.network.policy",
    rationale: "An ingress rule without `from`, or with an ipBlock of 0.0.0.0/0 or ::/0, \
        lets any pod of the cluster and any external address reach the selected pods, \
        undoing the isolation the policy seems to provide.",
    remediation: "List the allowed sources in `from`: pod and namespace selectors for \
        in-cluster callers, and the load balancer's or partner's CIDR ranges for external \
        ones.",
    frameworks: &["nsa-cisa-k8s-1.2:net-network-policies"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "db", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "db"}}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}], "ports": [{"protocol": "TCP", "port": 5432}]}]}}"#,
            r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny", "namespace": "shop"}, "spec": {"podSelector": {}}}"#,
        ],
        fail: &[
            r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "allow-all", "namespace": "shop"}, "spec": {"podSelector": {}, "ingress": [{}]}}"#,
            r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"], "ingress": [{"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]}}"#,
        ],
    },
    notes: "",
};

fn open_source(peer: &Value) -> bool {
    matches!(
        peer.pointer("/ipBlock/cidr").and_then(Value::as_str),
        Some("0.0.0.0/0") | Some("::/0")
    )
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = manifest_kind(r) {
        return o;
    }
    let who = describe(r);
    let rules = match field(r, "/spec/ingress") {
        Ok(None) => return Outcome::Pass(format!("{who} has no ingress rule")),
        Ok(Some(Value::Array(a))) => a,
        Ok(Some(_)) => {
            return Outcome::NotAssessed(format!("the ingress rules of {who} are not a list"))
        }
        Err(o) => return o,
    };
    if !isolates_ingress(r) {
        return Outcome::Pass(format!("{who} does not apply to ingress"));
    }
    let mut open = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        match rule.get("from") {
            None | Some(Value::Null) => open.push(format!("rule #{} has no `from`", i + 1)),
            Some(Value::Array(peers)) if peers.is_empty() => {
                open.push(format!("rule #{} has an empty `from`", i + 1))
            }
            Some(Value::Array(peers)) if peers.iter().any(open_source) => {
                open.push(format!("rule #{} allows ipBlock 0.0.0.0/0 or ::/0", i + 1))
            }
            _ => {}
        }
    }
    if open.is_empty() {
        Outcome::Pass(format!("every ingress rule of {who} names its sources"))
    } else {
        Outcome::Fail(format!(
            "{who} allows ingress from any source: {}",
            open.join("; ")
        ))
    }
}
