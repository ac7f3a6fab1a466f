use super::common::{of_keyword, verdict, KIND};
use super::pkg::{apk, apt};
use super::shell::{programs, split_args};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-014",
    title: "Dockerfile does not run a full distribution upgrade",
    severity: Severity::Low,
    kind: KIND,
    rationale: "`apt-get upgrade`, `dist-upgrade` and their apk/yum/dnf equivalents replace \
        whatever the base image shipped with whatever the mirror has that day: the image drifts \
        from the base that was scanned and tested, and builds stop being reproducible. Security \
        fixes belong in a rebuilt, newer base image.",
    remediation: "Remove the upgrade step and move to a patched base image tag (or digest); if a \
        single package needs a fix, install that package at a pinned version.",
    frameworks: &["nist-800-53-r5:CM-2", "nist-800-53-r5:CM-3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y --only-upgrade openssl=3.0.14", "exec_form": null, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get -y dist-upgrade", "exec_form": null, "start_line": 2}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "yum -y update && yum clean all", "exec_form": null, "start_line": 2}]}]}"#,
        ],
    },
    notes: "",
};

/// The upgrade-everything command of the call, if it is one.
fn upgrade(name: &str, args: &[String]) -> Option<String> {
    if let Some(c) = apt(name, args) {
        if matches!(
            c.sub,
            "upgrade" | "dist-upgrade" | "full-upgrade" | "safe-upgrade"
        ) {
            return Some(format!("{} {}", c.tool, c.sub));
        }
    }
    if let Some(c) = apk(name, args) {
        if c.sub == "upgrade" {
            return Some("apk upgrade".into());
        }
    }
    if matches!(name, "yum" | "dnf" | "microdnf" | "tdnf") {
        let (_, ops) = split_args(args, &["--setopt", "-c", "--config"]);
        // `yum update` with no package names upgrades everything.
        if let Some((sub, rest)) = ops.split_first() {
            if matches!(*sub, "update" | "upgrade" | "distro-sync") && rest.is_empty() {
                return Some(format!("{name} {sub}"));
            }
        }
    }
    if name == "zypper" {
        let (_, ops) = split_args(args, &[]);
        if ops
            .first()
            .is_some_and(|s| matches!(*s, "update" | "up" | "dist-upgrade" | "dup"))
        {
            return Some("zypper update".into());
        }
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
        for (name, args) in programs(&run.script()) {
            if let Some(what) = upgrade(&name, &args) {
                fails.push(format!("line {}: RUN {what}", run.line()));
            }
        }
    }
    verdict(fails, Vec::new(), "no RUN upgrades the whole distribution")
}
