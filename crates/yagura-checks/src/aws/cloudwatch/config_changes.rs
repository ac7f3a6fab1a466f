use super::monitoring::{self, monitoring_fixture, Spec};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDWATCH-009",
    title: "AWS Config configuration changes are alarmed",
    severity: Severity::Low,
    kind: "aws.account",
    rationale:
        "Stopping the Config recorder or changing its delivery channel ends the configuration \
        history that audits and investigations rely on. An alarm catches it at once.",
    remediation:
        "Send a multi-region trail to CloudWatch Logs, add a metric filter on its log group whose \
        pattern matches `StopConfigurationRecorder`, `DeleteDeliveryChannel`, \
        `PutDeliveryChannel` and `PutConfigurationRecorder`, create an alarm on the filter's \
        metric (Sum >= 1 over 5 minutes), and point the alarm at an SNS topic with a confirmed \
        subscriber.",
    frameworks: &[
        "cis-aws-3.0:4.9",
        "nist-800-53-r5:CM-3",
        "nist-800-53-r5:CM-8",
        "nist-800-53-r5:SI-4",
        "pci-dss-4.0:10.7.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            monitoring_fixture!(pattern: r#""{ ($.eventSource = \"config.amazonaws.com\") && (($.eventName = \"StopConfigurationRecorder\") || ($.eventName = \"DeleteDeliveryChannel\") || ($.eventName = \"PutDeliveryChannel\") || ($.eventName = \"PutConfigurationRecorder\")) }""#, alarm: yes),
            monitoring_fixture!(pattern: r#""{($.eventName=PutConfigurationRecorder)||($.eventName=PutDeliveryChannel)||($.eventName=DeleteDeliveryChannel)||($.eventName=StopConfigurationRecorder)}""#, alarm: yes),
        ],
        fail: &[
            monitoring_fixture!(pattern: r#""{ ($.eventSource = \"config.amazonaws.com\") && (($.eventName = \"StopConfigurationRecorder\") || ($.eventName = \"DeleteDeliveryChannel\") || ($.eventName = \"PutDeliveryChannel\") || ($.eventName = \"PutConfigurationRecorder\")) }""#, alarm: no),
            monitoring_fixture!(pattern: r#""{ ($.eventSource = \"config.amazonaws.com\") && (($.eventName = \"DeleteDeliveryChannel\") || ($.eventName = \"PutDeliveryChannel\") || ($.eventName = \"PutConfigurationRecorder\")) }""#, alarm: yes),
        ],
    },
    notes: "The emulator used in CI (moto) cannot answer CloudWatch DescribeAlarms in the Smithy \
        RPC v2 CBOR protocol the AWS SDK for Rust uses; the check is covered by snapshot \
        fixtures only (the end-to-end test asserts it is NOT_ASSESSED there).",
};

/// What CIS 4.9 asks a metric filter to catch.
pub(super) static SPEC: Spec = Spec {
    topic: "AWS Config configuration changes",
    source: "config.amazonaws.com",
    changes: &[
        "StopConfigurationRecorder",
        "DeleteDeliveryChannel",
        "PutDeliveryChannel",
        "PutConfigurationRecorder",
    ],
    reads: &["DescribeConfigurationRecorders", "DescribeDeliveryChannels"],
    matched: &[],
    unmatched: &[],
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    monitoring::evaluate(r, ctx, &SPEC)
}
