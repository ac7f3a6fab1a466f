//! A scan report with every kind of finding, and strings chosen to break naive
//! renderers: quotes, commas, newlines, markup, terminal escapes, formulas.

#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;
use yagura_model::{
    fingerprint, Finding, FindingSource, Location, Mute, NotAssessedTarget, ResourceRef,
    ScanReport, Severity, Status,
};

pub const ACCOUNT: &str = "123456789012";
pub const EVIL_NAME: &str = "evil\"bucket,<script>alert(1)</script>\nline2";
pub const EVIL_MESSAGE: &str =
    "bucket \"evil\", policy allows <script>alert('x')</script>\nsecond line, with comma";
pub const FORMULA: &str = "=HYPERLINK(\"http://attacker\",\"click\")";

pub struct F {
    pub check: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub status: Status,
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub account: Option<&'static str>,
    pub region: Option<&'static str>,
    pub message: String,
    pub frameworks: Vec<&'static str>,
}

impl F {
    pub fn new(
        check: &'static str,
        severity: Severity,
        status: Status,
        kind: &'static str,
        name: &str,
    ) -> Self {
        F {
            check,
            title: "A title",
            severity,
            status,
            kind,
            id: format!("arn:aws:test:::{name}"),
            name: name.to_string(),
            account: Some(ACCOUNT),
            region: Some("eu-west-1"),
            message: format!("{check} on {name}"),
            frameworks: vec![],
        }
    }

    pub fn build(self) -> Finding {
        Finding {
            id: fingerprint(self.check, &self.id, self.account, self.region),
            check: self.check.to_string(),
            title: self.title.to_string(),
            severity: self.severity,
            status: self.status,
            message: self.message,
            resource: ResourceRef {
                id: self.id,
                kind: self.kind.to_string(),
                name: self.name,
                account: self.account.map(str::to_string),
                region: self.region.map(str::to_string),
                tags: BTreeMap::new(),
                location: None,
            },
            frameworks: self.frameworks.into_iter().map(str::to_string).collect(),
            remediation: "Fix it, \"now\" <b>please</b>".to_string(),
            source: FindingSource::Builtin,
            muted: None,
            first_seen: None,
            last_seen: None,
            vulnerability: None,
            malware: None,
        }
    }
}

/// Indexes into `sample().findings`, for assertions.
pub mod idx {
    pub const ROOT_KEY: usize = 0;
    pub const EVIL_BUCKET: usize = 1;
    pub const GOOD_BUCKET: usize = 2;
    pub const MUTED_SG: usize = 3;
    pub const NOT_ASSESSED_RDS: usize = 4;
    pub const TERRAFORM: usize = 5;
    pub const FORMULA_LOG: usize = 6;
    pub const MUTED_PASS: usize = 7;
}

