use super::pod::profile_not_unconfined;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

pub static CHECK: Check = Check {
    code: "K8S-POD-015",
    title: "AppArmor is not overridden to unconfined",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "On nodes with AppArmor, the runtime confines every container with a default \
        profile that blocks writes to sensitive /proc and /sys paths and mounting. Setting the \
        profile to unconfined removes that confinement and makes breakouts easier.",
    remediation: "Remove `appArmorProfile.type: Unconfined` and any \
        `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotation; \
        use `RuntimeDefault` or a `Localhost` profile loaded on the nodes.",
    frameworks: &[
        "k8s-pss:baseline:apparmor",
        "nsa-cisa-k8s-1.2:pod-sandboxing",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "runtime/default"}}, "spec": {"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"appArmorProfile": {"type": "Unconfined"}}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    profile_not_unconfined(
        r,
        "appArmorProfile",
        |k, v| {
            let container = k.strip_prefix(ANNOTATION_PREFIX)?;
            let value = v.as_str().unwrap_or("");
            // The baseline profile allows only the runtime default and local profiles.
            let allowed =
                value.is_empty() || value == "runtime/default" || value.starts_with("localhost/");
            (!allowed).then(|| format!("container \"{container}\" has AppArmor annotation {value}"))
        },
        "no AppArmor profile is overridden to unconfined",
    )
}
