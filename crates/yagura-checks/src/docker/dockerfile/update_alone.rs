use super::common::{of_keyword, verdict, KIND};
use super::pkg::{apk, apt};
use super::shell::programs;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-017",
    title: "Dockerfile does not run a package index update in a RUN of its own",
    severity: Severity::Low,
    kind: KIND,
    rationale:
        "A RUN that only updates the package index is cached as its own layer. Later builds \
        reuse the stale index while the install step below changes, so they install outdated, \
        possibly vulnerable versions or fail, and nobody notices the cache is old.",
    remediation: "Update and install in the same RUN: `RUN apt-get update && apt-get install -y \
        --no-install-recommends PKG=VER && rm -rf /var/lib/apt/lists/*` (for Alpine use \
        `apk add --no-cache`, which needs no separate update).",
    frameworks: &["cis-docker-1.6:4.7", "nist-800-53-r5:SI-2"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y curl=7", "exec_form": null, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update", "exec_form": null, "start_line": 2}, {"instruction": "RUN", "arguments": "apt-get install -y curl=7", "exec_form": null, "start_line": 3}]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let runs = match of_keyword(r, "RUN") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    for run in &runs {
        let mut updates = Vec::new();
        let mut installs = false;
        for (name, args) in programs(&run.script()) {
            if let Some(c) = apt(&name, &args) {
                match c.sub {
                    "update" => updates.push(format!("{} update", c.tool)),
                    "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep" => {
                        installs = true
                    }
                    _ => {}
                }
            }
            if let Some(c) = apk(&name, &args) {
                match c.sub {
                    "update" => updates.push("apk update".into()),
                    "add" | "upgrade" => installs = true,
                    _ => {}
                }
            }
        }
        if !updates.is_empty() && !installs {
            fails.push(format!(
                "line {}: {} without an install in the same RUN",
                run.line(),
                updates.join(", ")
            ));
        }
    }
    verdict(
        fails,
        Vec::new(),
        "package index updates share a RUN with the install",
    )
}
