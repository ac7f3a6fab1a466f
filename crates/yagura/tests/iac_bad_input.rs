//! End-to-end tests of `yagura scan iac` and `yagura scan secrets` on hostile or
//! broken input: cycles, huge, binary and deeply nested files, alias bombs,
//! symlink loops, garbage on stdin and bad rule files. Each run must finish in
//! time without a panic, name what it could not read (with a line where the
//! parser gives one), exit 2 when the scan is partial, and still report the good
//! files of the same tree.

use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Long enough for a debug build on a busy two-core machine; a hang is far longer.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs the binary in `dir`, feeding `stdin` (from a thread, so large inputs
/// cannot deadlock against a full stdout pipe), and fails the test when it
/// does not finish within `TIMEOUT`.
fn yagura(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yagura"))
        .args(args)
        .current_dir(dir)
        .env("YAGURA_DB", dir.join("y.db"))
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run yagura");
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        // The process may stop reading early (e.g. on invalid UTF-8): a broken
        // pipe is not a test failure.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("yagura {args:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    let run = Run {
        code: status.code(),
        stdout: out_reader.join().unwrap(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "yagura {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn json(r: &Run) -> Value {
    serde_json::from_slice(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr:\n{}", r.stderr))
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

fn errors(report: &Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

/// The report error naming `file`; with `line`, it must read `file:<digits>:`.
fn error_for(report: &Value, file: &str, line: bool) -> String {
    let errs = errors(report);
    let hit = errs.iter().find(|e| e.contains(file));
    let Some(e) = hit else {
        panic!("no error names {file}: {errs:#?}")
    };
    if line {
        let rest = &e[e.find(file).unwrap() + file.len()..];
        let digits: String = rest
            .strip_prefix(':')
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert!(
            !digits.is_empty() && rest[1 + digits.len()..].starts_with(':'),
            "error for {file} has no line number: {e}"
        );
    }
    e.clone()
}

/// Findings whose resource location is in a file ending with `suffix`.
fn findings_in<'a>(report: &'a Value, suffix: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["resource"]["location"]["file"]
                .as_str()
                .is_some_and(|p| p.ends_with(suffix))
        })
        .collect()
}

fn has(report: &Value, check: &str, status: &str, suffix: &str) -> bool {
    findings_in(report, suffix)
        .iter()
        .any(|f| f["check"] == check && f["status"] == status)
}

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    while v.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.extend_from_slice(&seed.to_le_bytes());
    }
    v.truncate(len);
    v
}

const GOOD_TF: &str = "resource \"aws_s3_bucket\" \"good\" {\n  bucket = \"acme-good\"\n}\n";

const GOOD_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";

const GOOD_DOCKERFILE: &str = "FROM node:latest\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n";

/// A key id shaped like AWS's, assembled so the test file itself holds none.
fn fake_aws_key_id() -> String {
    format!("{}{}", "AKIA", "Q7ZW3XKPL5NB2RTD")
}

const IAC_JSON: &[&str] = &[
    "scan",
    "iac",
    ".",
    "--no-store",
    "--no-secrets",
    "-f",
    "json",
];

#[test]
fn terraform_module_and_reference_cycles_are_reported() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(
        d,
        "main.tf",
        format!(
            "module \"a\" {{\n  source = \"./mods/a\"\n}}\n\nmodule \"self\" {{\n  source = \"./self\"\n}}\n\n\
             resource \"aws_security_group\" \"a\" {{\n  name = aws_security_group.b.name\n}}\n\n\
             resource \"aws_security_group\" \"b\" {{\n  name = aws_security_group.a.name\n}}\n\n{GOOD_TF}"
        ),
    );
    write(
        d,
        "mods/a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\n",
    );
    write(
        d,
        "mods/b/main.tf",
        "module \"a\" {\n  source = \"../a\"\n}\n",
    );
    write(
        d,
        "self/main.tf",
        "module \"again\" {\n  source = \"./\"\n}\n",
    );

    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    let pair = error_for(&report, "b/main.tf", true);
    assert!(pair.contains("cycl"), "{pair}");
    let own = error_for(&report, "self/main.tf", true);
    assert!(own.contains("cycl"), "{own}");
    let refs = errors(&report)
        .into_iter()
        .find(|e| e.contains("reference cycle"))
        .expect("the a -> b -> a reference cycle is reported");
    assert!(refs.contains("main.tf:"), "{refs}");
    assert!(has(&report, "AWS-S3-002", "FAIL", "main.tf"));
}

