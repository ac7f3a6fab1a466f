use super::monitoring::{self, monitoring_fixture, Sample, Spec};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDWATCH-007",
    title: "Disabling or scheduled deletion of KMS keys is alarmed",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale:
        "Data encrypted under a disabled or deleted KMS key becomes unreadable. Alarming on \
        DisableKey and ScheduleKeyDeletion gives time to cancel a mistaken or malicious deletion \
        during the waiting period.",
    remediation:
        "Send a multi-region trail to CloudWatch Logs, add a metric filter on its log group whose \
        pattern matches KMS `DisableKey` and `ScheduleKeyDeletion` calls, create an alarm on the \
        filter's metric (Sum >= 1 over 5 minutes), and point the alarm at an SNS topic with a \
        confirmed subscriber.",
    frameworks: &[
        "cis-aws-3.0:4.7",
        "nist-800-53-r5:SC-12",
        "nist-800-53-r5:SI-4",
        "pci-dss-4.0:3.6.1",
        "pci-dss-4.0:10.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            monitoring_fixture!(pattern: r#""{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }""#, alarm: yes),
        ],
        fail: &[
            monitoring_fixture!(pattern: r#""{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }""#, alarm: no),
            monitoring_fixture!(pattern: r#""{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }""#, alarm: yes),
        ],
    },
    notes: "The emulator used in CI (moto) cannot answer CloudWatch DescribeAlarms in the Smithy \
        RPC v2 CBOR protocol the AWS SDK for Rust uses; the check is covered by snapshot \
        fixtures only (the end-to-end test asserts it is NOT_ASSESSED there).",
};

/// What CIS 4.7 asks a metric filter to catch.
pub(super) static SPEC: Spec = Spec {
    topic: "KMS key disabling and deletion",
    source: "kms.amazonaws.com",
    changes: &["DisableKey", "ScheduleKeyDeletion"],
    reads: &["DescribeKey", "ListKeys"],
    matched: &[],
    unmatched: &[Sample {
        what: "EnableKey calls",
        event: r#"{"eventSource": "kms.amazonaws.com", "eventName": "EnableKey"}"#,
    }],
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    monitoring::evaluate(r, ctx, &SPEC)
}
