use super::monitoring::{self, monitoring_fixture, Sample, Spec};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDWATCH-006",
    title: "Console authentication failures are alarmed",
    severity: Severity::Low,
    kind: "aws.account",
    rationale:
        "Repeated failed console sign-ins point to password guessing or credential stuffing \
        against IAM users. An alarm lets you react before a guess succeeds.",
    remediation:
        "Send a multi-region trail to CloudWatch Logs, add a metric filter on its log group whose \
        pattern matches `ConsoleLogin` events with `errorMessage` `Failed authentication`, \
        create an alarm on the filter's metric (Sum >= 1 over 5 minutes), and point the alarm at \
        an SNS topic with a confirmed subscriber.",
    frameworks: &[
        "cis-aws-3.0:4.6",
        "nist-800-53-r5:SI-4",
        "nist-800-53-r5:AU-6",
        "pci-dss-4.0:10.2.1",
        "pci-dss-4.0:10.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            monitoring_fixture!(pattern: r#""{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }""#, alarm: yes),
            monitoring_fixture!(pattern: r#""{ ($.eventName = \"ConsoleLogin\") && ($.responseElements.ConsoleLogin = \"Failure\") }""#, alarm: yes),
        ],
        fail: &[
            monitoring_fixture!(pattern: r#""{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }""#, alarm: no),
            monitoring_fixture!(pattern: r#""{ ($.errorMessage = \"Failed authentication\") }""#, alarm: yes),
        ],
    },
    notes: "The emulator used in CI (moto) cannot answer CloudWatch DescribeAlarms in the Smithy \
        RPC v2 CBOR protocol the AWS SDK for Rust uses; the check is covered by snapshot \
        fixtures only (the end-to-end test asserts it is NOT_ASSESSED there).",
};

/// What CIS 4.6 asks a metric filter to catch.
pub(super) static SPEC: Spec = Spec {
    topic: "console authentication failures",
    source: "",
    changes: &[],
    reads: &[],
    matched: &[Sample {
        what: "failed console sign-ins",
        event: r#"{"eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "eventType": "AwsConsoleSignIn", "errorMessage": "Failed authentication", "additionalEventData": {"MFAUsed": "No"}, "responseElements": {"ConsoleLogin": "Failure"}}"#,
    }],
    unmatched: &[
        Sample {
            what: "successful console sign-ins",
            event: r#"{"eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "eventType": "AwsConsoleSignIn", "additionalEventData": {"MFAUsed": "Yes"}, "responseElements": {"ConsoleLogin": "Success"}}"#,
        },
        Sample {
            what: "other calls failing with the same message",
            event: r#"{"eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML", "errorMessage": "Failed authentication"}"#,
        },
    ],
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    monitoring::evaluate(r, ctx, &SPEC)
}
