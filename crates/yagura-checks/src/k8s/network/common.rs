//! NetworkPolicy selection and Service helpers shared by the network checks.

use crate::k8s::rbac::common::{field, manifest_kind, namespace_of, object_name, str_list};
use crate::Ctx;
use serde_json::{Map, Value};
use yagura_model::iac::contains_unknown;
use yagura_model::{Outcome, Resource};

pub(crate) const POLICY_KIND: &str = "k8s.network.policy";

/// The NetworkPolicies of namespace `ns` among the scanned resources.
pub(crate) fn policies_in<'a>(ctx: &'a Ctx, ns: &'a str) -> Vec<&'a Resource> {
    ctx.inventory
        .of_kind(POLICY_KIND)
        .filter(|p| namespace_of(p) == ns)
        .collect()
}

/// Whether a label selector selects an object with `labels`. An empty selector
/// selects everything; an operator we do not know selects nothing (we cannot tell).
pub(crate) fn selector_matches(selector: &Value, labels: &Map<String, Value>) -> bool {
    if contains_unknown(selector) {
        return false;
    }
    let get = |k: &str| labels.get(k).and_then(Value::as_str);
    let match_labels = selector
        .get("matchLabels")
        .and_then(Value::as_object)
        .is_none_or(|m| {
            m.iter()
                .all(|(k, v)| get(k).is_some() && get(k) == v.as_str())
        });
    if !match_labels {
        return false;
    }
    let exprs = selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    exprs.iter().all(|e| {
        let Some(key) = e.get("key").and_then(Value::as_str) else {
            return false;
        };
        let values = str_list(e.get("values"));
        let have = get(key);
        match e.get("operator").and_then(Value::as_str) {
            Some("In") => have.is_some_and(|v| values.contains(&v)),
            Some("NotIn") => have.is_none_or(|v| !values.contains(&v)),
            Some("Exists") => have.is_some(),
            Some("DoesNotExist") => have.is_none(),
            _ => false,
        }
    })
}

/// Whether a selector has no terms (it selects every pod of the namespace).
pub(crate) fn selector_is_empty(selector: &Value) -> bool {
    let empty = |k: &str| match selector.get(k) {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    };
    selector.is_object() && empty("matchLabels") && empty("matchExpressions")
}

/// Whether a NetworkPolicy restricts ingress to the pods it selects: `policyTypes`
/// lists Ingress, or is not written (then Ingress is always implied).
pub(crate) fn isolates_ingress(policy: &Resource) -> bool {
    match policy.attributes.pointer("/spec/policyTypes") {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) if a.is_empty() => true,
        types => str_list(types).contains(&"Ingress"),
    }
}

/// Whether a NetworkPolicy denies all ingress to every pod of its namespace: an empty
/// pod selector, ingress isolation, and no ingress rule.
pub(crate) fn is_default_deny_ingress(policy: &Resource) -> bool {
    selects_all_pods_without_rules(policy, "ingress") && isolates_ingress(policy)
}

/// Whether a NetworkPolicy denies all egress from every pod of its namespace. With no
/// egress rules, only an explicit `Egress` in `policyTypes` isolates egress.
pub(crate) fn is_default_deny_egress(policy: &Resource) -> bool {
    let egress_type = str_list(policy.attributes.pointer("/spec/policyTypes")).contains(&"Egress");
    selects_all_pods_without_rules(policy, "egress") && egress_type
}

/// Whether a NetworkPolicy selects every pod of its namespace (empty pod selector)
/// and has no rule in its `rules` list (`ingress` or `egress`).
fn selects_all_pods_without_rules(policy: &Resource, rules: &str) -> bool {
    let spec = policy.attributes.get("spec");
    let all_pods = spec
        .and_then(|s| s.get("podSelector"))
        .is_some_and(selector_is_empty);
    let no_rules = match spec.and_then(|s| s.get(rules)) {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    };
    all_pods && no_rules
}

/// The direction of traffic a default-deny NetworkPolicy closes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Direction {
    Ingress,
    Egress,
}

