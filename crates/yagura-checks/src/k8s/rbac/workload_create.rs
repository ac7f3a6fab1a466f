use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-007",
    title: "Role or ClusterRole does not grant creating pods or workloads",
    severity: Severity::Medium,
    kind: "k8s.rbac.role",
    rationale: "Whoever can create a pod, directly or through a Deployment, Job or other \
        controller, can run any image with any service account and mount any Secret of the \
        namespace, so the right is worth as much as everything the namespace holds.",
    remediation: "Keep pod and workload creation to the deployment pipeline's service \
        account and to controllers; give people and applications read-only roles, and \
        enforce Pod Security admission on namespaces where creation is granted.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.4",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "viewer", "namespace": "shop"}, "rules": [{"apiGroups": ["", "apps"], "resources": ["pods", "deployments"], "verbs": ["get", "list", "watch"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "deployer", "namespace": "shop"}, "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["create", "update", "patch"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "pod-maker"}, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    const C: &[&str] = &["create"];
    deny_grants(
        r,
        &[
            (target("", "pods"), C),
            (target("", "replicationcontrollers"), C),
            (target("apps", "deployments"), C),
            (target("apps", "statefulsets"), C),
            (target("apps", "daemonsets"), C),
            (target("apps", "replicasets"), C),
            (target("batch", "jobs"), C),
            (target("batch", "cronjobs"), C),
        ],
        false,
        "the creation of pods or workloads",
    )
}
