use super::common::{namespace_default_deny, Direction};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-009",
    title: "Namespace has a default-deny egress NetworkPolicy",
    severity: Severity::Low,
    kind: "k8s.core.namespace",
    rationale: "Without egress isolation, a compromised pod can open connections anywhere: \
        to other namespaces, to the cloud metadata service, and out to the internet to \
        download tools or send data away. A default-deny egress policy limits it to the \
        destinations explicitly allowed.",
    remediation: "Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Egress]` and no \
        egress rules, then allow DNS and the destinations each workload needs with further \
        policies.",
    frameworks: &["nsa-cisa-k8s-1.2:net-default-deny"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny-all", "namespace": "shop"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny-ingress", "namespace": "shop"}, "spec": {"podSelector": {}}}}]}"#,
            r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "empty"}}"#,
        ],
    },
    notes: "Only NetworkPolicies among the scanned manifests count.",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    namespace_default_deny(r, ctx, Direction::Egress)
}