#[test]
fn terraform_huge_binary_non_utf8_deep_and_exploding_files_are_skipped() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    // All in one module folder: the readable files of the module still load.
    write(d, "infra/main.tf", GOOD_TF);

    let mut big = String::with_capacity(21 << 20);
    let mut i = 0;
    while big.len() < 20 << 20 {
        big.push_str(&format!(
            "resource \"aws_s3_bucket\" \"b{i}\" {{\n  bucket = \"bucket-{i}\"\n}}\n"
        ));
        i += 1;
    }
    write(d, "infra/big.tf", big);
    write(
        d,
        "infra/random.tf",
        noise(64 * 1024, 0x9e37_79b9_7f4a_7c15),
    );
    write(
        d,
        "infra/latin1.tf",
        b"resource \"aws_s3_bucket\" \"u\" {\n  bucket = \"caf\xe9\xff\"\n}\n",
    );
    write(
        d,
        "infra/deep.tf",
        format!(
            "locals {{\n  x = {}{}\n}}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    // Each local doubles the previous one: 2^64 bytes if nothing bounds it.
    let mut doubling = String::from("locals {\n  s0 = \"ab\"\n");
    for k in 0..64 {
        doubling.push_str(&format!(
            "  s{} = \"${{local.s{k}}}${{local.s{k}}}\"\n",
            k + 1
        ));
    }
    doubling.push_str("}\n\nresource \"aws_s3_bucket\" \"d\" {\n  bucket = local.s64\n}\n");
    write(d, "infra/doubling.tf", doubling);

    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    let big = error_for(&report, "big.tf", false);
    assert!(big.contains("larger") || big.contains("size"), "{big}");
    error_for(&report, "random.tf", false);
    error_for(&report, "latin1.tf", true);
    error_for(&report, "deep.tf", false);
    let exploded = error_for(&report, "doubling.tf", true);
    assert!(exploded.contains("too large"), "{exploded}");
    assert!(
        findings_in(&report, "infra/main.tf")
            .iter()
            .any(|f| f["check"] == "AWS-S3-002" && f["resource"]["name"] == "acme-good"),
        "the good bucket next to the bad files is still checked"
    );
}

/// One "billion laughs" document: nine levels of nine aliases each.
fn laughs(indent: &str) -> String {
    let mut s = format!("{indent}l0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for k in 1..10 {
        let refs = vec![format!("*l{}", k - 1); 9].join(", ");
        s.push_str(&format!("{indent}l{k}: &l{k} [{refs}]\n"));
    }
    s
}

#[test]
fn yaml_alias_bombs_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "k8s/good.yaml", GOOD_POD);
    write(
        d,
        "k8s/bomb.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n{}",
            laughs("  ")
        ),
    );
    write(
        d,
        "cfn/bomb.yaml",
        format!(
            "AWSTemplateFormatVersion: \"2010-09-09\"\nMappings:\n  M:\n{}Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *l9\n",
            laughs("    ")
        ),
    );
    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    error_for(&report, "k8s/bomb.yaml", true);
    error_for(&report, "cfn/bomb.yaml", false);
    assert!(has(&report, "K8S-POD-001", "FAIL", "k8s/good.yaml"));
}

#[test]
fn deeply_nested_json_fails_fast() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "k8s/good.yaml", GOOD_POD);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Not an IaC format at all: ignored, but must not take the scan down.
    write(d, "data/deep.json", &deep);
    write(
        d,
        "cfn/deep.json",
        format!("{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"Tags\": {deep}}}}}}}}}"),
    );
    write(
        d,
        "plan/deep.tfplan.json",
        format!("{{\"format_version\": \"1.2\", \"planned_values\": {{\"root_module\": {{\"resources\": {deep}}}}}}}"),
    );
    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    error_for(&report, "cfn/deep.json", true);
    error_for(&report, "plan/deep.tfplan.json", true);
    assert!(
        !errors(&report).iter().any(|e| e.contains("data/deep.json")),
        "a JSON file of no IaC format is not an error"
    );
    assert!(has(&report, "K8S-POD-001", "FAIL", "k8s/good.yaml"));
}

