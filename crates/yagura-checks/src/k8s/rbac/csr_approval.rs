use super::common::{deny_grants, target};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-009",
    title: "Role or ClusterRole does not allow approving certificate signing requests",
    severity: Severity::High,
    kind: "k8s.rbac.role",
    rationale: "Updating the approval sub-resource of CertificateSigningRequests lets a \
        subject approve its own request for a client certificate, which can name any user \
        or group the signer allows, up to an identity with cluster-wide privileges.",
    remediation: "Leave CSR approval to the controller manager and to a small group of \
        administrators; remove update and patch on certificatesigningrequests/approval \
        from other roles.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.11",
        "nsa-cisa-k8s-1.2:auth-least-privilege",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "csr-requester"}, "rules": [{"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests"], "verbs": ["create", "get"]}]}"#,
        ],
        fail: &[
            r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "csr-approver"}, "rules": [{"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests/approval"], "verbs": ["update"]}, {"apiGroups": ["certificates.k8s.io"], "resources": ["signers"], "verbs": ["approve"]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    deny_grants(
        r,
        &[(
            target("certificates.k8s.io", "certificatesigningrequests/approval"),
            &["update", "patch"],
        )],
        false,
        "approval of certificate signing requests",
    )
}
