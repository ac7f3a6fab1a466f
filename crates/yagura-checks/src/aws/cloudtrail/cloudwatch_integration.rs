use super::trails::name;
use crate::util::days_since;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-007",
    title: "CloudTrail delivers to CloudWatch Logs, with a delivery in the last day",
    severity: Severity::Low,
    kind: "aws.cloudtrail.trail",
    rationale: "Sending trail events to CloudWatch Logs makes them searchable in near real time \
        and is the basis for metric filters and alarms on suspicious activity. A delivery older \
        than a day means the integration is broken.",
    remediation: "Configure the trail with a CloudWatch Logs log group and a role CloudTrail can \
        assume to write to it (`aws cloudtrail update-trail --cloud-watch-logs-log-group-arn \
        ARN --cloud-watch-logs-role-arn ROLE`); fix the role if deliveries stopped.",
    frameworks: &[
        "nist-800-53-r5:AU-6",
        "nist-800-53-r5:SI-4",
        "nist-800-53-r5:AU-12",
        "pci-dss-4.0:10.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"trail_name": "main", "cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*", "latest_cloudwatch_delivery": "2026-05-31T22:15:00Z"}"#,
        ],
        fail: &[
            r#"{"trail_name": "main", "cloudwatch_log_group_arn": null, "latest_cloudwatch_delivery": null}"#,
            r#"{"trail_name": "main", "cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*", "latest_cloudwatch_delivery": "2026-05-20T00:00:00Z"}"#,
            r#"{"trail_name": "main", "cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*", "latest_cloudwatch_delivery": null}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot report a CloudWatch Logs delivery time in \
        GetTrailStatus, so the end-to-end test covers only FAIL; PASS is covered by snapshot \
        fixtures only.",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let group = match r.attr("cloudwatch_log_group_arn").str() {
        Ok(Some(g)) if !g.is_empty() => g,
        Ok(_) => {
            return Outcome::Fail(format!(
                "trail {} does not deliver to CloudWatch Logs",
                name(r)
            ))
        }
        Err(e) => return e.into(),
    };
    let last = match r.attr("latest_cloudwatch_delivery").str() {
        Ok(Some(t)) => t,
        Ok(None) => {
            return Outcome::Fail(format!(
                "trail {} is configured for log group {group} but has never delivered to it",
                name(r)
            ))
        }
        Err(e) => return e.into(),
    };
    match days_since(last, ctx.now) {
        Some(d) if d < 1 => Outcome::Pass(format!(
            "trail {} delivered to {group} within the last day",
            name(r)
        )),
        Some(d) => Outcome::Fail(format!(
            "trail {} last delivered to {group} {d} day(s) ago",
            name(r)
        )),
        None => Outcome::NotAssessed(format!(
            "trail {} has an invalid last delivery time `{last}`",
            name(r)
        )),
    }
}