#[test]
fn deeply_nested_yaml_flow_fails_fast() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "k8s/good.yaml", GOOD_POD);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    write(
        d,
        "k8s/deep.yaml",
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  x: {deep}\n"),
    );
    // JSON first, then the YAML fallback for `{`-documents: the same slow path.
    write(
        d,
        "k8s/deep.json",
        format!("{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {{\"name\": \"y\"}}, \"data\": {{\"x\": {deep}}}}}"),
    );
    write(
        d,
        "cfn/deep.yaml",
        format!("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: {deep}\n"),
    );
    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    error_for(&report, "k8s/deep.yaml", true);
    error_for(&report, "k8s/deep.json", true);
    error_for(&report, "cfn/deep.yaml", true);
    assert!(has(&report, "K8S-POD-001", "FAIL", "k8s/good.yaml"));
}

#[test]
fn long_lines_and_truncated_templates_and_plans() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "k8s/good.yaml", GOOD_POD);
    write(
        d,
        "k8s/long.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: \"{}\"\n",
            "x".repeat(5 << 20)
        ),
    );
    write(
        d,
        "cfn/cut.yaml",
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: \"abc\n",
    );
    write(
        d,
        "cfn/cut.json",
        "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"Bucket\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"BucketName\": \"ab",
    );
    write(
        d,
        "plan/cut.tfplan.json",
        "{\n  \"format_version\": \"1.2\",\n  \"terraform_version\": \"1.9.0\",\n  \"planned_values\": {\n    \"root_module\": {\n      \"resources\": [\n        {\"address\": \"aws_s3_bucket.b\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"b\", \"values\": {\"bucket\": \"x\"",
    );
    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    let errs = errors(&report);
    assert!(
        !errs.iter().any(|e| e.contains("long.yaml")),
        "a long line is not an error: {errs:#?}"
    );
    assert!(error_for(&report, "cfn/cut.yaml", true).contains("cut.yaml:7:"));
    assert!(error_for(&report, "cfn/cut.json", true).contains("cut.json:7:"));
    assert!(error_for(&report, "plan/cut.tfplan.json", true).contains("cut.tfplan.json:7:"));
    assert!(has(&report, "K8S-POD-001", "FAIL", "k8s/good.yaml"));
    // The good pod and the 5 MB ConfigMap both load.
    assert!(
        report["resource_count"].as_u64().unwrap() >= 2,
        "{report:#}"
    );
}

#[test]
fn dockerfile_long_continuation_and_unterminated_heredoc() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "app/Dockerfile", GOOD_DOCKERFILE);
    let mut chain = String::from("FROM alpine:3.20\nRUN echo a");
    while chain.len() < 1 << 20 {
        chain.push_str(" \\\n  && echo a");
    }
    chain.push_str("\nUSER app\n");
    write(d, "chain/Dockerfile", chain);
    write(
        d,
        "heredoc/Dockerfile",
        "FROM alpine:3.20\nRUN <<EOF\necho hi\napk add curl\n",
    );
    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    let open = error_for(&report, "heredoc/Dockerfile", true);
    assert!(open.contains("heredoc"), "{open}");
    assert!(
        !errors(&report)
            .iter()
            .any(|e| e.contains("chain/Dockerfile")),
        "a long continuation is valid"
    );
    assert!(!findings_in(&report, "chain/Dockerfile").is_empty());
    assert!(has(&report, "DOCKER-FILE-004", "FAIL", "app/Dockerfile"));
}

#[test]
fn symlink_loop_and_dangling_link() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "infra/main.tf", GOOD_TF);
    std::fs::create_dir_all(d.join("infra/sub")).unwrap();
    std::os::unix::fs::symlink("..", d.join("infra/sub/loop")).unwrap();
    std::fs::create_dir_all(d.join("k8s")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/yagura/pod.yaml", d.join("k8s/gone.yaml")).unwrap();
    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    error_for(&report, "k8s/gone.yaml", false);
    let good: Vec<&Value> = findings_in(&report, "main.tf")
        .into_iter()
        .filter(|f| f["check"] == "AWS-S3-002")
        .collect();
    assert_eq!(
        good.len(),
        1,
        "the loop does not scan the bucket twice: {good:#?}"
    );
}

#[test]
fn dangling_terraform_symlink_is_reported() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "infra/main.tf", GOOD_TF);
    std::os::unix::fs::symlink("/nonexistent/yagura/shared.tf", d.join("infra/shared.tf")).unwrap();
    let r = yagura(d, IAC_JSON, None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report = json(&r);
    error_for(&report, "infra/shared.tf", false);
    assert!(has(&report, "AWS-S3-002", "FAIL", "infra/main.tf"));
}