/// The verdict on a Namespace manifest: PASS when one of its scanned NetworkPolicies
/// denies all traffic of `direction` for every pod by default.
pub(crate) fn namespace_default_deny(r: &Resource, ctx: &Ctx, direction: Direction) -> Outcome {
    if let Err(o) = manifest_kind(r) {
        return o;
    }
    if r.attr("metadata.name").str().ok().flatten().is_none() {
        return Outcome::NotAssessed("the Namespace has no `metadata.name`".into());
    }
    let (denies, name, flow): (fn(&Resource) -> bool, &str, &str) = match direction {
        Direction::Ingress => (is_default_deny_ingress, "ingress", "ingress to"),
        Direction::Egress => (is_default_deny_egress, "egress", "egress from"),
    };
    let ns = object_name(r);
    let policies = policies_in(ctx, ns);
    match policies.iter().find(|p| denies(p)) {
        Some(p) => Outcome::Pass(format!(
            "NetworkPolicy {} denies {flow} every pod of namespace {ns} by default",
            policy_name(p)
        )),
        None if policies.is_empty() => Outcome::Fail(format!(
            "Namespace {ns} has no NetworkPolicy, so no default-deny {name} policy"
        )),
        None => Outcome::Fail(format!(
            "no NetworkPolicy of namespace {ns} ({} scanned) denies {flow} all pods by default",
            policies.len()
        )),
    }
}

/// `metadata.name` of a NetworkPolicy, for messages.
pub(crate) fn policy_name(p: &Resource) -> &str {
    object_name(p)
}

/// Annotations that make a cloud provider create an internal load balancer, with the
/// values that mean "internal".
pub(crate) const INTERNAL_LB_ANNOTATIONS: &[(&str, &[&str])] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        &["true", "0.0.0.0/0"],
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        &["internal"],
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        &["true"],
    ),
    ("networking.gke.io/load-balancer-type", &["internal"]),
    ("cloud.google.com/load-balancer-type", &["internal"]),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        &["true"],
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        &["private"],
    ),
    (
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
        &["intranet"],
    ),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        &["true"],
    ),
];

/// The `spec.type` of a Service manifest (`ClusterIP` when not written).
pub(crate) fn service_type(r: &Resource) -> Result<&str, Outcome> {
    manifest_kind(r)?;
    match field(r, "/spec/type")? {
        None => Ok("ClusterIP"),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(other) => Err(Outcome::NotAssessed(format!(
            "the type of {} is not a string: {other}",
            crate::k8s::rbac::common::describe(r)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn selectors_follow_kubernetes_semantics() {
        let l = labels(json!({"app": "web", "tier": "front"}));
        assert!(selector_matches(&json!({}), &l));
        assert!(selector_matches(
            &json!({"matchLabels": {"app": "web"}}),
            &l
        ));
        assert!(!selector_matches(
            &json!({"matchLabels": {"app": "db"}}),
            &l
        ));
        assert!(selector_matches(
            &json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "edge"]}]}),
            &l
        ));
        assert!(selector_matches(
            &json!({"matchExpressions": [{"key": "env", "operator": "DoesNotExist"}, {"key": "app", "operator": "NotIn", "values": ["db"]}]}),
            &l
        ));
        assert!(!selector_matches(
            &json!({"matchExpressions": [{"key": "app", "operator": "Gt", "values": ["1"]}]}),
            &l
        ));
        assert!(selector_is_empty(&json!({})));
        assert!(selector_is_empty(&json!({"matchLabels": {}})));
        assert!(!selector_is_empty(&json!({"matchLabels": {"a": "b"}})));
    }

    #[test]
    fn default_deny_needs_all_pods_and_no_rules() {
        let mut p = Resource::new(POLICY_KIND, "p", "p");
        p.attributes = json!({"kind": "NetworkPolicy", "spec": {"podSelector": {}}});
        assert!(is_default_deny_ingress(&p));
        p.attributes = json!({"kind": "NetworkPolicy", "spec": {"podSelector": {}, "policyTypes": ["Egress"]}});
        assert!(!is_default_deny_ingress(&p));
        p.attributes =
            json!({"kind": "NetworkPolicy", "spec": {"podSelector": {}, "ingress": [{}]}});
        assert!(!is_default_deny_ingress(&p));
        p.attributes =
            json!({"kind": "NetworkPolicy", "spec": {"podSelector": {"matchLabels": {"a": "b"}}}});
        assert!(!is_default_deny_ingress(&p));
        p.attributes = json!({"kind": "NetworkPolicy", "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}});
        assert!(is_default_deny_egress(&p));
        p.attributes = json!({"kind": "NetworkPolicy", "spec": {"podSelector": {}}});
        assert!(!is_default_deny_egress(&p));
    }
}
