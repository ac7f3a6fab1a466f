use super::common::KIND;
use super::pkg::{pip, unpinned_installs, Pinning};
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
    unpinned_installs(
        r,
        &Pinning {
            parse: pip,
            sub: "install",
            // `pip3` and `python -m pip` are all named pip.
            label: Some("pip"),
            // A constraints file decides the versions of everything named.
            skip: |call| {
                call.opts
                    .iter()
                    .any(|o| *o == "-c" || o.starts_with("--constraint"))
            },
            pinned: |p| p.contains("==") || is_local(p),
            missing: "an exact version",
            pass: "every pip install pins versions or uses a requirements file",
        },
    )
}
