mod common;

use common::{idx, many_failures, render_to_string, sample, F};
use yagura_model::{Severity, Status};
use yagura_report::{framework_summary, ControlStatus, Format, RenderOptions};

fn plain() -> RenderOptions {
    RenderOptions {
        color: false,
        show_passed: false,
    }
}

// ----------------------------------------------------------------------- table

#[test]
fn table_summarises_the_scan() {
    let report = sample();
    let text = render_to_string(Format::Table, &report, &plain());
    assert!(!text.contains('\x1b'), "no colour when disabled");

    let first = text.lines().next().unwrap();
    assert!(
        first.contains("scan-01") && first.contains("aws:123456789012"),
        "{first}"
    );
    let second = text.lines().nth(1).unwrap();
    assert!(second.contains("duration 1m 23s"), "{second}");
    assert!(second.contains("resources 42"), "{second}");

    // Status counts (muted PASS is a PASS) and open failures by severity.
    assert!(
        text.contains("PASS 2   FAIL 4   MUTED 1   NOT_ASSESSED 1"),
        "{text}"
    );
    assert!(
        text.contains("critical 1   high 1   medium 0   low 1   info 1"),
        "{text}"
    );

    // By service: s3 has 1 open fail (evil) + 1 Rego fail, 2 passes.
    let s3 = text
        .lines()
        .find(|l| l.trim_start().starts_with("s3 "))
        .unwrap();
    let nums: Vec<&str> = s3.split_whitespace().collect();
    assert_eq!(nums, ["s3", "2", "2", "0", "0"]);

    assert!(text.contains("Top failing checks (4 of 4 checks)"));
    assert!(text.contains("Failing findings (4)"));
    // Sorted by severity, critical first.
    let pos = |needle: &str| text.find(needle).unwrap();
    assert!(pos("  critical  AWS-IAM-001") < pos("  high      AWS-S3-002"));

    // The newline inside the resource name and message cannot break the row.
    let evil_line = text.lines().find(|l| l.contains("evil\"bucket")).unwrap();
    assert!(evil_line.contains("line2"));
    assert!(evil_line.contains("AWS-S3-002"));
    assert!(evil_line.contains("eu-west-1"));
    // Global resources show a dash for the region.
    let root_line = text
        .lines()
        .find(|l| l.contains("  critical  AWS-IAM-001"))
        .unwrap();
    assert!(root_line.contains(" - "), "{root_line}");

    // Blind spots and errors are not hidden.
    assert!(text.contains("Not assessed (1 target)"));
    assert!(text.contains("aws:123456789012:eu-west-1:rds"));
    assert!(text.contains("AccessDenied"));
    assert!(text.contains("1 finding could not be decided"));
    assert!(text.contains("Errors (1)"));
    assert!(text.contains("policy broken.rego: parse error"));
    assert!(text.contains("Notices (1)"));
    assert!(text.contains("3 findings re-opened"));

    // Compliance: CIS has 1.4 FAIL, 2.1.4 FAIL+PASS, 2.1.1 PASS (muted pass).
    let cis = text
        .lines()
        .find(|l| l.contains("CIS AWS Foundations Benchmark 3.0.0"))
        .unwrap();
    assert!(cis.contains("50.0%"), "{cis}");
    assert!(
        cis.contains("controls: 2 fail, 1 pass, 1 muted, 1 not assessed, "),
        "{cis}"
    );
    assert!(cis.contains(" manual"), "{cis}");
    let acme = text
        .lines()
        .find(|l| l.trim_start().starts_with("acme-policy"))
        .unwrap();
    assert!(acme.contains("0.0%"), "{acme}");
    assert!(acme.ends_with("controls: 3 fail"), "{acme}");
}

#[test]
fn table_colours_only_when_asked_and_never_passes_data_escapes_through() {
    let mut report = sample();
    report.findings[idx::EVIL_BUCKET].resource.name = "x\x1b[2Jy".into();
    let plain_text = render_to_string(Format::Table, &report, &plain());
    assert!(!plain_text.contains('\x1b'));
    assert!(plain_text.contains("x [2Jy"));

    let coloured = render_to_string(
        Format::Table,
        &report,
        &RenderOptions {
            color: true,
            show_passed: false,
        },
    );
    assert!(coloured.contains("\x1b[1;31m"), "critical is bold red");
    assert!(
        !coloured.contains("\x1b[2J"),
        "data escape codes are stripped"
    );
}

#[test]
fn table_caps_the_failing_list() {
    let report = many_failures(60);
    let text = render_to_string(Format::Table, &report, &plain());
    assert!(text.contains("Failing findings (60)"));
    assert!(text.contains("… and 10 more, use --format json"));
    assert_eq!(text.lines().filter(|l| l.contains("bucket-0")).count(), 50);
    assert!(text.contains("Top failing checks (1 of 1 check)"));
}

