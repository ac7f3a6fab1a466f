use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-LOGS-001",
    title: "CloudWatch log group keeps events for at least 365 days",
    severity: Severity::Medium,
    kind: "aws.logs.log_group",
    rationale: "Intrusions are often discovered months after they begin. Logs that expire \
        sooner than a year are gone when the investigation needs them, and PCI DSS requires a \
        year of audit history.",
    remediation: "Set retention to 365 days or more (or never expire, with archiving to S3 for \
        cost): `aws logs put-retention-policy --log-group-name NAME --retention-in-days 365`.",
    frameworks: &[
        "nist-800-53-r5:AU-11",
        "nist-800-53-r5:SI-12",
        "pci-dss-4.0:10.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"log_group_name": "/app", "retention_days": 400}"#,
            r#"{"log_group_name": "/app", "retention_days": null}"#,
        ],
        fail: &[r#"{"log_group_name": "/app", "retention_days": 30}"#],
    },
    notes: "",
};

const MIN_DAYS: i64 = 365;

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("retention_days").i64() {
        Ok(None) => Outcome::Pass("log events never expire".into()),
        Ok(Some(d)) if d >= MIN_DAYS => Outcome::Pass(format!("log events are kept for {d} days")),
        Ok(Some(d)) => Outcome::Fail(format!(
            "log events expire after {d} day(s); at least {MIN_DAYS} are required"
        )),
        Err(e) => e.into(),
    }
}
