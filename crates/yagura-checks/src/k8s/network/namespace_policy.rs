use super::common::{policies_in, policy_name};
use crate::k8s::rbac::common::{manifest_kind, object_name};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-001",
    title: "Namespace has at least one NetworkPolicy",
    severity: Severity::Medium,
    kind: "k8s.core.namespace",
    rationale: "Without any NetworkPolicy, every pod of the namespace accepts connections \
        from every pod of the cluster and can reach every other pod, so one compromised \
        workload can probe and attack all the others.",
    remediation: "Add NetworkPolicies to the namespace: at least a default-deny policy \
        (empty podSelector, policyTypes Ingress and Egress) plus policies that allow the \
        flows the applications need.",
    frameworks: &[
        "cis-kubernetes-1.9:5.3.2",
        "nsa-cisa-k8s-1.2:net-network-policies",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "default-deny", "namespace": "shop"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "default-deny", "namespace": "billing"}, "spec": {"podSelector": {}}}}]}"#,
        ],
    },
    notes: "Only NetworkPolicies among the scanned manifests count: scan a namespace's \
        policies together with the namespace.",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    if let Err(o) = manifest_kind(r) {
        return o;
    }
    if r.attr("metadata.name").str().ok().flatten().is_none() {
        return Outcome::NotAssessed("the Namespace has no `metadata.name`".into());
    }
    let ns = object_name(r);
    let policies = policies_in(ctx, ns);
    if policies.is_empty() {
        Outcome::Fail(format!(
            "Namespace {ns} has no NetworkPolicy: its pods accept traffic from anywhere in the cluster"
        ))
    } else {
        let names: Vec<&str> = policies.iter().map(|p| policy_name(p)).collect();
        Outcome::Pass(format!(
            "Namespace {ns} has NetworkPolicies: {}",
            names.join(", ")
        ))
    }
}
