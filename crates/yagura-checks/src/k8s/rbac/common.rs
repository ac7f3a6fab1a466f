//! Reading Kubernetes manifests and RBAC rules, shared by the RBAC and network checks.
//!
//! Resource attributes are the manifest object as written. A document whose `kind`
//! was not observed is not a manifest we can reason about (NOT_ASSESSED); inside an
//! observed manifest, a field that is not written has its Kubernetes default.

use serde_json::Value;
use yagura_model::iac::unknown_reason;
use yagura_model::{Outcome, Resource};

/// Kinds that live outside namespaces (among those these checks read).
const CLUSTER_SCOPED: &[&str] = &["ClusterRole", "ClusterRoleBinding", "Namespace"];

/// The manifest's `kind`, or NOT_ASSESSED when the document was not observed.
pub(crate) fn manifest_kind(r: &Resource) -> Result<&str, Outcome> {
    match r.attr("kind").str() {
        Ok(Some(k)) => Ok(k),
        Ok(None) => Err(Outcome::NotAssessed(
            "the manifest has no `kind`".to_string(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `metadata.name`, falling back to the inventory name.
pub(crate) fn object_name(r: &Resource) -> &str {
    r.attributes
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or(&r.name)
}

/// The namespace of a namespaced object: `metadata.namespace`, or `default` when it is
/// not written (where `kubectl apply` without `-n` puts it).
pub(crate) fn namespace_of(r: &Resource) -> &str {
    r.attributes
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
}

/// `Kind ns/name` for namespaced kinds, `Kind name` for cluster-scoped ones.
pub(crate) fn describe(r: &Resource) -> String {
    let kind = r
        .attributes
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("object");
    if CLUSTER_SCOPED.contains(&kind) {
        format!("{kind} {}", object_name(r))
    } else {
        format!("{kind} {}/{}", namespace_of(r), object_name(r))
    }
}

/// A label of the object.
pub(crate) fn label<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    r.attributes
        .pointer("/metadata/labels")
        .and_then(|l| l.get(key))
        .and_then(Value::as_str)
}

/// An annotation of the object.
pub(crate) fn annotation<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    r.attributes
        .pointer("/metadata/annotations")
        .and_then(|l| l.get(key))
        .and_then(Value::as_str)
}

/// Whether the object is one of the defaults the API server creates and reconciles
/// (it carries `kubernetes.io/bootstrapping: rbac-defaults`): users cannot change
/// those, so reporting them is noise.
pub(crate) fn is_builtin(r: &Resource) -> bool {
    label(r, "kubernetes.io/bootstrapping") == Some("rbac-defaults")
}

/// A user-written object and its description for messages: a built-in default
/// (see `is_builtin`) comes back as `Err` with its PASS, as does the verdict of
/// `read` on an object it cannot assess. `what` names the sort ("role", "binding").
fn user_written<'a, T>(
    r: &'a Resource,
    read: fn(&'a Resource) -> Result<T, Outcome>,
    what: &str,
) -> Result<(T, String), Outcome> {
    let t = read(r)?;
    let who = describe(r);
    if is_builtin(r) {
        return Err(Outcome::Pass(format!(
            "{who} is a built-in default {what} reconciled by the API server"
        )));
    }
    Ok((t, who))
}

/// A role's rules, each with its index in `rules`.
pub(crate) type Rules<'a> = Vec<(usize, &'a Value)>;

/// The rules of a user-written Role or ClusterRole, with its description.
pub(crate) fn user_role_rules(r: &Resource) -> Result<(Rules<'_>, String), Outcome> {
    user_written(r, role_rules, "role")
}

/// A user-written RoleBinding or ClusterRoleBinding, with its description.
pub(crate) fn user_binding(r: &Resource) -> Result<(Binding<'_>, String), Outcome> {
    user_written(r, binding, "binding")
}

/// The string items of a list field; a lone string counts as a one-item list.
pub(crate) fn str_list(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => vec![],
    }
}

/// A field of an observed manifest: absent means the Kubernetes default (`None`), an
/// unknown value makes the check NOT_ASSESSED.
pub(crate) fn field<'a>(r: &'a Resource, pointer: &str) -> Result<Option<&'a Value>, Outcome> {
    // Any unknown on the way down hides the value.
    let mut cur = &r.attributes;
    for part in pointer.split('/').filter(|p| !p.is_empty()) {
        if let Some(expr) = unknown_reason(cur) {
            return Err(Outcome::NotAssessed(format!(
                "`{pointer}` is unknown (`{expr}`)"
            )));
        }
        match cur.get(part) {
            Some(v) => cur = v,
            None => return Ok(None),
        }
    }
    if let Some(expr) = unknown_reason(cur) {
        return Err(Outcome::NotAssessed(format!(
            "`{pointer}` is unknown (`{expr}`)"
        )));
    }
    if cur.is_null() {
        Ok(None)
    } else {
        Ok(Some(cur))
    }
}