#[test]
fn stdin_binary_garbage_and_empty() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let r = yagura(
        d,
        &["scan", "iac", "-", "--no-store", "-f", "json"],
        Some(noise(256 * 1024, 42)),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("stdin"), "{}", r.stderr);

    // An empty render (`helm template` with everything disabled) is nothing to
    // scan, not an error; the report says so.
    let r = yagura(
        d,
        &["scan", "iac", "-", "--no-store", "-f", "json"],
        Some(Vec::new()),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let report = json(&r);
    assert!(report["errors"].as_array().unwrap().is_empty());
    assert!(
        report["not_assessed"].to_string().contains("stdin"),
        "{report:#}"
    );
}

#[test]
fn secrets_huge_file_without_newlines_does_not_block_the_scan() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "src/blob.txt", vec![b'x'; 50 << 20]);
    let key = fake_aws_key_id();
    write(d, "src/settings.py", format!("\n\nAWS_KEY = \"{key}\"\n"));
    let r = yagura(
        d,
        &["scan", "secrets", "src", "--no-store", "-f", "json"],
        None,
    );
    assert!(matches!(r.code, Some(0) | Some(2)), "{}", r.stderr);
    let report = json(&r);
    let f = findings_in(&report, "settings.py");
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(f[0]["resource"]["location"]["start_line"], 3);
}

#[test]
fn secrets_skipped_huge_file_is_named() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "src/blob.txt", vec![b'x'; 50 << 20]);
    let r = yagura(
        d,
        &["scan", "secrets", "src", "--no-store", "-f", "json"],
        None,
    );
    let report = json(&r);
    let listed = ["errors", "notices", "not_assessed"]
        .iter()
        .any(|k| report[*k].to_string().contains("blob.txt"));
    assert!(
        listed || r.stderr.contains("blob.txt"),
        "the skipped file is named somewhere: {report:#}\n{}",
        r.stderr
    );
}

#[test]
fn secrets_dense_single_line_is_linear() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    // Minified-bundle-like: one 2 MB line full of keywords and random tokens.
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let rnd = noise(4 << 20, 7);
    let mut line = Vec::with_capacity(2 << 20);
    let mut k = 0;
    while line.len() < 2 << 20 {
        let piece = rnd[k] % 6;
        k += 1;
        match piece {
            0 => line.extend_from_slice(b"token="),
            1 => line.extend_from_slice(b"secret="),
            2 => line.extend_from_slice(b"api_key=\""),
            3 => {
                line.extend_from_slice(&[ALNUM[rnd[k] as usize % ALNUM.len()]; 3]);
                k += 1;
            }
            4 => line.push(b' '),
            _ => {
                line.extend(
                    rnd[k..k + 40]
                        .iter()
                        .map(|b| ALNUM[*b as usize % ALNUM.len()]),
                );
                k += 40;
            }
        }
    }
    write(d, "dist/bundle.min.js", line);
    let r = yagura(
        d,
        &["scan", "secrets", "dist", "--no-store", "-f", "json"],
        None,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!findings_in(&json(&r), "bundle.min.js").is_empty());
}

#[test]
fn secrets_git_history_outside_a_repository() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "src/settings.py", "debug = True\n");
    let r = yagura(
        d,
        &[
            "scan",
            "secrets",
            "src",
            "--git-history",
            "--no-store",
            "-f",
            "json",
        ],
        None,
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let e = error_for(&json(&r), "src", false);
    assert!(e.contains("git"), "{e}");
}

#[test]
fn secrets_config_missing_or_invalid() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "src/settings.py", "debug = True\n");
    let r = yagura(
        d,
        &[
            "scan",
            "secrets",
            "src",
            "--secrets-config",
            "absent.toml",
            "--no-store",
        ],
        None,
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("absent.toml"), "{}", r.stderr);

    write(
        d,
        "broken.toml",
        "[[rules]]\nid = \"x\"\nregex = \"abc\"\n[allowlist\n",
    );
    for cmd in ["secrets", "iac"] {
        let r = yagura(
            d,
            &[
                "scan",
                cmd,
                "src",
                "--secrets-config",
                "broken.toml",
                "--no-store",
            ],
            None,
        );
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(r.stderr.contains("broken.toml"), "{}", r.stderr);
        assert!(r.stderr.contains("line 4"), "{}", r.stderr);
    }
}
