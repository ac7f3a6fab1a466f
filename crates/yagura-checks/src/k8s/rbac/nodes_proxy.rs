use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-008",
    title: "Role or ClusterRole does not grant access to nodes/proxy",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "nodes/proxy forwards requests to the kubelet API of a node, which can run \
        commands in any container on that node. Those calls bypass the pod-level RBAC \
        checks and admission control, and are not recorded in the API server audit log \
        as exec calls.",
    remediation: "Remove nodes/proxy from the role; monitoring agents that scrape kubelet \
        metrics can use nodes/metrics and nodes/stats instead.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.10",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "metrics"}, "rules": [{"apiGroups": [""], "resources": ["nodes", "nodes/metrics", "nodes/stats"], "verbs": ["get", "list"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "scraper"}, "rules": [{"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "proxy-all"}, "rules": [{"apiGroups": [""], "resources": ["*/proxy"], "verbs": ["*"]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_grants(
        r,
        &[(
            target("", "nodes/proxy"),
            &["get", "create", "update", "patch", "delete"],
        )],
        false,
        "access to the kubelet through nodes/proxy",
    )
}