/// The rules of a Role or ClusterRole, with their positions.
///
/// An aggregated ClusterRole (`aggregationRule`) has its rules filled in by the
/// controller from other ClusterRoles, so what the manifest lists is not what it
/// grants: NOT_ASSESSED (the aggregated roles are checked on their own).
pub(crate) fn role_rules(r: &Resource) -> Result<Vec<(usize, &Value)>, Outcome> {
    let kind = manifest_kind(r)?;
    if kind != "Role" && kind != "ClusterRole" {
        return Err(Outcome::NotAssessed(format!(
            "{} is not a Role or ClusterRole",
            describe(r)
        )));
    }
    let aggregated = field(r, "/aggregationRule/clusterRoleSelectors")?
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if aggregated {
        return Err(Outcome::NotAssessed(format!(
            "{} aggregates other ClusterRoles: its rules are assembled at runtime",
            describe(r)
        )));
    }
    match field(r, "/rules")? {
        None => Ok(vec![]),
        Some(Value::Array(a)) => {
            if a.iter().any(yagura_model::iac::contains_unknown) {
                return Err(Outcome::NotAssessed(format!(
                    "some rules of {} are unknown",
                    describe(r)
                )));
            }
            Ok(a.iter().enumerate().collect())
        }
        Some(_) => Err(Outcome::NotAssessed(format!(
            "the `rules` of {} are not a list",
            describe(r)
        ))),
    }
}

/// One permission: an API group, a resource (optionally `resource/subresource`).
#[derive(Clone, Copy)]
pub(crate) struct Target {
    pub group: &'static str,
    pub resource: &'static str,
}

pub(crate) const fn target(group: &'static str, resource: &'static str) -> Target {
    Target { group, resource }
}

fn group_matches(rule: &Value, group: &str) -> bool {
    str_list(rule.get("apiGroups"))
        .iter()
        .any(|g| *g == "*" || *g == group)
}

/// Resource matching as the RBAC authorizer does it: `*`, the exact
/// `resource/subresource`, or `*/subresource`.
fn resource_matches(rule: &Value, resource: &str) -> bool {
    let sub = resource.split_once('/').map(|(_, s)| s);
    str_list(rule.get("resources")).iter().any(|r| {
        *r == "*"
            || *r == resource
            || sub.is_some_and(|s| r.strip_prefix("*/").is_some_and(|rs| rs == s))
    })
}

/// Whether the rule is limited to named objects (`resourceNames`).
pub(crate) fn is_name_limited(rule: &Value) -> bool {
    !str_list(rule.get("resourceNames")).is_empty()
}

/// The verbs among `verbs` the rule grants on `t` (`*` grants all of them).
pub(crate) fn granted_verbs(rule: &Value, t: Target, verbs: &[&'static str]) -> Vec<&'static str> {
    if !group_matches(rule, t.group) || !resource_matches(rule, t.resource) {
        return vec![];
    }
    let rule_verbs = str_list(rule.get("verbs"));
    if rule_verbs.contains(&"*") {
        return verbs.to_vec();
    }
    verbs
        .iter()
        .copied()
        .filter(|v| rule_verbs.contains(v))
        .collect()
}

/// One grant found in a role: the rule's position, the target and the verbs.
pub(crate) struct Grant {
    pub rule: usize,
    pub target: Target,
    pub verbs: Vec<&'static str>,
}

impl std::fmt::Display for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let group = if self.target.group.is_empty() {
            "core"
        } else {
            self.target.group
        };
        write!(
            f,
            "rule #{} allows {} on {} ({group})",
            self.rule + 1,
            self.verbs.join(", "),
            self.target.resource
        )
    }
}

