use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-010",
    title: "Role or ClusterRole does not allow creating service account tokens",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "create on serviceaccounts/token mints a token for any service account in \
        scope, so the subject can act with the permissions of every one of them, \
        including controllers' accounts with broad rights.",
    remediation: "Remove create on serviceaccounts/token, or restrict the rule with \
        `resourceNames` to the one service account whose tokens are needed.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.13",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "ci-token", "namespace": "ci"}, "rules": [{"apiGroups": [""], "resources": ["serviceaccounts/token"], "resourceNames": ["deployer"], "verbs": ["create"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "token-minter"}, "rules": [{"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]}]}"#,
        ],
    },
    notes: "Rules limited with `resourceNames` pass.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_grants(
        r,
        &[(target("", "serviceaccounts/token"), &["create"])],
        true,
        "the creation of service account tokens",
    )
}
