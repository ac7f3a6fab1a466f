use super::common::deny_wildcard;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-002",
    title: "Role or ClusterRole does not use a wildcard in resources",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "A `*` resource covers every resource type of the matched API groups, \
        Secrets and sub-resources such as pods/exec included, and every custom resource \
        installed later, so the role grants far more than it names.",
    remediation: "Name the resource types the subjects work with (for example `configmaps`, \
        `deployments`) in each rule instead of `*`.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.3",
        "nsa-cisa-k8s-1.2:auth-no-wildcards",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "config-editor", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "update"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "cluster-admin", "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"}}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "app-all", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["*"], "verbs": ["get", "list"]}]}"#,
        ],
    },
    notes: "Roles carrying the `kubernetes.io/bootstrapping: rbac-defaults` label are the \
        API server's own defaults and pass. Aggregated ClusterRoles are NOT_ASSESSED.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_wildcard(
        r,
        "resources",
        "every resource type of the matched API groups",
    )
}
