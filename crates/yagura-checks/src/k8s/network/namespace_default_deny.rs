use super::common::{is_default_deny_ingress, policies_in, policy_name};
use crate::k8s::rbac::common::{manifest_kind, object_name};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-003",
    title: "Namespace has a default-deny ingress NetworkPolicy",
    severity: Severity::Low,
    kind: "k8s.core.namespace",
    rationale: "Policies that only allow specific flows leave every pod they do not select \
        open. A default-deny policy selecting all pods makes a new workload closed until \
        someone allows its traffic, instead of open until someone remembers to restrict it.",
    remediation: "Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress]` (and \
        Egress, if you also restrict outbound traffic) and no ingress rules, then allow the \
        needed flows with further policies.",
    frameworks: &[
        "nsa-cisa-k8s-1.2:net-default-deny",
        "cis-kubernetes-1.9:5.3.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny-all", "namespace": "shop"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "gateway"}}}]}]}}}]}"#,
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "empty"}}"#,
        ],
    },
    notes: "Only NetworkPolicies among the scanned manifests count.",
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
    match policies.iter().find(|p| is_default_deny_ingress(p)) {
        Some(p) => Outcome::Pass(format!(
            "NetworkPolicy {} denies ingress to every pod of namespace {ns} by default",
            policy_name(p)
        )),
        None if policies.is_empty() => Outcome::Fail(format!(
            "Namespace {ns} has no NetworkPolicy, so no default-deny ingress policy"
        )),
        None => Outcome::Fail(format!(
            "no NetworkPolicy of namespace {ns} ({} scanned) denies ingress to all pods by default",
            policies.len()
        )),
    }
}
