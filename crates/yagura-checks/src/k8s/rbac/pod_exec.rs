use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-005",
    title: "Role or ClusterRole does not allow exec or attach into pods",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "pods/exec and pods/attach run commands inside running containers, with the \
        container's identity, its mounted secrets and its service-account token. Whoever \
        holds them can read data and act as every workload they reach. Over WebSocket, \
        `get` on these sub-resources is enough, not only `create`.",
    remediation: "Remove `pods/exec` and `pods/attach` from roles used by applications and \
        CI; grant them to operators only through a separate, time-bound break-glass role.",
    frameworks: &["nsa-cisa-k8s-1.2:auth-least-privilege"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "log-reader", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "debugger", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "attach"}, "rules": [{"apiGroups": [""], "resources": ["pods/attach", "pods"], "verbs": ["get"]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    const VERBS: &[&str] = &["create", "get"];
    deny_grants(
        r,
        &[
            (target("", "pods/exec"), VERBS),
            (target("", "pods/attach"), VERBS),
        ],
        false,
        "exec or attach into pods",
    )
}
