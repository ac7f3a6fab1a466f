//! End-to-end tests of `yagura scan iac` and `yagura scan secrets`: the binary on
//! a small repository with every format, suppressions, broken files and a secret.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn yagura_in(dir: &Path, db: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yagura"))
        .args(args)
        .current_dir(dir)
        .env("YAGURA_DB", db)
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
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn find<'a>(report: &'a Value, check: &str, status: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == check && f["status"] == status)
        .collect()
}

const MAIN_TF: &str = r#"variable "public" {
  type    = bool
  default = true
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_acl" "data" {
  bucket = aws_s3_bucket.data.id
  acl    = var.public ? "public-read" : "private"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = !var.public
  ignore_public_acls      = !var.public
  block_public_policy     = true
  restrict_public_buckets = true
}

# yagura:ignore AWS-RDS-001 dev database holds synthetic data only
resource "aws_db_instance" "dev" {
  identifier          = "dev"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  skip_final_snapshot = true
}

resource "aws_db_instance" "prod" { # yagura:ignore AWS-RDS-001
  identifier          = "prod"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  skip_final_snapshot = true
}
"#;

const POD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
  annotations:
    yagura.io/ignore: "K8S-POD-001=break-glass debug pod, deleted after use"
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
"#;

/// A key id shaped like AWS's, assembled so the test file itself holds none.
fn fake_aws_key_id() -> String {
    format!("{}{}", "AKIA", "Q7ZW3XKPL5NB2RTD")
}

