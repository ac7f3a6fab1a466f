use crate::aws::s3::policy::{policy_not_public, NotPublicTexts};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SNS-002",
    title: "SNS topic policy does not grant access to everyone",
    severity: Severity::High,
    kind: "aws.sns.topic",
    rationale: "A topic policy allowing Principal \"*\" without a source condition lets any AWS \
        account publish to the topic (spamming or spoofing every subscriber) or subscribe to it \
        and receive the messages.",
    remediation: "Restrict the topic policy to named accounts or service principals with an \
        `aws:SourceArn` or `aws:SourceAccount` condition: `aws sns set-topic-attributes \
        --topic-arn ARN --attribute-name Policy --attribute-value file://policy.json`.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-21",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"topic_name": "t", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:123456789012:t"}]}}"#,
            r#"{"topic_name": "t", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}}]}}"#,
        ],
        fail: &[
            r#"{"topic_name": "t", "policy": {"Statement": [{"Sid": "any", "Effect": "Allow", "Principal": "*", "Action": ["sns:Publish", "sns:Subscribe"]}]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    policy_not_public(
        r,
        &NotPublicTexts {
            no_policy: "the topic has no access policy (only the owner has access)",
            none_public: "no topic policy statement grants access to everyone",
            policy: "the topic policy",
        },
    )
}
