use crate::aws::s3::policy::{policy_not_public, NotPublicTexts};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SQS-002",
    title: "SQS queue policy does not grant access to everyone",
    severity: Severity::High,
    kind: "aws.sqs.queue",
    rationale: "A queue policy allowing Principal \"*\" without a source condition lets any AWS \
        account send messages into your processing pipeline, or receive and delete the messages \
        meant for your consumers.",
    remediation: "Restrict the queue policy to named accounts, or to the service that delivers \
        to it with an `aws:SourceArn` condition: `aws sqs set-queue-attributes --queue-url URL \
        --attributes file://policy.json`.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-21",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"queue_name": "q", "policy": null}"#,
            r#"{"queue_name": "q", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"}}}]}}"#,
        ],
        fail: &[
            r#"{"queue_name": "q", "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*"}]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    policy_not_public(
        r,
        &NotPublicTexts {
            no_policy: "the queue has no access policy (only the owner has access)",
            none_public: "no queue policy statement grants access to everyone",
            policy: "the queue policy",
        },
    )
}
