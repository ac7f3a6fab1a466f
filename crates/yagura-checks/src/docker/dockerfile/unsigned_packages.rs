use super::common::{of_keyword, verdict, KIND};
use super::pkg::{apk, apt, rpm_family};
use super::shell::programs;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-020",
    title: "Dockerfile does not install packages without signature checks",
    severity: Severity::High,
    kind: KIND,
    rationale: "Package managers verify repository signatures so that only packages from the \
        distribution (or a vendor key you trusted) are installed. Options such as \
        `--allow-unauthenticated`, `--allow-untrusted` or `--nogpgcheck` accept any package a \
        mirror or network attacker supplies.",
    remediation: "Remove the option and import the repository's signing key properly (a \
        `signed-by=` keyring for apt, the key in /etc/apk/keys for apk, `gpgkey=` for yum/dnf); \
        install local packages only after verifying their checksum.",
    frameworks: &["cis-docker-1.6:4.11", "nist-800-53-r5:SI-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get install -y curl=7 && apk add --no-cache git=2 && dnf install -y jq-1.7", "exec_form": null, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get install -y --allow-unauthenticated curl=7", "exec_form": null, "start_line": 2}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "yum install -y --nogpgcheck ./agent.rpm", "exec_form": null, "start_line": 2}]}]}"#,
        ],
    },
    notes: "",
};

const APT_BYPASS: &[&str] = &[
    "--allow-unauthenticated",
    "--allow-insecure-repositories",
    "--force-yes",
    "allowunauthenticated=true",
    "allowunauthenticated=1",
    "allowinsecurerepositories=true",
    "allowinsecurerepositories=1",
];
const RPM_BYPASS: &[&str] = &[
    "--nogpgcheck",
    "--no-gpg-checks",
    "--nosignature",
    "--nodigest",
    "gpgcheck=0",
    "gpgcheck=false",
];

fn bypass(name: &str, args: &[String]) -> Option<String> {
    let lower: Vec<String> = args.iter().map(|a| a.to_ascii_lowercase()).collect();
    let find = |list: &[&str]| {
        lower
            .iter()
            .find(|a| list.iter().any(|b| a.as_str() == *b || a.ends_with(b)))
            .cloned()
    };
    if apt(name, args).is_some() {
        return find(APT_BYPASS).map(|o| format!("{name} {o}"));
    }
    if apk(name, args).is_some() {
        return lower
            .iter()
            .find(|a| *a == "--allow-untrusted")
            .map(|o| format!("apk {o}"));
    }
    if rpm_family(name) {
        return find(RPM_BYPASS).map(|o| format!("{name} {o}"));
    }
    None
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let runs = match of_keyword(r, "RUN") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    for run in &runs {
        let script = run.script();
        for (name, args) in programs(&script) {
            if let Some(why) = bypass(&name, &args) {
                fails.push(format!(
                    "line {}: RUN {why} skips signature checks",
                    run.line()
                ));
            }
        }
        // A repository marked trusted in a sources list is never verified.
        if script.contains("trusted=yes") {
            fails.push(format!(
                "line {}: RUN adds an apt source marked trusted=yes",
                run.line()
            ));
        }
    }
    verdict(
        fails,
        Vec::new(),
        "no package is installed with signature checks turned off",
    )
}
