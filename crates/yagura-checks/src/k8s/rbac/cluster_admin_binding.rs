use super::common::{
    describe_subject, manifest_kind, namespace_of, object_name, str_list, user_binding,
};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-013",
    title: "Binding does not grant cluster-admin or an equivalent all-powerful role",
    severity: Severity::High,
    kind: "k8s.rbac.binding",
    rationale: "cluster-admin (or any role allowing every verb on every resource) gives its \
        subjects full control: they can read every Secret, run any pod and rewrite RBAC. A \
        stolen token or a compromised workload bound to it owns the cluster.",
    remediation: "Bind a role that lists only the permissions the subjects need; keep \
        cluster-admin for a few break-glass identities, outside the manifests applications \
        deploy.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.1",
        "nsa-cisa-k8s-1.2:auth-cluster-admin",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "app-view", "namespace": "shop"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "ServiceAccount", "name": "shop-api", "namespace": "shop"}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "app", "namespace": "shop"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "app"}, "subjects": [{"kind": "ServiceAccount", "name": "shop-api", "namespace": "shop"}], "$related": [{"kind": "k8s.rbac.role", "attributes": {"kind": "Role", "metadata": {"name": "app", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]}}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "ci-admin"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"}, "subjects": [{"kind": "ServiceAccount", "name": "ci", "namespace": "ci"}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "ops"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "everything"}, "subjects": [{"kind": "Group", "name": "ops"}], "$related": [{"kind": "k8s.rbac.role", "attributes": {"kind": "ClusterRole", "metadata": {"name": "everything"}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}}]}"#,
        ],
    },
    notes: "A role is all-powerful when it is cluster-admin or, when the referenced role is \
        among the scanned manifests, when one rule allows `*` verbs on `*` resources in `*` \
        API groups. Built-in bindings (`kubernetes.io/bootstrapping: rbac-defaults`) pass.",
};

/// Whether the referenced role, if it was scanned, allows everything.
fn referenced_role_is_admin(r: &Resource, ctx: &Ctx, kind: &str, name: &str) -> bool {
    let ns = namespace_of(r);
    ctx.inventory.of_kind("k8s.rbac.role").any(|role| {
        manifest_kind(role).ok() == Some(kind)
            && object_name(role) == name
            && (kind == "ClusterRole" || namespace_of(role) == ns)
            && role
                .attributes
                .get("rules")
                .and_then(|v| v.as_array())
                .is_some_and(|rules| {
                    rules.iter().any(|rule| {
                        ["apiGroups", "resources", "verbs"]
                            .iter()
                            .all(|k| str_list(rule.get(*k)).contains(&"*"))
                    })
                })
    })
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let (b, who) = match user_binding(r) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let role = format!("{} {}", b.role_kind, b.role_name);
    let admin = (b.role_kind == "ClusterRole" && b.role_name == "cluster-admin")
        || referenced_role_is_admin(r, ctx, b.role_kind, b.role_name);
    if !admin {
        return Outcome::Pass(format!("{who} binds {role}, not an all-powerful role"));
    }
    if b.subjects.is_empty() {
        return Outcome::Pass(format!("{who} binds {role} but names no subjects"));
    }
    let subjects: Vec<String> = b.subjects.iter().map(|s| describe_subject(s)).collect();
    Outcome::Fail(format!(
        "{who} grants {role}, which allows everything, to {}",
        subjects.join(", ")
    ))
}
