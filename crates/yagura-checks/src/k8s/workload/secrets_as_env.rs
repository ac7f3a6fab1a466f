use super::pod::{each_container, list, ALL};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-031",
    title: "Secrets are mounted as files rather than exposed as environment variables",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "Environment variables are inherited by every child process, show up in crash \
        dumps, debug endpoints and `kubectl describe`-style tooling, and are often logged by \
        frameworks at start-up. Secrets mounted as files are read only by code that asks for \
        them and are updated in place when the Secret changes.",
    remediation: "Replace `valueFrom.secretKeyRef` and `envFrom.secretRef` with a `secret` (or \
        projected) volume mounted read-only, and have the application read the file.",
    frameworks: &["cis-kubernetes-1.9:5.4.1", "nsa-cisa-k8s-1.2:net-secrets"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "env": [{"name": "MODE", "value": "prod"}], "volumeMounts": [{"name": "db", "mountPath": "/run/secrets/db", "readOnly": true}]}], "volumes": [{"name": "db", "secret": {"secretName": "db"}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "envFrom": [{"secretRef": {"name": "app-secrets"}}]}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "no Secret is exposed through environment variables",
        |_, c| {
            let mut uses = Vec::new();
            for e in list(c.get("env")) {
                if let Some(secret) = e
                    .get("valueFrom")
                    .and_then(|v| v.get("secretKeyRef"))
                    .and_then(|s| s.get("name"))
                    .and_then(Value::as_str)
                {
                    let var = e.get("name").and_then(Value::as_str).unwrap_or("?");
                    uses.push(format!("{var} from Secret {secret}"));
                }
            }
            for e in list(c.get("envFrom")) {
                if let Some(secret) = e
                    .get("secretRef")
                    .and_then(|s| s.get("name"))
                    .and_then(Value::as_str)
                {
                    uses.push(format!("all keys of Secret {secret}"));
                }
            }
            (!uses.is_empty()).then(|| format!("reads {} as environment", uses.join(", ")))
        },
    )
}
