use super::monitoring::{self, monitoring_fixture, Sample, Spec};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDWATCH-001",
    title: "Unauthorized API calls are alarmed",
    severity: Severity::Low,
    kind: "aws.account",
    rationale: "A burst of AccessDenied and UnauthorizedOperation errors is typical of stolen \
        credentials being probed, or of a misconfigured workload. An alarm surfaces it while it \
        happens instead of in a later log review.",
    remediation:
        "Send a multi-region trail to CloudWatch Logs, add a metric filter on its log group whose \
        pattern matches API calls that fail with `*UnauthorizedOperation` or `AccessDenied*` \
        error codes, create an alarm on the filter's metric (Sum >= 1 over 5 minutes), and point \
        the alarm at an SNS topic with a confirmed subscriber.",
    frameworks: &[
        "cis-aws-3.0:4.1",
        "nist-800-53-r5:SI-4",
        "nist-800-53-r5:AU-6",
        "pci-dss-4.0:10.4.1",
        "pci-dss-4.0:10.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            monitoring_fixture!(pattern: r#""{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }""#, alarm: yes),
            monitoring_fixture!(pattern: r#""{($.errorCode=\"*UnauthorizedOperation\")||($.errorCode=\"AccessDenied*\")}""#, alarm: yes),
        ],
        fail: &[
            // Both error terms present, but joined with && so nothing ever matches.
            monitoring_fixture!(pattern: r#""{ ($.errorCode = \"*UnauthorizedOperation\") && ($.errorCode = \"AccessDenied*\") }""#, alarm: yes),
            monitoring_fixture!(pattern: r#""{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }""#, alarm: no),
            monitoring_fixture!(pattern: r#""{ ($.errorCode = \"*UnauthorizedOperation\") }""#, alarm: yes),
        ],
    },
    notes: "The CIS noise exclusions (`delivery.logs.amazonaws.com`, `HeadBucket`) are allowed \
        but not required. The emulator used in CI (moto) cannot answer CloudWatch DescribeAlarms \
        in the Smithy RPC v2 CBOR protocol the AWS SDK for Rust uses; the check is covered by \
        snapshot fixtures only (the end-to-end test asserts it is NOT_ASSESSED there).",
};

/// What CIS 4.1 asks a metric filter to catch.
pub(super) static SPEC: Spec = Spec {
    topic: "unauthorized API calls",
    source: "",
    changes: &[],
    reads: &[],
    matched: &[
        Sample {
            what: "calls denied with Client.UnauthorizedOperation",
            event: r#"{"errorCode": "Client.UnauthorizedOperation", "errorMessage": "You are not authorized to perform this operation."}"#,
        },
        Sample {
            what: "calls denied with AccessDenied",
            event: r#"{"eventSource": "s3.amazonaws.com", "eventName": "GetBucketPolicy", "readOnly": true, "errorCode": "AccessDenied"}"#,
        },
        Sample {
            what: "calls denied with AccessDeniedException",
            event: r#"{"eventSource": "iam.amazonaws.com", "eventName": "ListUsers", "readOnly": true, "errorCode": "AccessDeniedException"}"#,
        },
    ],
    unmatched: &[
        Sample {
            what: "successful calls",
            event: r#"{}"#,
        },
        Sample {
            what: "throttled calls",
            event: r#"{"errorCode": "ThrottlingException"}"#,
        },
    ],
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    monitoring::evaluate(r, ctx, &SPEC)
}
