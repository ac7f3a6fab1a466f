use super::common::{of_keyword, verdict, Instr, KIND};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-002",
    title: "Dockerfile does not ADD files from remote URLs without a checksum",
    severity: Severity::Medium,
    kind: KIND,
    rationale: "ADD with a URL downloads whatever the server returns at build time and bakes it \
        into the image with no integrity check. A compromised or changed server, or a network \
        attacker on plain HTTP, silently changes the image contents.",
    remediation: "Download in a RUN step and verify the file against a known digest \
        (`curl -fsSLo f.tgz URL && echo \"SHA256  f.tgz\" | sha256sum -c -`), or give ADD the \
        expected digest with `ADD --checksum=sha256:... URL DEST`.",
    frameworks: &[
        "cis-docker-1.6:4.9",
        "cis-docker-1.6:4.12",
        "nist-800-53-r5:SI-7",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "ADD", "arguments": "app.tar.gz /opt/", "exec_form": null, "flags": {}, "start_line": 3}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "ADD", "arguments": "https://example.com/t.tgz /t.tgz", "exec_form": null, "flags": {"checksum": "sha256:0f1e"}, "start_line": 3}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "ADD", "arguments": "https://example.com/install.sh /tmp/", "exec_form": null, "flags": {}, "start_line": 4}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "ADD", "arguments": "[\"http://example.com/a\", \"/a\"]", "exec_form": ["http://example.com/a", "/a"], "flags": {}, "start_line": 2}]}]}"#,
        ],
    },
    notes: "",
};

pub(crate) fn is_remote(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    ["http://", "https://", "ftp://", "git://", "ssh://", "git@"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// The source operands of an ADD/COPY (every word but the destination).
pub(crate) fn sources(i: &Instr, text: &str) -> Vec<String> {
    let words: Vec<String> = match i.exec_form() {
        Some(w) => w.into_iter().map(str::to_string).collect(),
        None => text.split_whitespace().map(str::to_string).collect(),
    };
    match words.split_last() {
        Some((_, srcs)) => srcs.to_vec(),
        None => Vec::new(),
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let adds = match of_keyword(r, "ADD") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    let mut unknown = Vec::new();
    for add in &adds {
        let verified = add.flag("checksum").iter().any(|c| !c.is_empty());
        let line = add.line();
        // The raw text shows a URL even when a variable completes it.
        let raw_remote = sources(add, add.arguments()).iter().any(|s| is_remote(s));
        let remote = match add.expanded() {
            Ok(text) => sources(add, text)
                .into_iter()
                .filter(|s| is_remote(s))
                .collect(),
            Err(_) if raw_remote => sources(add, add.arguments()),
            Err(expr) => {
                unknown.push(format!(
                    "line {line}: ADD source `{expr}` depends on a build argument"
                ));
                continue;
            }
        };
        if !remote.is_empty() && !verified {
            fails.push(format!(
                "line {line}: ADD fetches {} without --checksum",
                remote.join(", ")
            ));
        }
    }
    verdict(fails, unknown, "no ADD downloads a remote URL unverified")
}
