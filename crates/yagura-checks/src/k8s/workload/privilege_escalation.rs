use super::pod::{each_container, is_false, Pod, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-010",
    title: "Containers set allowPrivilegeEscalation to false",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "Unless allowPrivilegeEscalation is false, the no_new_privs flag is not set and \
        a process in the container can gain more privileges than its parent, for example \
        through setuid binaries or file capabilities in the image. Kubernetes allows it by \
        default, so it must be switched off explicitly.",
    remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container \
        (and do not run it privileged or with CAP_SYS_ADMIN, which imply escalation).",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.6",
        "k8s-pss:restricted:privilege-escalation",
        "nsa-cisa-k8s-1.2:pod-privilege-escalation",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"allowPrivilegeEscalation": false}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"allowPrivilegeEscalation": true}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Ok(p) = Pod::of(r) {
        if p.is_windows() {
            return Outcome::Pass(
                "Windows pod: privilege escalation control does not apply".into(),
            );
        }
    }
    each_container(
        r,
        ALL,
        "every container sets allowPrivilegeEscalation: false",
        |_, c| match c.sc("allowPrivilegeEscalation") {
            v if is_false(v) => None,
            None => {
                Some("does not set allowPrivilegeEscalation: false (it defaults to true)".into())
            }
            Some(_) => Some("sets allowPrivilegeEscalation: true".into()),
        },
    )
}