#[test]
fn iac_scan_reports_locations_suppressions_and_partial_failures() {
    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    write(d, "infra/main.tf", MAIN_TF);
    write(d, "k8s/debug.yaml", POD);
    write(
        d,
        "k8s/broken.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: [oops\n",
    );
    write(
        d,
        "app/Dockerfile",
        "FROM node:latest\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
    );
    let key = fake_aws_key_id();
    write(d, "app/config.env", &format!("AWS_ACCESS_KEY_ID={key}\n"));
    let db = d.join("y.db");

    let o = yagura_in(d, &db, &["scan", "iac", ".", "-f", "json"], None);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a broken file makes the scan partial"
    );
    let report = json(&o);
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().contains("broken.yaml:")),
        "{errors:?}"
    );

    // Terraform: variable default makes the ACL public; location is the block.
    let public = find(&report, "AWS-S3-003", "FAIL");
    assert_eq!(public.len(), 1, "{public:?}");
    let loc = &public[0]["resource"]["location"];
    assert!(
        loc["file"].as_str().unwrap().ends_with("infra/main.tf"),
        "{loc}"
    );
    assert_eq!(loc["start_line"], 6);
    assert_eq!(loc["end_line"], 8);

    // The suppression with a reason mutes; the one without is ignored and reported.
    let rds = find(&report, "AWS-RDS-001", "FAIL");
    assert_eq!(rds.len(), 2);
    let muted: Vec<&&Value> = rds.iter().filter(|f| !f["muted"].is_null()).collect();
    assert_eq!(muted.len(), 1);
    assert_eq!(
        muted[0]["muted"]["reason"],
        "dev database holds synthetic data only"
    );
    assert_eq!(find(&report, "YAGURA-IAC-001", "FAIL").len(), 1);

    // Kubernetes annotation mutes the privileged pod.
    let privileged = find(&report, "K8S-POD-001", "FAIL");
    assert_eq!(privileged.len(), 1);
    assert!(privileged[0]["muted"]["reason"]
        .as_str()
        .unwrap()
        .contains("break-glass"));

    // Dockerfile and secrets are in the same scan.
    assert_eq!(find(&report, "DOCKER-FILE-004", "FAIL").len(), 1);
    let secrets: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"].as_str().unwrap().starts_with("SECRET-"))
        .collect();
    assert!(!secrets.is_empty(), "the access key id is found");
    let s = secrets[0];
    assert_eq!(s["resource"]["location"]["start_line"], 1);
    assert!(s["resource"]["location"]["start_column"].as_u64().unwrap() >= 1);

    // The secret is never in any output or in the store.
    assert!(!String::from_utf8_lossy(&o.stdout).contains(&key));
    assert!(!String::from_utf8_lossy(&o.stderr).contains(&key));
    let stored = std::fs::read(&db).unwrap();
    assert!(!stored.windows(key.len()).any(|w| w == key.as_bytes()));
    for sidecar in ["y.db-wal", "y.db-shm"] {
        if let Ok(bytes) = std::fs::read(d.join(sidecar)) {
            assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()));
        }
    }

    // -var changes the evaluation: a private ACL passes.
    let o = yagura_in(
        d,
        &db,
        &[
            "scan",
            "iac",
            "infra",
            "--var",
            "public=false",
            "--no-secrets",
            "-f",
            "json",
            "--no-store",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let report = json(&o);
    assert!(find(&report, "AWS-S3-003", "FAIL").is_empty());
    assert_eq!(find(&report, "AWS-S3-003", "PASS").len(), 1);

    // --fail-on counts only open failures.
    let o = yagura_in(
        d,
        &db,
        &[
            "scan",
            "iac",
            "infra",
            "--no-secrets",
            "--no-store",
            "--fail-on",
            "critical",
            "--checks",
            "AWS-RDS-*",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = yagura_in(
        d,
        &db,
        &[
            "scan",
            "iac",
            "infra",
            "--no-secrets",
            "--no-store",
            "--fail-on",
            "high",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn sarif_and_junit_place_results_on_lines() {
    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    write(d, "main.tf", MAIN_TF);
    let db = d.join("y.db");
    let o = yagura_in(
        d,
        &db,
        &["scan", "iac", ".", "--no-store", "-f", "sarif"],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let sarif = json(&o);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "AWS-S3-003")
        .expect("S3-003 result");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 6);
    assert_eq!(region["endLine"], 8);
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "./main.tf"
    );

    let o = yagura_in(
        d,
        &db,
        &["scan", "iac", ".", "--no-store", "-f", "junit"],
        None,
    );
    let xml = String::from_utf8(o.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("<testsuite name=\"AWS-S3-003 "), "{xml}");
    assert!(xml.contains("<failure "));
}

#[test]
fn helm_output_from_stdin_keeps_template_paths() {
    let repo = tempfile::tempdir().unwrap();
    let rendered = format!(
        "---\n# Source: web/templates/deployment.yaml\n{}",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n        - name: web\n          image: nginx:1.27\n"
    );
    let db = repo.path().join("y.db");
    let o = yagura_in(
        repo.path(),
        &db,
        &["scan", "iac", "-", "--no-store", "-f", "json"],
        Some(&rendered),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report = json(&o);
    let host = find(&report, "K8S-POD-004", "FAIL");
    assert_eq!(host.len(), 1, "hostNetwork is reported");
    let file = host[0]["resource"]["location"]["file"].as_str().unwrap();
    assert!(file.contains("web/templates/deployment.yaml"), "{file}");
}

#[test]
fn secrets_command_and_bad_rule_file() {
    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    let key = fake_aws_key_id();
    write(d, "src/settings.py", &format!("\n\nAWS_KEY = \"{key}\"\n"));
    let db = d.join("y.db");
    let o = yagura_in(
        d,
        &db,
        &["scan", "secrets", "src", "--no-store", "-f", "json"],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report = json(&o);
    let f = &report["findings"][0];
    assert!(f["check"].as_str().unwrap().starts_with("SECRET-"));
    assert_eq!(f["resource"]["location"]["start_line"], 3);
    assert!(!String::from_utf8_lossy(&o.stdout).contains(&key));

    write(
        d,
        "bad.toml",
        "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n",
    );
    let o = yagura_in(
        d,
        &db,
        &[
            "scan",
            "secrets",
            "src",
            "--secrets-config",
            "bad.toml",
            "--no-store",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml"), "{err}");
}

#[test]
fn excluded_paths_are_not_scanned() {
    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    write(d, "infra/main.tf", MAIN_TF);
    write(d, "tests/fixtures/broken.tf", "resource \"x\" {\n");
    write(
        d,
        "tests/fixtures/leak.env",
        &format!("AWS_ACCESS_KEY_ID={}\n", fake_aws_key_id()),
    );
    write(d, "yagura.yaml", "exclude_paths:\n  - tests/fixtures\n");
    let db = d.join("y.db");
    let o = yagura_in(
        d,
        &db,
        &["scan", "iac", ".", "--no-store", "-f", "json"],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report = json(&o);
    assert!(report["errors"].as_array().unwrap().is_empty());
    assert!(!report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["check"].as_str().unwrap().starts_with("SECRET-")));
    assert!(!find(&report, "AWS-S3-003", "FAIL").is_empty());

    // `--config` names the project configuration for exclusions too.
    write(d, "ci.yaml", "exclude_paths:\n  - tests/fixtures\n");
    write(d, "yagura.yaml", "");
    let o = yagura_in(
        d,
        &db,
        &[
            "scan",
            "iac",
            ".",
            "--no-store",
            "-f",
            "json",
            "--config",
            "ci.yaml",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    write(d, "yagura.yaml", "exclude_paths:\n  - \"a/[\"\n");
    let o = yagura_in(d, &db, &["scan", "iac", ".", "--no-store"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("exclude_paths"));
}
