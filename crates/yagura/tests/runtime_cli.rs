//! `yagura runtime rules|replay` and `agent runtime` on bad input; no root needed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn yagura(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yagura"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run yagura")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const GOOD_AND_BAD: &str = "\
- rule: Good rule
  desc: fine
  condition: evt.type = execve and proc.name = nc
  output: nc ran (%proc.cmdline)
  priority: WARNING

- rule: Broken rule
  desc: the condition does not parse
  condition: evt.type = execve and (proc.name = nc
  output: never
  priority: WARNING
";

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn a_rule_that_does_not_parse_names_file_line_and_column_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bad.yaml", GOOD_AND_BAD);
    let out = yagura(&[
        "runtime",
        "rules",
        "--no-default-rules",
        "--rules",
        f.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    // The broken rule's condition is on line 9.
    let want = format!("{}:9:", f.display());
    assert!(err.contains(&want), "want {want} in: {err}");
    assert!(err.contains("Broken rule"), "{err}");

    // The agent refuses to start the same way, before touching the kernel.
    let out = yagura(&[
        "agent",
        "runtime",
        "--no-default-rules",
        "--rules",
        f.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains(&want), "{}", text(&out.stderr));
}

#[test]
fn skip_invalid_rules_loads_the_rest_and_lists_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bad.yaml", GOOD_AND_BAD);
    let out = yagura(&[
        "runtime",
        "rules",
        "--no-default-rules",
        "--skip-invalid-rules",
        "--rules",
        f.to_str().unwrap(),
        "-f",
        "json",
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&format!("{}:9:", f.display())), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["loaded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Good rule"]);
}

#[test]
fn unknown_fields_are_reported_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "fields.yaml",
        "\
- rule: Uses a field we do not have
  desc: proc.env is not collected
  condition: evt.type = execve and proc.env contains SECRET
  output: x
  priority: WARNING
- rule: Fine
  desc: ok
  condition: evt.type = execve and proc.name = sh
  output: x
  priority: WARNING
",
    );
    let out = yagura(&[
        "runtime",
        "rules",
        "--no-default-rules",
        "--rules",
        f.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{v}");
    assert_eq!(skipped[0]["rule"], "Uses a field we do not have");
    assert!(
        skipped[0]["reason"].as_str().unwrap().contains("proc.env"),
        "{v}"
    );
    assert_eq!(v["loaded"].as_array().unwrap().len(), 1);
}

#[test]
fn upstream_falco_rules_load_and_every_skip_has_a_reason() {
    let upstream = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/falco-rules");
    let file = upstream.join("falco_rules.yaml");
    if !file.exists() {
        println!("skipped: {} is absent", upstream.display());
        return;
    }
    let out = yagura(&[
        "runtime",
        "rules",
        "--no-default-rules",
        "--rules",
        file.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let loaded = v["loaded"].as_array().unwrap().len();
    let skipped = v["skipped"].as_array().unwrap();
    println!(
        "upstream falco_rules.yaml: {loaded} loaded, {} skipped",
        skipped.len()
    );
    assert!(loaded >= 15, "{v}");
    for s in skipped {
        assert!(!s["reason"].as_str().unwrap_or("").is_empty(), "{s}");
    }
    // Commands that run the rules list each skipped rule and why on stderr.
    let dir = tempfile::tempdir().unwrap();
    let rec = write(
        dir.path(),
        "empty.rec",
        "{\"format\":\"yagura-runtime-recording\",\"version\":1}\n",
    );
    let out = yagura(&[
        "runtime",
        "replay",
        rec.to_str().unwrap(),
        "--no-default-rules",
        "--rules",
        file.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    for s in skipped {
        let line = format!(
            "rule {:?} skipped: {}",
            s["rule"].as_str().unwrap(),
            s["reason"].as_str().unwrap()
        );
        assert!(err.contains(&line), "want {line} in: {err}");
    }
}

#[test]
fn replay_of_a_file_that_is_not_a_recording_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "notes.txt", "hello\n");
    let out = yagura(&["runtime", "replay", f.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("notes.txt") && err.contains("not a yagura recording"),
        "{err}"
    );
}

#[test]
fn response_for_an_unknown_rule_is_an_error() {
    let out = yagura(&["runtime", "rules", "--response", "No such rule=kill"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("No such rule"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn agent_without_root_says_so() {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        // Drop to nobody to see what an unprivileged user gets.
        if Command::new("setpriv").arg("--version").output().is_err() {
            println!("skipped: running as root and setpriv is unavailable");
            return;
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_yagura"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_yagura"))
    };
    let out = cmd
        .args(["agent", "runtime", "--duration", "1"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    if err.contains("Permission denied") && err.contains("setpriv") {
        println!("skipped: {err}");
        return;
    }
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("needs root"), "{err}");
}

#[test]
fn shipped_service_files_use_flags_the_agent_has() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let help = text(&yagura(&["agent", "runtime", "--help"]).stdout);
    let unit = std::fs::read_to_string(root.join("deploy/yagura-runtime.service")).unwrap();
    let ds = std::fs::read_to_string(root.join("deploy/kubernetes/yagura-runtime-daemonset.yaml"))
        .unwrap();
    assert!(unit.contains("agent runtime"));
    assert!(ds.contains("- agent") && ds.contains("- runtime"));
    for body in [&unit, &ds] {
        let code = body
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        for word in code.split(|c: char| c.is_whitespace() || c == '=' || c == '"') {
            if let Some(flag) = word.strip_prefix("--") {
                if !flag.starts_with(|c: char| c.is_ascii_lowercase())
                    || !flag.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                {
                    continue;
                }
                assert!(
                    help.contains(&format!("--{flag}")),
                    "--{flag} in a deploy file is not an option of `yagura agent runtime`"
                );
            }
        }
    }
}
