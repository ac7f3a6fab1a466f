use super::automount_token::service_account;
use super::pod::Pod;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-029",
    title: "Workloads run under a dedicated service account",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "Pods that do not name a service account run as the namespace's default \
        account, shared by every such pod. Any permission granted to it for one workload is \
        granted to all, and its activity cannot be told apart in audit logs.",
    remediation: "Create a ServiceAccount per workload, grant it only what that workload \
        needs, and set `serviceAccountName` in the pod spec.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.5",
        "nsa-cisa-k8s-1.2:auth-default-service-account",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"serviceAccountName": "web", "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"serviceAccountName": "default", "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    match service_account(&pod) {
        "default" => {
            Outcome::Fail("the pod runs as the namespace's default service account".into())
        }
        sa => Outcome::Pass(format!("the pod runs as service account \"{sa}\"")),
    }
}
