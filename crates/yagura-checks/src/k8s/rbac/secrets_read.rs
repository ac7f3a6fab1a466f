use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-004",
    title: "Role or ClusterRole does not grant read access to all Secrets",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "get, list or watch on Secrets reveals every credential stored in the \
        namespace (or the cluster, for a ClusterRole): service-account tokens, registry \
        passwords, TLS keys and database passwords. `list` and `watch` return the contents \
        too, not just the names.",
    remediation: "Remove secrets from the rule, or restrict it with `resourceNames` to the \
        few Secrets the workload reads; prefer mounting a Secret into the pod over reading \
        it through the API.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.2",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "one-secret", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["shop-db"], "verbs": ["get"]}, {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "secret-reader"}, "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "watch", "list"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "all-core", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["*"], "verbs": ["list"]}]}"#,
        ],
    },
    notes: "Rules limited with `resourceNames` are accepted as the minimization CIS asks for.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_grants(
        r,
        &[(target("", "secrets"), &["get", "list", "watch"])],
        true,
        "read access to Secrets",
    )
}
