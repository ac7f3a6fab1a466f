use super::pod::{each_container, list, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

/// Parts of a variable name that mark it as holding a credential.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "API_KEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "CLIENT_KEY",
    "CONNECTION_STRING",
];

/// Suffixes of names that point at a credential rather than hold it.
const POINTER_SUFFIXES: &[&str] = &["_FILE", "_PATH", "_DIR", "_NAME", "_REF", "_URL_FILE"];

pub static CHECK: Check = Check {
    code: "K8S-POD-030",
    title: "Credentials are not written as literal environment values",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "A password or token written as a literal `value` in a manifest is stored in \
        version control, in the cluster's object store without Secret protections, and is \
        readable by anyone who can read the workload object, which is a much wider audience \
        than those who can read Secrets.",
    remediation: "Move the value into a Secret (or an external secret manager) and mount it \
        as a file, or reference it with `valueFrom.secretKeyRef`; rotate the exposed \
        credential, since it is already in the repository history.",
    frameworks: &["nsa-cisa-k8s-1.2:net-secrets", "cis-kubernetes-1.9:5.4.1"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}, {"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db"}, {"name": "LOG_LEVEL", "value": "info"}]}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "env": [{"name": "DB_PASSWORD", "value": "hunter2hunter2"}]}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"initContainers": [{"name": "migrate", "image": "r/m:1", "env": [{"name": "api-token", "value": "ghp_0123456789abcdef"}]}], "containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
        ],
    },
    notes: "Names are matched on credential words; values that are empty, only a `$(VAR)` \
        reference, or a placeholder such as `changeme` are not reported.",
};

fn looks_secret(name: &str) -> bool {
    let n = name.to_ascii_uppercase().replace(['-', '.'], "_");
    SECRET_WORDS.iter().any(|w| n.contains(w)) && !POINTER_SUFFIXES.iter().any(|s| n.ends_with(s))
}

fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    t.is_empty()
        || (t.starts_with("$(") && t.ends_with(')'))
        || [
            "changeme",
            "change-me",
            "placeholder",
            "none",
            "null",
            "true",
            "false",
        ]
        .contains(&t.to_ascii_lowercase().as_str())
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(
        r,
        ALL,
        "no environment variable holds a literal credential",
        |_, c| {
            let names: Vec<&str> = list(c.get("env"))
                .iter()
                .filter_map(|e| {
                    let name = e.get("name")?.as_str()?;
                    let value = e.get("value")?.as_str()?;
                    (looks_secret(name) && !is_placeholder(value)).then_some(name)
                })
                .collect();
            (!names.is_empty())
                .then(|| format!("sets {} as a literal environment value", names.join(", ")))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_placeholders() {
        assert!(looks_secret("GITHUB_TOKEN"));
        assert!(looks_secret("aws.secret.access.key"));
        assert!(!looks_secret("TOKEN_FILE"));
        assert!(!looks_secret("LOG_LEVEL"));
        assert!(is_placeholder("$(OTHER)"));
        assert!(!is_placeholder("s3cr3t"));
    }
}
