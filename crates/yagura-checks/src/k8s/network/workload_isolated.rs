use super::common::{isolates_ingress, policies_in, policy_name, selector_matches};
use crate::k8s::rbac::common::{describe, field};
use crate::{Check, Ctx, Fixtures};
use serde_json::{Map, Value};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-002",
    title: "Workload pods are selected by an ingress NetworkPolicy",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "A pod that no ingress NetworkPolicy selects accepts connections from every \
        pod of the cluster on every port, whatever policies exist for its neighbours. A \
        compromised pod elsewhere can then reach it directly.",
    remediation: "Add a NetworkPolicy in the workload's namespace whose podSelector matches \
        the pod template's labels (or a default-deny policy with `podSelector: {}`) and \
        allow only the sources the workload needs.",
    frameworks: &[
        "cis-kubernetes-1.9:5.3.2",
        "nsa-cisa-k8s-1.2:net-network-policies",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}, "spec": {}, "podTemplate": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"], "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "gateway"}}}]}]}}}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}, "spec": {}, "podTemplate": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}"#,
            r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}, "spec": {}, "podTemplate": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}, "$related": [{"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "egress-only", "namespace": "shop"}, "spec": {"podSelector": {}, "policyTypes": ["Egress"]}}}, {"kind": "k8s.network.policy", "attributes": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "db", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "db"}}}}}]}"#,
        ],
    },
    notes: "Only NetworkPolicies among the scanned manifests count; a policy whose selector \
        uses an unknown operator or value does not count as selecting the pods.",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let template = match field(r, "/podTemplate") {
        Ok(Some(t)) => t,
        Ok(None) => return Outcome::NotAssessed("attribute `podTemplate` was not observed".into()),
        Err(o) => return o,
    };
    let who = describe(r);
    let empty = Map::new();
    let labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let ns = crate::k8s::rbac::common::namespace_of(r);
    let policies = policies_in(ctx, ns);
    if policies.is_empty() {
        return Outcome::Fail(format!(
            "{who}: namespace {ns} has no NetworkPolicy, so its pods accept traffic from any pod"
        ));
    }
    let selecting: Vec<&str> = policies
        .iter()
        .filter(|p| {
            isolates_ingress(p)
                && p.attributes
                    .pointer("/spec/podSelector")
                    .is_some_and(|s| selector_matches(s, labels))
        })
        .map(|p| policy_name(p))
        .collect();
    if selecting.is_empty() {
        Outcome::Fail(format!(
            "{who}: no NetworkPolicy of namespace {ns} ({} scanned) restricts ingress to its pods",
            policies.len()
        ))
    } else {
        Outcome::Pass(format!(
            "{who}: ingress to its pods is restricted by NetworkPolicy {}",
            selecting.join(", ")
        ))
    }
}
