use super::common::{describe_subject, user_binding};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-015",
    title: "Binding does not grant permissions to a default service account",
    severity: Severity::Medium,
    kind: "k8s.rbac.binding",
    rationale: "Every pod that names no service account runs as its namespace's `default` \
        account. Permissions bound to it (directly, or through the system:serviceaccounts \
        groups) go to every such pod, including ones deployed later for other purposes.",
    remediation: "Create a dedicated ServiceAccount for the workload that needs the role, \
        bind the role to it, and set `serviceAccountName` in the pod spec; leave `default` \
        without bindings.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.5",
        "nsa-cisa-k8s-1.2:auth-default-service-account",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "api-reader", "namespace": "shop"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}, "subjects": [{"kind": "ServiceAccount", "name": "shop-api", "namespace": "shop"}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "default-reader", "namespace": "shop"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}, "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "shop"}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "all-sas"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "Group", "name": "system:serviceaccounts:shop", "apiGroup": "rbac.authorization.k8s.io"}]}"#,
        ],
    },
    notes: "Built-in bindings (`kubernetes.io/bootstrapping: rbac-defaults`) pass.",
};

/// Whether the subject is, or includes, a namespace's default service account.
fn covers_default(s: &Value) -> bool {
    let kind = s.get("kind").and_then(Value::as_str);
    let name = s.get("name").and_then(Value::as_str).unwrap_or("");
    match kind {
        Some("ServiceAccount") => name == "default",
        Some("Group") => {
            name == "system:serviceaccounts" || name.starts_with("system:serviceaccounts:")
        }
        _ => false,
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let (b, who) = match user_binding(r) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let hits: Vec<String> = b
        .subjects
        .iter()
        .filter(|s| covers_default(s))
        .map(|s| describe_subject(s))
        .collect();
    if hits.is_empty() {
        Outcome::Pass(format!("{who} grants nothing to a default service account"))
    } else {
        Outcome::Fail(format!(
            "{who} grants {} {} to {}: every pod that names no service account gets it",
            b.role_kind,
            b.role_name,
            hits.join(", ")
        ))
    }
}
