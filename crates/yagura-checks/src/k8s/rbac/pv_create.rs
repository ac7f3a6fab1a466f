use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-011",
    title: "Role or ClusterRole does not allow creating PersistentVolumes",
    severity: Severity::Medium,
    kind: "k8s.rbac.role",
    rationale: "A PersistentVolume can be a hostPath volume, so whoever creates one can \
        mount any directory of a node into a pod (kubelet credentials, container runtime \
        socket), escaping the restrictions Pod Security admission puts on hostPath.",
    remediation: "Let a StorageClass provision volumes dynamically from claims, and keep \
        create on persistentvolumes to cluster administrators.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.9",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "claims", "namespace": "shop"}, "rules": [{"apiGroups": [""], "resources": ["persistentvolumeclaims"], "verbs": ["create", "delete"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "pv-admin"}, "rules": [{"apiGroups": [""], "resources": ["persistentvolumes"], "verbs": ["create"]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_grants(
        r,
        &[(target("", "persistentvolumes"), &["create"])],
        false,
        "the creation of PersistentVolumes",
    )
}
