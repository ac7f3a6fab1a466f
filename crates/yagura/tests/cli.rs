//! End-to-end tests of the `yagura` binary on AWS Config snapshot fixtures: the
//! whole pipeline (collector → checks + Rego → suppressions → store → reports).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../yagura-awsconfig/tests/fixtures")
        .join(name)
}

fn yagura(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yagura"))
        .args(args)
        .env("YAGURA_DB", db)
        .env("NO_COLOR", "1")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run yagura")
}

/// A fresh store in a temporary folder; keep the guard alive for the test.
fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    (dir, db)
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn findings<'a>(report: &'a Value, check: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["check"] == check)
        .collect()
}

#[test]
fn snapshot_scan_reports_exact_findings_and_stores_history() {
    let (_dir, db) = temp_db();
    let snap = fixtures("account");
    let o = yagura(
        &db,
        &[
            "scan",
            "aws-config",
            snap.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = stdout_json(&o);
    assert_eq!(r["kind"], "aws-config");
    assert!(r["resource_count"].as_u64().unwrap() > 40);
    // The public bucket fails Block Public Access; the same check passes elsewhere.
    let bpa = findings(&r, "AWS-S3-001");
    let status_of = |name: &str| {
        bpa.iter()
            .find(|f| f["resource"]["name"] == name)
            .map(|f| f["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status_of("public-bucket").as_deref(), Some("FAIL"));
    assert!(bpa.iter().any(|f| f["status"] == "PASS"));
    // Every finding carries its account; regional ones their region.
    for f in r["findings"].as_array().unwrap() {
        assert_eq!(f["resource"]["account"], "123456789012", "{f}");
    }
    // Attributes AWS Config does not record (root credentials) are NOT_ASSESSED, never guessed.
    let root = findings(&r, "AWS-IAM-001");
    assert_eq!(root.len(), 1);
    assert_eq!(root[0]["status"], "NOT_ASSESSED");

    // A second scan: history keeps first_seen, and the diff sees no change.
    let o2 = yagura(
        &db,
        &[
            "scan",
            "aws-config",
            snap.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let r2 = stdout_json(&o2);
    let first = &findings(&r, "AWS-S3-001")[0];
    let again = findings(&r2, "AWS-S3-001")
        .into_iter()
        .find(|f| f["id"] == first["id"])
        .unwrap();
    assert_eq!(again["first_seen"], first["first_seen"]);
    assert_ne!(r2["id"], r["id"]);
    let d = yagura(&db, &["findings", "diff", "--format", "json"]);
    assert_eq!(
        d.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&d.stderr)
    );
    let d = stdout_json(&d);
    assert_eq!(d["new"].as_array().unwrap().len(), 0);
    assert_eq!(d["resolved"].as_array().unwrap().len(), 0);
    let failing = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAIL")
        .count();
    assert_eq!(d["unchanged"].as_array().unwrap().len(), failing);
}

#[test]
fn fail_on_sets_the_exit_code_and_suppressions_mute() {
    let (dir, db) = temp_db();
    let snap = fixtures("account");
    let snap = snap.to_str().unwrap();
    let o = yagura(
        &db,
        &[
            "scan",
            "aws-config",
            snap,
            "--no-store",
            "--fail-on",
            "high",
            "-f",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));

    // Mute every high and critical failure by check; they stay visible as muted.
    let r = stdout_json(&o);
    let mut codes: Vec<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["status"] == "FAIL" && (f["severity"] == "high" || f["severity"] == "critical")
        })
        .map(|f| f["check"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    let mut yaml = String::from("suppressions:\n");
    for c in &codes {
        yaml.push_str(&format!(
            "  - check: {c}\n    reason: accepted for the test\n"
        ));
    }
    yaml.push_str("  - check: AWS-S3-002\n    reason: was temporary\n    expires: 2020-01-01\n");
    let cfg = dir.path().join("yagura.yaml");
    std::fs::write(&cfg, yaml).unwrap();
    let o = yagura(
        &db,
        &[
            "scan",
            "aws-config",
            snap,
            "--no-store",
            "--fail-on",
            "high",
            "-f",
            "json",
            "--config",
            cfg.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = stdout_json(&o);
    let muted: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["muted"].is_null())
        .collect();
    assert!(!muted.is_empty());
    assert!(muted
        .iter()
        .all(|f| f["muted"]["reason"] == "accepted for the test"));
    // The expired suppression mutes nothing and is listed.
    assert!(findings(&r, "AWS-S3-002")
        .iter()
        .all(|f| f["muted"].is_null()));
    let notices = r["notices"].as_array().unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n.as_str().unwrap().contains("expired on 2020-01-01")),
        "{notices:?}"
    );
}

#[test]
fn rego_policies_are_first_class_and_broken_ones_are_reported() {
    let (dir, db) = temp_db();
    let pol = dir.path().join("policies");
    std::fs::create_dir(&pol).unwrap();
    std::fs::write(
        pol.join("owner.rego"),
        r#"# METADATA
# title: S3 buckets carry an owner tag
# custom:
#   code: ACME-S3-001
#   severity: low
#   kinds: [aws.s3.bucket]
package acme.owner

deny contains msg if {
    not input.tags.owner
    msg := sprintf("bucket %s has no owner tag", [input.name])
}
"#,
    )
    .unwrap();
    std::fs::write(pol.join("broken.rego"), "# METADATA\n# title: b\n# custom: {code: ACME-X}\npackage broken\n\ndeny contains x if {\n").unwrap();
    let snap = fixtures("account");
    let o = yagura(
        &db,
        &[
            "scan",
            "aws-config",
            snap.to_str().unwrap(),
            "--no-store",
            "-f",
            "json",
            "--policy-dir",
            pol.to_str().unwrap(),
        ],
    );
    // A broken policy does not stop the scan, but the run is reported as partial.
    assert_eq!(o.status.code(), Some(2));
    let r = stdout_json(&o);
    let custom = findings(&r, "ACME-S3-001");
    assert!(!custom.is_empty());
    assert!(custom.iter().all(|f| f["source"]["type"] == "rego"));
    assert!(custom.iter().any(|f| f["status"] == "FAIL"));
    let errors = r["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().contains("broken.rego:")),
        "{errors:?}"
    );
}

#[test]
fn damaged_input_keeps_partial_results_and_exits_2() {
    let (_dir, db) = temp_db();
    let o = yagura(
        &db,
        &[
            "scan",
            "aws-config",
            fixtures("damaged").to_str().unwrap(),
            "-f",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let r = stdout_json(&o);
    assert!(r["resource_count"].as_u64().unwrap() > 0);
    let errors: Vec<&str> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("truncated.json") && e.contains("line")),
        "{errors:?}"
    );
    assert!(
        !r["not_assessed"].as_array().unwrap().is_empty(),
        "unknown types are listed"
    );
    // The partial scan is still stored.
    let list = yagura(&db, &["findings", "scans"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("aws-config"));
}

#[test]
fn every_format_renders_to_a_folder() {
    let (dir, db) = temp_db();
    let out = dir.path().join("reports");
    let o = yagura(
        &db,
        &[
            "scan",
            "aws-config",
            fixtures("account").to_str().unwrap(),
            "-f",
            "table,json,ocsf,asff,sarif,csv,html",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut exts: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .split_once('.')
                .unwrap()
                .1
                .to_string()
        })
        .collect();
    exts.sort();
    assert_eq!(
        exts,
        vec![
            "asff.json",
            "csv",
            "html",
            "json",
            "ocsf.jsonl",
            "sarif",
            "txt"
        ]
    );
}

#[test]
fn bad_flags_fail_before_scanning() {
    let (_dir, db) = temp_db();
    let o = yagura(&db, &["scan", "aws-config", "/nonexistent", "-f", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pdf"));
    let o = yagura(&db, &["scan", "aws-config", "/nonexistent/snapshots"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/snapshots"));
}

#[test]
fn checks_catalogue_is_printed_from_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let o = yagura(
        &dir.path().join("y.db"),
        &["checks", "list", "--format", "json"],
    );
    let list = stdout_json(&o);
    assert!(list.as_array().unwrap().len() >= 80);
    let o = yagura(&dir.path().join("y.db"), &["checks", "show", "aws-s3-001"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("cis-aws-3.0:2.1.4"), "{text}");
    let o = yagura(&dir.path().join("y.db"), &["checks", "show", "NOPE-1"]);
    assert_eq!(o.status.code(), Some(2));
}
