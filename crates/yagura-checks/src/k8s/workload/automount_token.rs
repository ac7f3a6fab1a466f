use super::pod::{is_false, is_true, Pod};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-028",
    title: "Pods do not mount a service account token they do not need",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "By default every pod gets its service account's API token mounted. Most \
        applications never call the Kubernetes API, but an intruder in the container can use \
        the token to query or change the cluster with the account's permissions.",
    remediation: "Set `automountServiceAccountToken: false` in the pod spec (or on the \
        ServiceAccount it uses), and mount a token only for workloads that talk to the API, \
        preferably through a projected volume with a short expiry and an audience.",
    frameworks: &[
        "cis-kubernetes-1.9:5.1.6",
        "nsa-cisa-k8s-1.2:pod-service-account-token",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"automountServiceAccountToken": false, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"metadata": {"name": "w", "namespace": "shop"}, "podTemplate": {"metadata": {}, "spec": {"serviceAccountName": "web", "containers": [{"name": "app", "image": "r/app:1"}]}}, "$related": [{"kind": "k8s.core.service_account", "attributes": {"metadata": {"name": "web", "namespace": "shop"}, "automountServiceAccountToken": false}}]}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"metadata": {"name": "w", "namespace": "shop"}, "podTemplate": {"metadata": {}, "spec": {"serviceAccountName": "web", "containers": [{"name": "app", "image": "r/app:1"}]}}, "$related": [{"kind": "k8s.core.service_account", "attributes": {"metadata": {"name": "web", "namespace": "shop"}}}]}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"automountServiceAccountToken": true, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "When the pod leaves the setting unset, the ServiceAccount of the same namespace \
        in the scanned manifests decides; an account not in the scan counts as the default \
        (token mounted).",
};

/// The service account a pod runs as (`default` when unset).
pub(crate) fn service_account<'a>(pod: &Pod<'a>) -> &'a str {
    ["serviceAccountName", "serviceAccount"]
        .iter()
        .filter_map(|k| pod.get(k).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .unwrap_or("default")
}

fn namespace_of(r: &Resource) -> Option<&str> {
    r.attributes
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let setting = pod.get("automountServiceAccountToken");
    if is_false(setting) {
        return Outcome::Pass("the pod disables service account token mounting".into());
    }
    if is_true(setting) {
        return Outcome::Fail("the pod sets automountServiceAccountToken: true".into());
    }
    let sa = service_account(&pod);
    let ns = namespace_of(r);
    let account = ctx.inventory.of_kind("k8s.core.service_account").find(|a| {
        a.attributes
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            == Some(sa)
            && namespace_of(a) == ns
    });
    match account {
        Some(a) if is_false(a.attributes.get("automountServiceAccountToken")) => Outcome::Pass(
            format!("the pod's service account \"{sa}\" disables token mounting"),
        ),
        Some(_) => Outcome::Fail(format!(
            "the token of service account \"{sa}\" is mounted: neither the pod nor the account \
             sets automountServiceAccountToken: false"
        )),
        None => Outcome::Fail(format!(
            "the token of service account \"{sa}\" is mounted: the pod does not set \
             automountServiceAccountToken: false (the account is not in the scanned manifests)"
        )),
    }
}
