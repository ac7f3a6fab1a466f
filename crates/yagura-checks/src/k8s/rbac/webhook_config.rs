use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-012",
    title: "Role or ClusterRole does not allow changing admission webhook configurations",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "Admission webhooks see, and mutating ones rewrite, every object sent to the \
        API server, Secrets included. Whoever can create or change their configuration can \
        intercept credentials, inject containers into pods or switch off policy \
        enforcement.",
    remediation: "Keep write access to validatingwebhookconfigurations and \
        mutatingwebhookconfigurations to cluster administrators and the operators that \
        own those webhooks, restricted with `resourceNames` where possible.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.12",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "webhook-viewer"}, "rules": [{"apiGroups": ["admissionregistration.k8s.io"], "resources": ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], "verbs": ["get", "list", "watch"]}]}"#,
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "cert-injector"}, "rules": [{"apiGroups": ["admissionregistration.k8s.io"], "resources": ["validatingwebhookconfigurations"], "resourceNames": ["my-operator"], "verbs": ["patch"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "webhook-admin"}, "rules": [{"apiGroups": ["admissionregistration.k8s.io"], "resources": ["mutatingwebhookconfigurations"], "verbs": ["create", "patch", "delete"]}]}"#,
        ],
    },
    notes: "Rules limited with `resourceNames` pass (operators patching their own webhook's \
        CA bundle).",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    const W: &[&str] = &["create", "update", "patch", "delete"];
    const ADM: &str = "admissionregistration.k8s.io";
    deny_grants(
        r,
        &[
            (target(ADM, "validatingwebhookconfigurations"), W),
            (target(ADM, "mutatingwebhookconfigurations"), W),
        ],
        true,
        "changes to admission webhook configurations",
    )
}
