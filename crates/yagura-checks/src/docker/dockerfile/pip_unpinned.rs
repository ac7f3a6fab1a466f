use super::common::{of_keyword, verdict, KIND};
use super::pkg::{is_variable, pip};
use super::shell::programs;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-011",
    title: "Dockerfile pins versions in pip install",
    severity: Severity::Low,
    kind: KIND,
    rationale: "`pip install flask` resolves to the newest release at build time. A malicious or \
        broken release (typosquats and hijacked maintainer accounts are common on PyPI) enters \
        the image on the next build, and the image cannot be reproduced.",
    remediation: "Pin exact versions (`pip install flask==3.0.3`), or install from a locked \
        requirements file (`pip install -r requirements.txt`, ideally with `--require-hashes`) \
        or with a constraints file (`-c constraints.txt`).",
    frameworks: &["nist-800-53-r5:CM-2", "nist-800-53-r5:SI-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "pip install --no-cache-dir -r requirements.txt flask==3.0.3 .", "exec_form": null, "start_line": 4}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "pip3 install --upgrade pip requests>=2", "exec_form": null, "start_line": 4}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "python3 -m pip install flask", "exec_form": null, "start_line": 4}]}]}"#,
        ],
    },
    notes: "Requirement and constraint files are not read; they are assumed to pin versions.",
};

/// A local path, archive or URL rather than a package from the index.
fn is_local(op: &str) -> bool {
    let o = op.to_ascii_lowercase();
    o.starts_with('.')
        || o.starts_with('/')
        || o.contains("://")
        || o.contains('@')
        || [".whl", ".tar.gz", ".zip", ".tar.bz2"]
            .iter()
            .any(|s| o.ends_with(s))
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let runs = match of_keyword(r, "RUN") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    let mut unknown = Vec::new();
    for run in &runs {
        for (name, args) in programs(&run.script()) {
            let Some(call) = pip(&name, &args) else {
                continue;
            };
            if call.sub != "install" {
                continue;
            }
            // A constraints file decides the versions of everything named.
            if call
                .opts
                .iter()
                .any(|o| *o == "-c" || o.starts_with("--constraint"))
            {
                continue;
            }
            let mut loose = Vec::new();
            for p in &call.operands {
                if is_variable(p) {
                    unknown.push(format!(
                        "line {}: pip install of `{p}` depends on a variable",
                        run.line()
                    ));
                } else if !(p.contains("==") || is_local(p)) {
                    loose.push(*p);
                }
            }
            if !loose.is_empty() {
                fails.push(format!(
                    "line {}: pip install without an exact version for {}",
                    run.line(),
                    loose.join(", ")
                ));
            }
        }
    }
    verdict(
        fails,
        unknown,
        "every pip install pins versions or uses a requirements file",
    )
}
