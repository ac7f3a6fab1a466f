use super::common::{namespace_default_deny, Direction};
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
    namespace_default_deny(r, ctx, Direction::Ingress)
}
