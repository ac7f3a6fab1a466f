use super::*;
use chrono::TimeZone;
use serde_json::json;
use std::path::Path;
use yagura_model::{SourceKind, Status};

fn bucket(name: &str, pab: serde_json::Value) -> Resource {
    let mut r = Resource::new("aws.s3.bucket", format!("arn:aws:s3:::{name}"), name);
    r.account = Some("111111111111".into());
    r.region = Some("us-east-1".into());
    r.source = SourceKind::Fixture;
    r.attributes = json!({"public_access_block": pab});
    r
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap()
}

#[test]
fn checks_run_on_their_kind_and_findings_are_stable() {
    let inv = Inventory::new(vec![
        bucket("open", json!(null)),
        bucket(
            "closed",
            json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}),
        ),
        bucket("unknown", json!(null)),
    ]);
    let mut inv_resources = inv.into_resources();
    // An unobserved attribute is NOT_ASSESSED, not a guess.
    inv_resources[2].attributes = json!({});
    let inv = Inventory::new(inv_resources);
    let check = yagura_checks::find("AWS-S3-001").unwrap();
    let mut engine = Engine {
        checks: vec![check],
        policies: &mut [],
        suppressions: &[],
        now: now(),
    };
    let a = engine.run(&inv);
    let statuses: Vec<Status> = a.findings.iter().map(|f| f.status).collect();
    assert_eq!(
        statuses,
        vec![Status::Fail, Status::Pass, Status::NotAssessed]
    );
    let b = engine.run(&inv);
    assert_eq!(a.findings[0].id, b.findings[0].id);
    assert_ne!(a.findings[0].id, a.findings[1].id);
}

#[test]
fn policies_and_suppressions_share_the_finding_model() {
    let policy = yagura_policy::Policy::from_source(
        "p.rego",
        "# METADATA\n# title: no open buckets\n# custom: {code: ACME-1, severity: low, kinds: [aws.s3.bucket]}\npackage acme\n\ndeny contains \"no block\" if { input.attributes.public_access_block == null }\n",
    )
    .unwrap();
    let mut policies = vec![policy];
    let cfg = yagura_config::Config::parse(
        "suppressions:\n  - check: ACME-*\n    resource: \"*open*\"\n    reason: accepted\n",
        Path::new("yagura.yaml"),
    )
    .unwrap();
    let inv = Inventory::new(vec![bucket("open", json!(null))]);
    let mut engine = Engine {
        checks: vec![],
        policies: &mut policies,
        suppressions: &cfg.suppressions,
        now: now(),
    };
    let ev = engine.run(&inv);
    assert_eq!(ev.findings.len(), 1);
    let f = &ev.findings[0];
    assert_eq!(f.check, "ACME-1");
    assert_eq!(f.status, Status::Fail);
    assert_eq!(f.display_status(), "MUTED");
    assert_eq!(
        f.source,
        FindingSource::Rego {
            file: "p.rego".into()
        }
    );
}

#[test]
fn selection_takes_globs() {
    let s = Selection::new(&["aws-s3-*".into()], &["AWS-S3-002".into()]).unwrap();
    assert!(s.allows("AWS-S3-001"));
    assert!(!s.allows("AWS-S3-002"));
    assert!(!s.allows("AWS-EC2-001"));
    assert!(Selection::new(&["[".into()], &[]).is_err());
}

#[test]
fn on_code_a_check_runs_only_on_the_formats_it_supports() {
    // AWS-IAM-010 (access-key age) needs runtime facts and has no IaC fixtures;
    // AWS-IAM-011 (permissions only through groups) runs on Terraform.
    let user = |source| {
        let mut r = Resource::new("aws.iam.user", format!("u-{source:?}"), "u");
        r.source = source;
        r.attributes = json!({"user_name": "u", "access_keys": [], "attached_policies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"], "inline_policies": [], "groups": []});
        r
    };
    let inv = Inventory::new(vec![
        user(SourceKind::Terraform),
        user(SourceKind::Kubernetes),
        user(SourceKind::AwsApi),
    ]);
    let checks = vec![
        yagura_checks::find("AWS-IAM-010").unwrap(),
        yagura_checks::find("AWS-IAM-011").unwrap(),
    ];
    assert!(checks[0].iac_formats().is_empty());
    assert!(checks[1].iac_formats().contains(&"terraform"));
    let mut engine = Engine {
        checks,
        policies: &mut [],
        suppressions: &[],
        now: now(),
    };
    let got: Vec<(String, String)> = engine
        .run(&inv)
        .findings
        .iter()
        .map(|f| (f.check.clone(), f.resource.id.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("AWS-IAM-011".to_string(), "u-Terraform".to_string()),
            ("AWS-IAM-010".to_string(), "u-AwsApi".to_string()),
            ("AWS-IAM-011".to_string(), "u-AwsApi".to_string()),
        ]
    );
}
