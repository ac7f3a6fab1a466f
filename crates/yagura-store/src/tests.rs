use super::*;
use chrono::TimeZone;
use yagura_model::{fingerprint, FindingSource, NotAssessedTarget, ResourceRef, Severity};

fn finding(check: &str, res: &str, status: Status) -> Finding {
    Finding {
        id: fingerprint(check, res, Some("1"), None),
        check: check.into(),
        title: "t".into(),
        severity: Severity::High,
        status,
        message: "m".into(),
        resource: ResourceRef {
            id: res.into(),
            kind: "aws.s3.bucket".into(),
            name: res.into(),
            account: Some("1".into()),
            region: None,
            tags: Default::default(),
            location: None,
        },
        frameworks: vec!["cis-aws-3.0:2.1.4".into()],
        remediation: String::new(),
        source: FindingSource::Builtin,
        muted: None,
        first_seen: None,
        last_seen: None,
        vulnerability: None,
        malware: None,
    }
}

fn report(id: &str, minute: u32, findings: Vec<Finding>) -> ScanReport {
    let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, minute, 0).unwrap();
    ScanReport {
        id: id.into(),
        scope: "aws:1".into(),
        kind: "aws".into(),
        started: t,
        finished: t,
        tool_version: "0.1.0".into(),
        targets: vec!["aws:1".into()],
        not_assessed: vec![NotAssessedTarget {
            target: "aws:1:us-east-1:rds".into(),
            reason: "AccessDenied".into(),
        }],
        errors: vec![],
        notices: vec![],
        resource_count: 1,
        findings,
    }
}

#[test]
fn history_and_diff_across_scans() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("sub/y.db")).unwrap();
    let mut r1 = report(
        "scan-1",
        0,
        vec![
            finding("C1", "a", Status::Fail),
            finding("C1", "b", Status::Fail),
            finding("C2", "a", Status::Pass),
        ],
    );
    s.save_scan(&mut r1, &[]).unwrap();
    let mut r2 = report(
        "scan-2",
        5,
        vec![
            finding("C1", "a", Status::Fail),
            finding("C1", "b", Status::Pass),
            finding("C2", "a", Status::Fail),
        ],
    );
    s.save_scan(&mut r2, &[]).unwrap();
    // first_seen stays at the first scan, last_seen moves.
    let a = &r2.findings[0];
    assert_eq!(a.first_seen, Some(r1.finished));
    assert_eq!(a.last_seen, Some(r2.finished));

    let d = s.diff("scan-1", "scan-2").unwrap();
    let ids = |v: &[Finding]| {
        v.iter()
            .map(|f| format!("{}:{}", f.check, f.resource.id))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&d.new), vec!["C2:a"]);
    assert_eq!(ids(&d.resolved), vec!["C1:b"]);
    assert_eq!(ids(&d.unchanged), vec!["C1:a"]);

    let list = s.list_scans(Some("aws:1"), 10).unwrap();
    assert_eq!(
        list.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec!["scan-2", "scan-1"]
    );
    assert_eq!((list[0].fail, list[0].pass), (2, 1));

    let loaded = s.load_scan("scan-1").unwrap();
    assert_eq!(loaded.findings.len(), 3);
    assert_eq!(loaded.not_assessed[0].reason, "AccessDenied");
    assert!(matches!(
        s.load_scan("nope"),
        Err(StoreError::NoSuchScan { .. })
    ));
    // A duplicate id is rejected and leaves the store as it was.
    let mut dup = report("scan-1", 9, vec![finding("C9", "z", Status::Fail)]);
    assert!(s.save_scan(&mut dup, &[]).is_err());
    assert_eq!(s.load_scan("scan-1").unwrap().findings.len(), 3);
}

#[test]
fn concurrent_writers_do_not_corrupt_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("y.db");
    Store::open(&path).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                for i in 0..15 {
                    let fs = (0..50)
                        .map(|n| finding("C", &format!("w{w}-r{n}"), Status::Fail))
                        .collect();
                    let mut r = report(&format!("w{w}-{i}"), i, fs);
                    s.save_scan(&mut r, &[]).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let s = Store::open(&path).unwrap();
    let scans = s.list_scans(None, 1000).unwrap();
    assert_eq!(scans.len(), 60);
    assert!(scans.iter().all(|x| x.fail == 50));
    let ok: String = s
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn remediations_are_recorded_with_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("y.db")).unwrap();
    let rec = RemediationRecord {
        time: Utc::now(),
        check: "AWS-S3-001".into(),
        resource_id: "arn:aws:s3:::b".into(),
        account: Some("1".into()),
        region: Some("us-east-1".into()),
        dry_run: false,
        calls: serde_json::json!([{"service": "s3", "operation": "PutPublicAccessBlock"}]),
        before: serde_json::json!({"public_access_block": null}),
        after: serde_json::json!({"public_access_block": {"block_public_acls": true}}),
        status: "applied".into(),
        error: None,
    };
    s.record_remediation(&rec).unwrap();
    let got = s.remediations(10).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].after, rec.after);
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("garbage.db");
    std::fs::write(&p, vec![b'x'; 4096]).unwrap();
    let e = Store::open(&p).err().expect("must fail");
    assert!(e.to_string().contains("garbage.db"), "{e}");
}
