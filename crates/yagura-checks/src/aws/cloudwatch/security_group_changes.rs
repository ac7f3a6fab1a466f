use super::monitoring::{self, monitoring_fixture, Spec};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDWATCH-010",
    title: "Security group changes are alarmed",
    severity: Severity::Low,
    kind: "aws.account",
    rationale:
        "Security groups are the main network filter in front of instances and services. An alarm \
        on their changes catches a port opened to the internet before it is exploited.",
    remediation:
        "Send a multi-region trail to CloudWatch Logs, add a metric filter on its log group whose \
        pattern matches security-group create, delete, authorize and revoke calls, create an \
        alarm on the filter's metric (Sum >= 1 over 5 minutes), and point the alarm at an SNS \
        topic with a confirmed subscriber.",
    frameworks: &[
        "cis-aws-3.0:4.10",
        "nist-800-53-r5:CM-3",
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:SI-4",
        "pci-dss-4.0:10.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            monitoring_fixture!(pattern: r#""{ ($.eventSource = \"ec2.amazonaws.com\") && (($.eventName = \"AuthorizeSecurityGroupIngress\") || ($.eventName = \"AuthorizeSecurityGroupEgress\") || ($.eventName = \"RevokeSecurityGroupIngress\") || ($.eventName = \"RevokeSecurityGroupEgress\") || ($.eventName = \"CreateSecurityGroup\") || ($.eventName = \"DeleteSecurityGroup\")) }""#, alarm: yes),
            monitoring_fixture!(pattern: r#""{($.eventName=DeleteSecurityGroup)||($.eventName=CreateSecurityGroup)||($.eventName=RevokeSecurityGroupEgress)||($.eventName=RevokeSecurityGroupIngress)||($.eventName=AuthorizeSecurityGroupEgress)||($.eventName=AuthorizeSecurityGroupIngress)}""#, alarm: yes),
        ],
        fail: &[
            monitoring_fixture!(pattern: r#""{ ($.eventSource = \"ec2.amazonaws.com\") && (($.eventName = \"AuthorizeSecurityGroupIngress\") || ($.eventName = \"AuthorizeSecurityGroupEgress\") || ($.eventName = \"RevokeSecurityGroupIngress\") || ($.eventName = \"RevokeSecurityGroupEgress\") || ($.eventName = \"CreateSecurityGroup\") || ($.eventName = \"DeleteSecurityGroup\")) }""#, alarm: no),
            monitoring_fixture!(pattern: r#""{ ($.eventSource = \"ec2.amazonaws.com\") && (($.eventName = \"AuthorizeSecurityGroupIngress\") || ($.eventName = \"RevokeSecurityGroupIngress\") || ($.eventName = \"RevokeSecurityGroupEgress\") || ($.eventName = \"CreateSecurityGroup\") || ($.eventName = \"DeleteSecurityGroup\")) }""#, alarm: yes),
        ],
    },
    notes: "The emulator used in CI (moto) cannot answer CloudWatch DescribeAlarms in the Smithy \
        RPC v2 CBOR protocol the AWS SDK for Rust uses; the check is covered by snapshot \
        fixtures only (the end-to-end test asserts it is NOT_ASSESSED there).",
};

/// What CIS 4.10 asks a metric filter to catch.
pub(super) static SPEC: Spec = Spec {
    topic: "security group changes",
    source: "ec2.amazonaws.com",
    changes: &[
        "AuthorizeSecurityGroupIngress",
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "CreateSecurityGroup",
        "DeleteSecurityGroup",
    ],
    reads: &["DescribeSecurityGroups", "DescribeSecurityGroupRules"],
    matched: &[],
    unmatched: &[],
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    monitoring::evaluate(r, ctx, &SPEC)
}