pub fn sample() -> ScanReport {
    let t0 = Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap();
    let t1 = t0 + chrono::Duration::seconds(83);

    let mut root = F::new(
        "AWS-IAM-001",
        Severity::Critical,
        Status::Fail,
        "aws.account",
        ACCOUNT,
    );
    root.id = format!("arn:aws:iam::{ACCOUNT}:root");
    root.region = None;
    root.title = "Root user has no access keys";
    root.message = "the root user has an active access key".into();
    root.frameworks = vec![
        "cis-aws-3.0:1.4",
        "nist-800-53-r5:AC-6",
        "pci-dss-4.0:7.2.1",
        "cis-aws-3.0:1.4", // duplicate reference: counted once
        "cis-aws-3.0:1.1", // a manual control
    ];
    let mut root = root.build();
    root.first_seen = Some(t0 - chrono::Duration::days(3));
    root.last_seen = Some(t1);

    let mut evil = F::new(
        "AWS-S3-002",
        Severity::High,
        Status::Fail,
        "aws.s3.bucket",
        EVIL_NAME,
    );
    evil.message = EVIL_MESSAGE.into();
    evil.frameworks = vec!["cis-aws-3.0:2.1.4"];
    let mut evil = evil.build();
    evil.resource
        .tags
        .insert("team".into(), "data, \"core\"".into());

    let mut good = F::new(
        "AWS-S3-002",
        Severity::High,
        Status::Pass,
        "aws.s3.bucket",
        "good-bucket",
    );
    good.frameworks = vec!["cis-aws-3.0:2.1.4"];
    let good = good.build();

    let mut sg = F::new(
        "AWS-EC2-001",
        Severity::Medium,
        Status::Fail,
        "aws.ec2.security_group",
        "sg-0123",
    );
    sg.frameworks = vec!["cis-aws-3.0:5.2"];
    let mut sg = sg.build();
    sg.muted = Some(Mute {
        reason: "bastion <script>ok</script>, approved".into(),
        expires: NaiveDate::from_ymd_opt(2030, 1, 31),
        rule: "0".into(),
    });

    let mut rds = F::new(
        "AWS-RDS-001",
        Severity::High,
        Status::NotAssessed,
        "aws.rds.db_instance",
        "db1",
    );
    rds.message = "attribute `storage_encrypted` was not observed".into();
    rds.frameworks = vec!["cis-aws-3.0:2.3.1"];
    let rds = rds.build();

    let mut tf = F::new(
        "ACME-001",
        Severity::Low,
        Status::Fail,
        "aws.s3.bucket",
        "logs",
    );
    tf.id = "aws_s3_bucket.logs".into();
    tf.account = None;
    tf.region = None;
    tf.title = "Buckets carry an owner tag";
    tf.frameworks = vec!["acme-policy:A.1", "acme-policy:A.10", "acme-policy:A.2"];
    let mut tf = tf.build();
    tf.source = FindingSource::Rego {
        file: "policies/owner.rego".into(),
    };
    tf.resource.location = Some(Location::lines("modules/my dir/main.tf", 10, 20));

    let mut log = F::new(
        "AWS-LOGS-001",
        Severity::Info,
        Status::Fail,
        "aws.logs.log_group",
        FORMULA,
    );
    log.region = Some("us-east-1");
    log.message = "-1 days retention".into();
    let log = log.build();

    let mut mp = F::new(
        "AWS-S3-003",
        Severity::Low,
        Status::Pass,
        "aws.s3.bucket",
        "muted-pass",
    );
    mp.frameworks = vec!["cis-aws-3.0:2.1.1"];
    let mut mp = mp.build();
    mp.muted = Some(Mute {
        reason: "irrelevant".into(),
        expires: None,
        rule: "1".into(),
    });

    ScanReport {
        id: "scan-01".into(),
        scope: format!("aws:{ACCOUNT}"),
        kind: "aws".into(),
        started: t0,
        finished: t1,
        tool_version: "0.1.0".into(),
        targets: vec![format!("aws:{ACCOUNT}:eu-west-1")],
        not_assessed: vec![NotAssessedTarget {
            target: format!("aws:{ACCOUNT}:eu-west-1:rds"),
            reason: "AccessDenied <b>rds:DescribeDBInstances</b>".into(),
        }],
        errors: vec!["policy broken.rego: parse error near <script>".into()],
        notices: vec!["suppression rule 2 expired on 2024-04-30; 3 findings re-opened <i>".into()],
        resource_count: 42,
        findings: vec![root, evil, good, sg, rds, tf, log, mp],
    }
}

/// Many failing findings, to exercise caps.
pub fn many_failures(n: usize) -> ScanReport {
    let mut r = sample();
    r.findings = (0..n)
        .map(|i| {
            let name = format!("bucket-{i:03}");
            F::new(
                "AWS-S3-002",
                Severity::High,
                Status::Fail,
                "aws.s3.bucket",
                &name,
            )
            .build()
        })
        .collect();
    r
}

pub fn render_to_string(
    format: yagura_report::Format,
    report: &ScanReport,
    opts: &yagura_report::RenderOptions,
) -> String {
    let mut buf = Vec::new();
    yagura_report::render(format, report, opts, &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}
