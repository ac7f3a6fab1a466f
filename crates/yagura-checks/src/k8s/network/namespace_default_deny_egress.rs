use super::common::{is_default_deny_egress, policies_in, policy_name};
use crate::k8s::rbac::common::{manifest_kind, object_name};
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
    if let Err(o) = manifest_kind(r) {
        return o;
    }
    if r.attr("metadata.name").str().ok().flatten().is_none() {
        return Outcome::NotAssessed("the Namespace has no `metadata.name`".into());
    }
    let ns = object_name(r);
    let policies = policies_in(ctx, ns);
    match policies.iter().find(|p| is_default_deny_egress(p)) {
        Some(p) => Outcome::Pass(format!(
            "NetworkPolicy {} denies egress from every pod of namespace {ns} by default",
            policy_name(p)
        )),
        None if policies.is_empty() => Outcome::Fail(format!(
            "Namespace {ns} has no NetworkPolicy, so no default-deny egress policy"
        )),
        None => Outcome::Fail(format!(
            "no NetworkPolicy of namespace {ns} ({} scanned) denies egress from all pods by default",
            policies.len()
        )),
    }
}
