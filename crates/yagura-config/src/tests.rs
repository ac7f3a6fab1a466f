use super::*;
use yagura_model::{FindingSource, ResourceRef, Severity};

fn finding(check: &str, id: &str, status: Status) -> Finding {
    let mut tags = BTreeMap::new();
    tags.insert("env".to_string(), "dev-1".to_string());
    Finding {
        id: id.into(),
        check: check.into(),
        title: "t".into(),
        severity: Severity::High,
        status,
        message: "m".into(),
        resource: ResourceRef {
            id: id.into(),
            kind: "aws.s3.bucket".into(),
            name: id.rsplit(':').next().unwrap_or(id).into(),
            account: Some("111111111111".into()),
            region: Some("eu-west-1".into()),
            tags,
            location: None,
        },
        frameworks: vec![],
        remediation: String::new(),
        source: FindingSource::Builtin,
        muted: None,
        first_seen: None,
        last_seen: None,
        vulnerability: None,
        malware: None,
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn suppressions_match_by_every_field_and_keep_findings_visible() {
    let cfg = Config::parse(
        r#"
suppressions:
  - check: AWS-S3-*
    resource: "arn:aws:s3:::site-*"
    reason: public website
  - account: "222222222222"
    reason: sandbox account
  - tags: {env: "dev-*"}
    region: eu-*
    check: AWS-EC2-001
    reason: dev network
    expires: 2030-01-01
"#,
        Path::new("yagura.yaml"),
    )
    .unwrap();
    let mut fs = vec![
        finding("AWS-S3-001", "arn:aws:s3:::site-a", Status::Fail),
        finding("AWS-S3-001", "arn:aws:s3:::data", Status::Fail),
        finding("AWS-EC2-001", "sg-1", Status::Fail),
        finding("AWS-S3-002", "arn:aws:s3:::site-b", Status::Pass),
    ];
    let out = apply_suppressions(&mut fs, &cfg.suppressions, date("2026-01-01"));
    assert_eq!(out.muted, 2);
    assert_eq!(fs[0].muted.as_ref().unwrap().reason, "public website");
    assert_eq!(fs[0].display_status(), "MUTED");
    assert!(fs[1].muted.is_none());
    assert_eq!(
        fs[2].muted.as_ref().unwrap().expires,
        Some(date("2030-01-01"))
    );
    assert!(fs[3].muted.is_none(), "passing findings are never muted");
}

#[test]
fn expired_suppression_reopens_and_is_listed() {
    let cfg = Config::parse(
        "suppressions:\n  - check: AWS-S3-001\n    reason: temporary\n    expires: 2025-12-31\n",
        Path::new("y.yaml"),
    )
    .unwrap();
    let mut fs = vec![finding("AWS-S3-001", "b", Status::Fail)];
    let out = apply_suppressions(&mut fs, &cfg.suppressions, date("2026-01-01"));
    assert_eq!(out.muted, 0);
    assert!(fs[0].muted.is_none());
    assert_eq!(out.expired.len(), 1);
    assert!(
        out.expired[0].contains("expired on 2025-12-31"),
        "{}",
        out.expired[0]
    );
    // The day of expiry itself still mutes.
    let out = apply_suppressions(&mut fs, &cfg.suppressions, date("2025-12-31"));
    assert_eq!(out.muted, 1);
}

#[test]
fn reason_is_mandatory_and_errors_name_the_file() {
    let e = Config::parse(
        "suppressions:\n  - check: X\n",
        Path::new("conf/yagura.yaml"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "conf/yagura.yaml: suppression #1: a reason is mandatory"
    );
    let e = Config::parse("suppressions:\n  - reason: all\n", Path::new("y.yaml")).unwrap_err();
    assert!(e.to_string().contains("at least one of"));
    let e = Config::parse("suppressions: [\n", Path::new("y.yaml")).unwrap_err();
    assert!(e.to_string().starts_with("y.yaml:"), "{e}");
    let e = Config::parse("supressions: []\n", Path::new("y.yaml")).unwrap_err();
    assert!(e.to_string().contains("unknown field"), "{e}");
}

#[test]
fn fix_allowlist_and_policy_dirs_resolve() {
    let cfg = Config::parse(
        "fix:\n  allow: [AWS-S3-001]\npolicy_dirs: [pol]\n",
        Path::new("/p/yagura.yaml"),
    )
    .unwrap();
    assert_eq!(cfg.fix_allow, vec!["AWS-S3-001"]);
    assert_eq!(cfg.policy_dirs, vec![PathBuf::from("/p/pol")]);
}