/// The evaluation of the "role must not grant X" checks: FAIL listing every grant of
/// the listed verbs on their target, PASS otherwise. Rules limited to `resourceNames` are
/// ignored when `allow_named` (access to a few named objects is the minimization
/// those benchmarks ask for).
pub(crate) fn deny_grants(
    r: &Resource,
    targets: &[(Target, &[&'static str])],
    allow_named: bool,
    what: &str,
) -> Outcome {
    let (rules, who) = match user_role_rules(r) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let mut grants = Vec::new();
    for (i, rule) in &rules {
        if allow_named && is_name_limited(rule) {
            continue;
        }
        for (t, verbs) in targets {
            let v = granted_verbs(rule, *t, verbs);
            if !v.is_empty() {
                grants.push(Grant {
                    rule: *i,
                    target: *t,
                    verbs: v,
                });
            }
        }
    }
    if grants.is_empty() {
        Outcome::Pass(format!("{who} does not grant {what}"))
    } else {
        let list: Vec<String> = grants.iter().map(|g| g.to_string()).collect();
        Outcome::Fail(format!("{who} grants {what}: {}", list.join("; ")))
    }
}

/// The evaluation of the "no wildcard in field X" checks.
pub(crate) fn deny_wildcard(r: &Resource, key: &str, what: &str) -> Outcome {
    let (rules, who) = match user_role_rules(r) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let hits: Vec<String> = rules
        .iter()
        .filter(|(_, rule)| str_list(rule.get(key)).contains(&"*"))
        .map(|(i, _)| format!("#{}", i + 1))
        .collect();
    if hits.is_empty() {
        Outcome::Pass(format!("no rule of {who} uses `*` in {key}"))
    } else {
        Outcome::Fail(format!(
            "{who} uses `*` in {key} ({what}) in rule(s) {}",
            hits.join(", ")
        ))
    }
}

/// `roleRef` and `subjects` of a RoleBinding or ClusterRoleBinding.
pub(crate) struct Binding<'a> {
    pub role_kind: &'a str,
    pub role_name: &'a str,
    pub subjects: Vec<&'a Value>,
}

pub(crate) fn binding(r: &Resource) -> Result<Binding<'_>, Outcome> {
    let kind = manifest_kind(r)?;
    if kind != "RoleBinding" && kind != "ClusterRoleBinding" {
        return Err(Outcome::NotAssessed(format!(
            "{} is not a RoleBinding or ClusterRoleBinding",
            describe(r)
        )));
    }
    // roleRef is required by the API, so a binding without it was not fully observed.
    let role_ref = match field(r, "/roleRef")? {
        Some(v) => v,
        None => {
            return Err(Outcome::NotAssessed(format!(
                "{} has no `roleRef`",
                describe(r)
            )))
        }
    };
    let role_kind = role_ref.get("kind").and_then(Value::as_str);
    let role_name = role_ref.get("name").and_then(Value::as_str);
    let (Some(role_kind), Some(role_name)) = (role_kind, role_name) else {
        return Err(Outcome::NotAssessed(format!(
            "the `roleRef` of {} has no literal kind and name",
            describe(r)
        )));
    };
    let subjects = match field(r, "/subjects")? {
        None => vec![],
        Some(Value::Array(a)) => {
            if a.iter().any(yagura_model::iac::contains_unknown) {
                return Err(Outcome::NotAssessed(format!(
                    "some subjects of {} are unknown",
                    describe(r)
                )));
            }
            a.iter().collect()
        }
        Some(_) => {
            return Err(Outcome::NotAssessed(format!(
                "the `subjects` of {} are not a list",
                describe(r)
            )))
        }
    };
    Ok(Binding {
        role_kind,
        role_name,
        subjects,
    })
}

/// `Kind name` of a subject, with the namespace of service accounts.
pub(crate) fn describe_subject(s: &Value) -> String {
    let kind = s.get("kind").and_then(Value::as_str).unwrap_or("?");
    let name = s.get("name").and_then(Value::as_str).unwrap_or("?");
    match s.get("namespace").and_then(Value::as_str) {
        Some(ns) if kind == "ServiceAccount" => format!("{kind} {ns}/{name}"),
        _ => format!("{kind} {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resource_matching_follows_rbac() {
        let r = json!({"apiGroups": [""], "resources": ["*/exec"], "verbs": ["create"]});
        assert_eq!(
            granted_verbs(&r, target("", "pods/exec"), &["create", "get"]),
            vec!["create"]
        );
        assert!(granted_verbs(&r, target("", "pods"), &["create"]).is_empty());
        let all = json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]});
        assert_eq!(
            granted_verbs(&all, target("apps", "deployments"), &["create"]),
            vec!["create"]
        );
        let other = json!({"apiGroups": ["apps"], "resources": ["secrets"], "verbs": ["get"]});
        assert!(granted_verbs(&other, target("", "secrets"), &["get"]).is_empty());
    }

    #[test]
    fn unknown_fields_are_not_assessed() {
        let mut r = Resource::new("k8s.rbac.role", "x", "x");
        r.attributes = json!({"kind": "Role", "rules": {"$unknown": "values.rules"}});
        assert!(matches!(role_rules(&r), Err(Outcome::NotAssessed(_))));
    }

    #[test]
    fn aggregated_and_builtin_roles() {
        let mut r = Resource::new("k8s.rbac.role", "x", "x");
        r.attributes = json!({"kind": "ClusterRole", "metadata": {"name": "monitoring"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}}]},
            "rules": []});
        assert!(matches!(
            deny_wildcard(&r, "verbs", "x"),
            Outcome::NotAssessed(_)
        ));
        r.attributes = json!({"kind": "ClusterRole",
            "metadata": {"name": "admin", "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"}},
            "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]});
        assert!(matches!(deny_wildcard(&r, "verbs", "x"), Outcome::Pass(_)));
        r.attributes = json!({"kind": "ClusterRole", "metadata": {"name": "named"},
            "rules": [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["a"], "verbs": ["get"]}]});
        let t = [(target("", "secrets"), &["get"][..])];
        assert!(matches!(deny_grants(&r, &t, true, "x"), Outcome::Pass(_)));
        assert!(matches!(deny_grants(&r, &t, false, "x"), Outcome::Fail(_)));
    }
}
