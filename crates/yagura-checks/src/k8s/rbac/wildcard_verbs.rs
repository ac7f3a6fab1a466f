use super::common::deny_wildcard;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-001",
    title: "Role or ClusterRole does not use a wildcard in verbs",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "A `*` verb grants every action on the matched resources, including the \
        privilege-changing verbs (escalate, bind, impersonate) and any verb added to the API \
        later, so the role silently grows beyond what its holders were meant to do.",
    remediation: "List the exact verbs the subjects need (for example `get`, `list`, `watch` \
        for read-only access) instead of `*` in every rule of the role.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.3",
        "nsa-cisa-k8s-1.2:auth-no-wildcards",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["pods", "services"], "verbs": ["get", "list", "watch"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "empty"}}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "deployer"}, "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]}]}"#,
        ],
    },
    notes: "Roles carrying the `kubernetes.io/bootstrapping: rbac-defaults` label are the \
        API server's own defaults and pass. Aggregated ClusterRoles are NOT_ASSESSED.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_wildcard(r, "verbs", "every action on the matched resources")
}
