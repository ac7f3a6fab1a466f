use super::common::{of_keyword, verdict, KIND};
use super::pkg::{apt, is_variable};
use super::shell::programs;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-009",
    title: "Dockerfile pins package versions in apt-get install",
    severity: Severity::Low,
    kind: KIND,
    rationale:
        "Unversioned apt installs take whatever the mirror serves on the day of the build, so \
        two builds of the same Dockerfile differ, a vulnerable or broken version can slip in \
        unnoticed, and an image cannot be rebuilt to a known state.",
    remediation: "Pin each package to a version (`apt-get install -y --no-install-recommends \
        curl=7.88.1-10+deb12u5`) and update the pins deliberately, e.g. with a dependency bot.",
    frameworks: &["nist-800-53-r5:CM-2", "nist-800-53-r5:CM-3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 ./local.deb", "exec_form": null, "start_line": 3}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y curl git=1:2.39", "exec_form": null, "start_line": 3}]}]}"#,
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
    let mut unknown = Vec::new();
    for run in &runs {
        for (name, args) in programs(&run.script()) {
            let Some(call) = apt(&name, &args) else {
                continue;
            };
            if call.sub != "install" {
                continue;
            }
            let mut loose = Vec::new();
            for p in &call.operands {
                if is_variable(p) {
                    unknown.push(format!(
                        "line {}: {} install of `{p}` depends on a variable",
                        run.line(),
                        call.tool
                    ));
                } else if !(p.contains('=') || p.ends_with(".deb")) {
                    loose.push(*p);
                }
            }
            if !loose.is_empty() {
                fails.push(format!(
                    "line {}: {} install without a version for {}",
                    run.line(),
                    call.tool,
                    loose.join(", ")
                ));
            }
        }
    }
    verdict(
        fails,
        unknown,
        "every apt-get install pins its package versions",
    )
}
