use super::common::{instructions, verdict, KIND};
use super::pkg::pip;
use super::shell::{has_short, programs, split_args};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-019",
    title: "Dockerfile does not disable TLS certificate verification",
    severity: Severity::High,
    kind: KIND,
    rationale: "Turning off certificate checks (`curl -k`, `wget --no-check-certificate`, pip \
        `--trusted-host`, `strict-ssl false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`) lets anyone on \
        the network path substitute the downloads that end up in the image, and an ENV setting \
        also disables verification for the running application.",
    remediation: "Remove the option and fix the cause: install the CA bundle (`ca-certificates`), \
        add a corporate CA with `COPY ca.crt /usr/local/share/ca-certificates/ && \
        update-ca-certificates`, or point the tool at it (`--cacert`, `PIP_CERT`).",
    frameworks: &["nist-800-53-r5:SC-8", "nist-800-53-r5:SI-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "curl -fsSL --cacert /etc/ca.pem -o /k https://x && wget -q https://y", "exec_form": null, "flags": {}, "start_line": 2}, {"instruction": "ENV", "arguments": "NODE_ENV=production", "vars": [{"name": "NODE_ENV", "value": "production"}], "start_line": 3}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "curl -fsSLk https://x -o /x", "exec_form": null, "flags": {}, "start_line": 2}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "ENV", "arguments": "NODE_TLS_REJECT_UNAUTHORIZED=0", "vars": [{"name": "NODE_TLS_REJECT_UNAUTHORIZED", "value": "0"}], "start_line": 3}]}]}"#,
        ],
    },
    notes: "",
};

/// ENV settings that switch verification off, with the value that does it.
fn env_disables(name: &str, value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => v == "0",
        "GIT_SSL_NO_VERIFY" | "CURL_INSECURE" => !v.is_empty() && v != "0" && v != "false",
        "NPM_CONFIG_STRICT_SSL" | "YARN_STRICT_SSL" => v == "false",
        "PIP_TRUSTED_HOST" => !v.is_empty(),
        _ => false,
    }
}

/// Why a command turns verification off, if it does.
fn command_disables(name: &str, args: &[String]) -> Option<&'static str> {
    let lower: Vec<String> = args.iter().map(|a| a.to_ascii_lowercase()).collect();
    let has = |s: &str| {
        lower
            .iter()
            .any(|a| a == s || a.starts_with(&format!("{s}=")))
    };
    match name {
        "curl" => {
            let (opts, _) = split_args(args, &["-o", "-H", "-d", "-u", "-x", "-A", "-e", "-K"]);
            (has_short(&opts, 'k') || has("--insecure")).then_some("curl --insecure")
        }
        "wget" => has("--no-check-certificate").then_some("wget --no-check-certificate"),
        "npm" | "yarn" | "pnpm" => {
            let joined = lower.join(" ");
            (joined.contains("strict-ssl false") || joined.contains("strict-ssl=false"))
                .then_some("strict-ssl false")
        }
        "git" => lower
            .iter()
            .any(|a| a.contains("sslverify=false") || a.contains("sslverify false"))
            .then_some("git http.sslVerify=false")
            .or_else(|| {
                let joined = lower.join(" ");
                joined
                    .contains("http.sslverify false")
                    .then_some("git http.sslVerify false")
            }),
        _ => pip(name, args)
            .filter(|c| c.opts.iter().any(|o| o.starts_with("--trusted-host")))
            .map(|_| "pip --trusted-host"),
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let all = match instructions(r) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    for i in &all {
        match i.keyword() {
            "RUN" => {
                for (name, args) in programs(&i.script()) {
                    if let Some(why) = command_disables(&name, &args) {
                        fails.push(format!("line {}: RUN uses {why}", i.line()));
                    }
                }
            }
            "ENV" | "ARG" => {
                for (name, value) in i.vars() {
                    if value.is_some_and(|v| env_disables(&name.to_ascii_uppercase(), v)) {
                        fails.push(format!(
                            "line {}: {} {name} turns certificate checks off",
                            i.line(),
                            i.keyword()
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    verdict(
        fails,
        Vec::new(),
        "no instruction disables TLS certificate verification",
    )
}
