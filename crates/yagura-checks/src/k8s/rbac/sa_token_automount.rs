use super::common::{describe, field, manifest_kind};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-RBAC-016",
    title: "ServiceAccount does not automount its API token into pods",
    severity: Severity::Medium,
    kind: "k8s.core.service_account",
    rationale: "Unless told otherwise, Kubernetes mounts a token of the pod's service account \
        into every container. Most applications never call the API, and for them the token \
        only serves an attacker who gets code execution in the container.",
    remediation: "Set `automountServiceAccountToken: false` on the ServiceAccount, and set it \
        to true only in the pod specs that call the Kubernetes API.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.6",
        "nsa-cisa-k8s-1.2:pod-service-account-token",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "shop-api", "namespace": "shop"}, "automountServiceAccountToken": false}"#,
        ],
        fail: &[
            r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "shop-api", "namespace": "shop"}}"#,
            r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "shop"}, "automountServiceAccountToken": true}"#,
        ],
    },
    notes: "A pod spec can still override the ServiceAccount's setting; the workload checks \
        judge pods.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = manifest_kind(r) {
        return o;
    }
    let who = describe(r);
    match field(r, "/automountServiceAccountToken") {
        Err(o) => o,
        Ok(Some(Value::Bool(false))) => {
            Outcome::Pass(format!("{who} sets automountServiceAccountToken: false"))
        }
        Ok(Some(Value::String(s))) if s.eq_ignore_ascii_case("false") => {
            Outcome::Pass(format!("{who} sets automountServiceAccountToken: false"))
        }
        Ok(None) => Outcome::Fail(format!(
            "{who} does not set automountServiceAccountToken, so its token is mounted by default"
        )),
        Ok(Some(v)) => Outcome::Fail(format!(
            "{who} sets automountServiceAccountToken: {v}, so its token is mounted into pods"
        )),
    }
}