#[test]
fn table_lists_passes_on_request() {
    let report = sample();
    let text = render_to_string(
        Format::Table,
        &report,
        &RenderOptions {
            color: false,
            show_passed: true,
        },
    );
    assert!(text.contains(&format!("Findings ({})", report.findings.len())));
    assert!(text
        .lines()
        .any(|l| l.trim_start().starts_with("PASS ") && l.contains("good-bucket")));
    // Failures still come first.
    assert!(text.find("good-bucket").unwrap() > text.find("AWS-IAM-001  ").unwrap());
}

#[test]
fn table_of_a_clean_scan() {
    let mut report = sample();
    report.findings.retain(|f| f.status == Status::Pass);
    report.errors.clear();
    report.not_assessed.clear();
    report.notices.clear();
    let text = render_to_string(Format::Table, &report, &plain());
    assert!(text.contains("No open failures."));
    assert!(!text.contains("Top failing checks"));
    assert!(!text.contains("Errors"));
    assert!(!text.contains("Notices"));
}

// ----------------------------------------------------------- framework summary

#[test]
fn framework_summary_counts_per_control() {
    let report = sample();
    let summaries = framework_summary(&report.findings);
    let ids: Vec<&str> = summaries.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(&ids[..3], ["cis-aws-3.0", "nist-800-53-r5", "pci-dss-4.0"]);
    assert_eq!(ids.last(), Some(&"acme-policy"));

    let cis = &summaries[0];
    assert!(cis.known);
    assert_eq!(cis.title(), "CIS AWS Foundations Benchmark 3.0.0");
    let control = |id: &str| cis.controls.iter().find(|c| c.id == id).unwrap();

    // 1.4: one FAIL, counted once although the finding lists it twice.
    let c14 = control("1.4");
    assert_eq!((c14.counts.pass, c14.counts.fail), (0, 1));
    assert_eq!(c14.status, ControlStatus::Fail);
    assert_eq!(c14.pass_rate, Some(0.0));
    assert_eq!(c14.checks, ["AWS-IAM-001"]);

    // 2.1.4: FAIL + PASS.
    let c214 = control("2.1.4");
    assert_eq!((c214.counts.pass, c214.counts.fail), (1, 1));
    assert_eq!(c214.pass_rate, Some(0.5));

    // 5.2: only a muted finding; 2.3.1: only not assessed. Neither has a rate.
    let c52 = control("5.2");
    assert_eq!(c52.counts.muted, 1);
    assert_eq!(c52.status, ControlStatus::Muted);
    assert_eq!(c52.pass_rate, None);
    let c231 = control("2.3.1");
    assert_eq!(c231.counts.not_assessed, 1);
    assert_eq!(c231.status, ControlStatus::NotAssessed);

    // 2.1.1: a muted PASS is a PASS.
    assert_eq!(control("2.1.1").status, ControlStatus::Pass);

    // Manual controls are flagged even when a finding maps to them, and a
    // control nothing maps to has no data.
    let c11 = control("1.1");
    assert!(!c11.automated);
    assert_eq!(c11.status, ControlStatus::Manual);
    assert_eq!(c11.counts.fail, 1);
    assert_eq!(control("3.1").status, ControlStatus::NoData);
    assert_eq!(control("3.1").counts.total(), 0);

    // Framework totals: distinct findings on automated controls.
    // root (FAIL), evil (FAIL), good (PASS), sg (MUTED), rds (NA), muted-pass (PASS).
    assert_eq!(cis.counts.pass, 2);
    assert_eq!(cis.counts.fail, 2);
    assert_eq!(cis.counts.muted, 1);
    assert_eq!(cis.counts.not_assessed, 1);
    assert_eq!(cis.pass_rate, Some(0.5));
    assert_eq!(cis.controls_with(ControlStatus::Fail), 2);
    assert!(cis.controls_with(ControlStatus::Manual) >= 1);
    assert!(cis.controls_with(ControlStatus::NoData) > 10);

    // A framework only findings mention, with controls in natural order.
    let acme = summaries.last().unwrap();
    assert!(!acme.known);
    let acme_ids: Vec<&str> = acme.controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(acme_ids, ["A.1", "A.2", "A.10"]);
    assert_eq!(acme.pass_rate, Some(0.0));
}

#[test]
fn framework_summary_of_nothing_is_all_no_data() {
    let summaries = framework_summary(&[]);
    assert!(summaries.len() >= 3);
    for s in &summaries {
        assert_eq!(s.pass_rate, None);
        assert!(s
            .controls
            .iter()
            .all(|c| matches!(c.status, ControlStatus::NoData | ControlStatus::Manual)));
    }
}

#[test]
fn framework_summary_keeps_controls_a_framework_file_lacks() {
    let mut f = F::new(
        "AWS-S3-001",
        Severity::High,
        Status::Pass,
        "aws.s3.bucket",
        "b",
    );
    f.frameworks = vec!["cis-aws-3.0:99.9", "not-a-reference"];
    let summaries = framework_summary(&[f.build()]);
    let cis = summaries.iter().find(|s| s.id == "cis-aws-3.0").unwrap();
    let extra = cis.controls.last().unwrap();
    assert_eq!(extra.id, "99.9");
    assert_eq!(extra.title, "");
    assert_eq!(extra.status, ControlStatus::Pass);
    assert_eq!(cis.pass_rate, Some(1.0));
}
