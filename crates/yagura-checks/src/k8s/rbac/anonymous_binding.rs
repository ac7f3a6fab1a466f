use super::common::{describe_subject, user_binding};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-014",
    title: "Binding does not grant permissions to anonymous or all authenticated users",
    severity: Severity::Critical,
    kind: "k8s.rbac.binding",
    rationale: "system:anonymous and system:unauthenticated are whoever reaches the API \
        server without credentials; system:authenticated is every identity the cluster \
        accepts, including every service account of every namespace. Permissions bound to \
        them are open to the network or to any compromised pod.",
    remediation: "Replace the group or user with the specific users, groups or service \
        accounts that need the role, and keep anonymous authentication disabled on the API \
        server.",
    frameworks: &["nsa-cisa-k8s-1.2:auth-anonymous"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "devs-view"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "Group", "name": "developers", "apiGroup": "rbac.authorization.k8s.io"}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "public-info"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "system:public-info-viewer"}, "subjects": [{"kind": "Group", "name": "system:unauthenticated", "apiGroup": "rbac.authorization.k8s.io"}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "anon-view"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "User", "name": "system:anonymous", "apiGroup": "rbac.authorization.k8s.io"}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "everyone-edit", "namespace": "shop"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"}, "subjects": [{"kind": "Group", "name": "system:authenticated", "apiGroup": "rbac.authorization.k8s.io"}]}"#,
        ],
    },
    notes: "The discovery roles Kubernetes itself binds to these groups \
        (system:public-info-viewer; system:discovery and system:basic-user for \
        authenticated users) pass, as do built-in bindings.",
};

/// Role names Kubernetes grants to these groups by default, per group.
fn harmless(group: &str, role_kind: &str, role: &str) -> bool {
    role_kind == "ClusterRole"
        && (role == "system:public-info-viewer"
            || (group == "system:authenticated"
                && (role == "system:discovery" || role == "system:basic-user")))
}

fn is_everyone(s: &Value) -> Option<&str> {
    let kind = s.get("kind").and_then(Value::as_str)?;
    let name = s.get("name").and_then(Value::as_str)?;
    match (kind, name) {
        ("User", "system:anonymous")
        | ("Group", "system:unauthenticated")
        | ("Group", "system:authenticated") => Some(name),
        _ => None,
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let (b, who) = match user_binding(r) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let open: Vec<String> = b
        .subjects
        .iter()
        .filter(|s| is_everyone(s).is_some_and(|g| !harmless(g, b.role_kind, b.role_name)))
        .map(|s| describe_subject(s))
        .collect();
    if open.is_empty() {
        Outcome::Pass(format!(
            "{who} does not grant {} {} to anonymous or all authenticated users",
            b.role_kind, b.role_name
        ))
    } else {
        Outcome::Fail(format!(
            "{who} grants {} {} to {}",
            b.role_kind,
            b.role_name,
            open.join(", ")
        ))
    }
}
