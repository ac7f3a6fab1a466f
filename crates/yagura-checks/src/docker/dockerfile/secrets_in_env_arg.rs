use super::common::{instructions, verdict, KIND};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-007",
    title: "Dockerfile does not set secrets in ENV or ARG",
    severity: Severity::High,
    kind: KIND,
    rationale: "ENV values are stored in the image configuration and ARG values in its build \
        history; anyone who can pull the image reads them with `docker inspect` or \
        `docker history`, and they stay in every copy of every layer pushed to a registry.",
    remediation: "Remove the literal value and rotate the exposed credential. Pass build-time \
        secrets with BuildKit secret mounts (`RUN --mount=type=secret,id=npm_token ...`) and \
        runtime secrets through the orchestrator (Kubernetes Secrets, a secrets manager) \
        instead of the image.",
    frameworks: &[
        "cis-docker-1.6:4.10",
        "nist-800-53-r5:IA-5",
        "nist-800-53-r5:SC-28",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "ENV", "arguments": "DB_PASSWORD_FILE=/run/secrets/db", "vars": [{"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db"}], "start_line": 3}, {"instruction": "ARG", "arguments": "NPM_TOKEN", "vars": [{"name": "NPM_TOKEN", "value": null}], "start_line": 4}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "ENV", "arguments": "API_KEY=${API_KEY}", "vars": [{"name": "API_KEY", "value": "${API_KEY}"}], "start_line": 5}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "ENV", "arguments": "DB_PASSWORD=hunter2", "vars": [{"name": "DB_PASSWORD", "value": "hunter2"}], "start_line": 3}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "ARG", "arguments": "GITHUB_TOKEN=ghp_x", "vars": [{"name": "GITHUB_TOKEN", "value": "ghp_x"}], "start_line": 2}]}]}"#,
        ],
    },
    notes: "Values are never copied into findings.",
};

/// Name parts that mark a credential.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "AUTH_KEY",
    "CREDENTIAL",
    "DB_PASS",
];

/// Suffixes of names that hold a reference to a secret, not the secret itself.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_URL",
    "_URI",
    "_ID",
    "_NAME",
    "_ARN",
    "_TTL",
    "_EXPIRY",
    "_LENGTH",
    "_HEADER",
    "_ENDPOINT",
    "_ENABLED",
    "_TYPE",
];

pub(crate) fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| n.contains(w))
        && !NOT_SECRET_SUFFIXES.iter().any(|s| n.ends_with(s))
}

/// A value written out in the file: not empty, not a variable, not a flag value.
fn is_literal(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !v.contains('$')
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
        )
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let all = match instructions(r) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    for i in all.iter().filter(|i| matches!(i.keyword(), "ENV" | "ARG")) {
        for (name, value) in i.vars() {
            if is_secret_name(name) && value.is_some_and(is_literal) {
                fails.push(format!(
                    "line {}: {} {name} has a literal value",
                    i.line(),
                    i.keyword()
                ));
            }
        }
    }
    verdict(
        fails,
        Vec::new(),
        "no ENV or ARG sets a credential-like variable to a literal",
    )
}

#[cfg(test)]
mod tests {
    use super::{is_literal, is_secret_name};

    #[test]
    fn credential_names_and_literal_values() {
        for n in [
            "DB_PASSWORD",
            "github_token",
            "AWS_SECRET_ACCESS_KEY",
            "STRIPE_API_KEY",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "PASSWORD_FILE",
            "TOKEN_URL",
            "AWS_ACCESS_KEY_ID",
            "SECRET_NAME",
            "PATH",
            "BYPASS_CACHE",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
        assert!(is_literal("hunter2"));
        assert!(!is_literal("${DB_PASSWORD}"));
        assert!(!is_literal("$TOKEN"));
        assert!(!is_literal(""));
        assert!(!is_literal("false"));
    }
}
