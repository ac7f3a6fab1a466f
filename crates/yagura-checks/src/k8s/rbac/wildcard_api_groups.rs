use super::common::deny_wildcard;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-003",
    title: "Role or ClusterRole does not use a wildcard in apiGroups",
    severity: Severity::Medium,
    kind: "k8s.rbac.role",
    rationale: "A `*` API group makes a rule match a resource name in every API group, \
        including groups of custom resources and operators installed later, which may \
        carry the same resource names with much more power.",
    remediation: "List the API groups the rule is meant for (`\"\"` for the core group, \
        `apps`, `batch`, ...) instead of `*`.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.3",
        "nsa-cisa-k8s-1.2:auth-no-wildcards",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "scaler", "namespace": "shop"}, "rules": [{"apiGroups": ["apps"], "resources": ["deployments/scale"], "verbs": ["get", "update"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "lister"}, "rules": [{"apiGroups": ["*"], "resources": ["deployments"], "verbs": ["list"]}]}"#,
        ],
    },
    notes: "Roles carrying the `kubernetes.io/bootstrapping: rbac-defaults` label are the \
        API server's own defaults and pass. Aggregated ClusterRoles are NOT_ASSESSED.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_wildcard(r, "apiGroups", "the rule matches in every API group")
}
