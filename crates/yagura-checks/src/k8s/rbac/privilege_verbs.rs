use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-006",
    title: "Role or ClusterRole does not grant escalate, bind or impersonate",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "escalate lets a subject write roles with permissions it does not hold, bind \
        lets it bind any existing role (cluster-admin included) to itself, and impersonate \
        lets it act as any user, group or service account. Each one bypasses the RBAC \
        escalation guard and amounts to full control.",
    remediation: "Remove these verbs (and `*` verbs on roles, bindings, users, groups and \
        service accounts) from the role; if a controller needs `bind`, restrict it with \
        `resourceNames` to the roles it may hand out.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.8",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "rbac-viewer"}, "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "rolebindings"], "verbs": ["get", "list", "watch"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "binder"}, "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind", "escalate"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "impersonator"}, "rules": [{"apiGroups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "rbac-admin", "namespace": "shop"}, "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["*"]}]}"#,
        ],
    },
    notes: "`*` verbs on the affected resources count, since they include these verbs.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    const RBAC: &str = "rbac.authorization.k8s.io";
    const ROLE_VERBS: &[&str] = &["escalate", "bind"];
    const AS: &[&str] = &["impersonate"];
    deny_grants(
        r,
        &[
            (target(RBAC, "roles"), ROLE_VERBS),
            (target(RBAC, "clusterroles"), ROLE_VERBS),
            (target("", "users"), AS),
            (target("", "groups"), AS),
            (target("", "serviceaccounts"), AS),
            (target("authentication.k8s.io", "uids"), AS),
            (target("authentication.k8s.io", "userextras/scopes"), AS),
        ],
        false,
        "privilege-escalation verbs",
    )
}
