use super::common::{of_keyword, verdict, KIND};
use super::pkg::apt;
use super::shell::programs;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-013",
    title: "Dockerfile apt installs skip recommended packages and clean the package lists",
    severity: Severity::Low,
    kind: KIND,
    rationale: "Recommended packages pull in software the image does not need, each one more code \
        to patch and more attack surface; package lists left in the layer bloat the image and \
        hold stale metadata. Keeping images minimal is part of reducing what can be attacked.",
    remediation: "Write apt installs as `apt-get update && apt-get install -y \
        --no-install-recommends PKG=VER && rm -rf /var/lib/apt/lists/*` in one RUN (or use a \
        BuildKit cache mount on /var/lib/apt).",
    frameworks: &["cis-docker-1.6:4.3", "nist-800-53-r5:CM-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y --no-install-recommends curl=7 && rm -rf /var/lib/apt/lists/*", "exec_form": null, "flags": {}, "start_line": 2}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get install -y --no-install-recommends curl", "exec_form": null, "flags": {"mount": "type=cache,target=/var/lib/apt,sharing=locked"}, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y curl", "exec_form": null, "flags": {}, "start_line": 2}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get install -y --no-install-recommends curl", "exec_form": null, "flags": {}, "start_line": 2}]}]}"#,
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
        let script = run.script();
        let cleans = script.contains("/var/lib/apt/lists")
            && programs(&script)
                .iter()
                .any(|(n, a)| n == "rm" && a.iter().any(|w| w.starts_with("/var/lib/apt/lists")));
        let cached = run
            .flag("mount")
            .iter()
            .any(|m| m.contains("type=cache") && m.contains("/var/lib/apt"));
        for (name, args) in programs(&script) {
            let Some(call) = apt(&name, &args) else {
                continue;
            };
            if call.sub != "install" {
                continue;
            }
            let mut missing = Vec::new();
            let no_recommends = call.opts.iter().any(|o| {
                *o == "--no-install-recommends"
                    || o.contains("Install-Recommends=false")
                    || o.contains("Install-Recommends=0")
            });
            if !no_recommends {
                missing.push("--no-install-recommends");
            }
            if !cleans && !cached {
                missing.push("`rm -rf /var/lib/apt/lists/*` in the same RUN");
            }
            if !missing.is_empty() {
                fails.push(format!(
                    "line {}: {} install without {}",
                    run.line(),
                    call.tool,
                    missing.join(" and ")
                ));
            }
        }
    }
    verdict(
        fails,
        Vec::new(),
        "apt installs skip recommends and clean their package lists",
    )
}
