use super::common::{of_keyword, verdict, KIND};
use super::shell::{base_name, commands, pipelines, program};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-006",
    title: "Dockerfile does not pipe downloaded scripts into a shell",
    severity: Severity::High,
    kind: KIND,
    rationale: "`curl ... | sh` runs whatever the server sends at build time, unreviewed and \
        unverified, with the build's privileges (often root). A compromised host, a DNS hijack \
        or a truncated download becomes code execution inside the image.",
    remediation: "Download the script or binary to a file, verify it against a pinned checksum or \
        signature (`sha256sum -c`, `gpg --verify`), review it, then run it; better, install \
        the tool from a signed package repository.",
    frameworks: &[
        "cis-docker-1.6:4.11",
        "cis-docker-1.6:4.12",
        "nist-800-53-r5:SI-7",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "[\"sh\", \"-c\", \"curl -fsSL https://x | gpg --dearmor -o /k.gpg\"]", "exec_form": ["sh", "-c", "curl -fsSL https://x | gpg --dearmor -o /k.gpg"], "flags": {}, "start_line": 2}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "curl -fsSLo /tmp/i.sh https://x/i.sh && sha256sum -c i.sha && sh /tmp/i.sh", "exec_form": null, "flags": {}, "start_line": 3}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "[\"/bin/bash\", \"-c\", \"curl -fsSL https://x | bash\"]", "exec_form": ["/bin/bash", "-c", "curl -fsSL https://x | bash"], "flags": {}, "start_line": 2}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "curl -fsSL https://get.example.com | sh", "exec_form": null, "flags": {}, "start_line": 3}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "bash -c \"$(wget -qO- https://x/install)\"", "exec_form": null, "flags": {}, "start_line": 6}]}]}"#,
        ],
    },
    notes: "",
};

const DOWNLOADERS: &[&str] = &["curl", "wget", "fetch"];
const INTERPRETERS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "python", "python2", "python3", "perl",
    "ruby", "node", "php",
];

fn is_interpreter(name: &str) -> bool {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    INTERPRETERS.contains(&name) || INTERPRETERS.contains(&base)
}

/// `$(curl ...)`, `` `wget ...` `` or `<(curl ...)` inside a word.
fn substitutes_download(word: &str) -> bool {
    ["$(", "`", "<("].iter().any(|open| {
        word.match_indices(open).any(|(i, _)| {
            let inner = word[i + open.len()..].trim_start();
            let first = inner.split_whitespace().next().unwrap_or("");
            DOWNLOADERS.contains(&base_name(first))
        })
    })
}

/// Why the script runs downloaded code, if it does.
fn finding(script: &str) -> Option<String> {
    let cmds = commands(script);
    for line in pipelines(&cmds) {
        let names: Vec<&str> = line
            .iter()
            .filter_map(|c| program(&c.words).first().map(|w| base_name(w)))
            .collect();
        if let Some(d) = names.iter().position(|n| DOWNLOADERS.contains(n)) {
            if let Some(sh) = names[d + 1..].iter().find(|n| is_interpreter(n)) {
                return Some(format!("pipes {} output into {sh}", names[d]));
            }
        }
    }
    for c in &cmds {
        let p = program(&c.words);
        let Some(name) = p.first().map(|w| base_name(w)) else {
            continue;
        };
        if is_interpreter(name) && p[1..].iter().any(|w| substitutes_download(w)) {
            return Some(format!("runs a downloaded script with {name}"));
        }
    }
    None
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let runs = match of_keyword(r, "RUN") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let fails = runs
        .iter()
        .filter_map(|i| finding(&i.script()).map(|why| format!("line {}: RUN {why}", i.line())))
        .collect();
    verdict(
        fails,
        Vec::new(),
        "no RUN pipes a download into an interpreter",
    )
}

#[cfg(test)]
mod tests {
    use super::finding;

    #[test]
    fn detects_pipes_and_substitutions() {
        assert!(
            finding("curl -sL https://deb.nodesource.com/setup_20.x | sudo -E bash -").is_some()
        );
        assert!(finding("wget -O - https://x | tee /tmp/log | sh").is_some());
        assert!(finding("sh <(curl -s https://x)").is_some());
        assert!(finding("python3 -c \"$(curl -fsSL https://x)\"").is_some());
        assert!(finding("curl -fsSL https://x | gpg --dearmor -o /k.gpg").is_none());
        assert!(finding("curl -fsSL https://x | tar -xz && sh ./configure").is_none());
        assert!(finding("echo curl | grep c").is_none());
    }
}
