use super::add_remote_url::{is_remote, sources};
use super::common::{of_keyword, verdict, KIND};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-003",
    title: "Dockerfile uses COPY rather than ADD for local files",
    severity: Severity::Low,
    kind: KIND,
    rationale:
        "ADD has side effects COPY does not: it unpacks archives and can fetch URLs. Using it \
        for plain local files hides those behaviours from reviewers, and a file later renamed to \
        an archive name gets extracted into the image unexpectedly.",
    remediation:
        "Replace `ADD src dest` by `COPY src dest` for local files and directories; keep ADD \
        only where the automatic extraction of a local tar archive is wanted.",
    frameworks: &["cis-docker-1.6:4.9", "nist-800-53-r5:CM-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "COPY", "arguments": ". /app", "exec_form": null, "flags": {}, "start_line": 3}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "ADD", "arguments": "rootfs.tar.xz /", "exec_form": null, "flags": {}, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "ADD", "arguments": ". /app", "exec_form": null, "flags": {}, "start_line": 5}]}]}"#,
        ],
    },
    notes: "",
};

/// Archive names ADD extracts (tar, optionally compressed).
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".gz", ".bz2",
    ".xz", ".tar.zst", ".zst",
];

fn is_archive(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    ARCHIVES.iter().any(|a| s.ends_with(a))
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let adds = match of_keyword(r, "ADD") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    let mut unknown = Vec::new();
    for add in &adds {
        let line = add.line();
        let text = match add.expanded() {
            Ok(t) => t,
            Err(expr) => {
                unknown.push(format!(
                    "line {line}: ADD `{expr}` depends on a build argument"
                ));
                continue;
            }
        };
        let srcs = sources(add, text);
        // Remote sources are DOCKER-FILE-002's concern; archives justify ADD.
        if srcs.is_empty() || srcs.iter().any(|s| is_remote(s) || is_archive(s)) {
            continue;
        }
        fails.push(format!(
            "line {line}: ADD of local {} where COPY would do",
            srcs.join(", ")
        ));
    }
    verdict(
        fails,
        unknown,
        "ADD is used only for remote files or local archives",
    )
}
