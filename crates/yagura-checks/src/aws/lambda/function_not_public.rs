use crate::aws::s3::policy::{policy_not_public, NotPublicTexts};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-LAMBDA-001",
    title: "Lambda function policy does not allow invocation by anyone",
    severity: Severity::High,
    kind: "aws.lambda.function",
    rationale: "A resource-based policy that grants Principal \"*\" without a source condition \
        lets any AWS account, or anyone at all through a function URL, invoke the function or \
        manage it. Attackers can run up costs, trigger the function's side effects, or read what \
        it returns.",
    remediation: "Remove the public statements (`aws lambda remove-permission --function-name \
        NAME --statement-id SID`) and grant invoke permission to specific principals, adding an \
        `aws:SourceArn` or `aws:SourceAccount` condition for service principals.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:AC-21",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"function_name": "f", "policy": null}"#,
            r#"{"function_name": "f", "policy": {"Statement": [{"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}}}]}}"#,
        ],
        fail: &[
            r#"{"function_name": "f", "policy": {"Statement": [{"Sid": "open", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"}]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    policy_not_public(
        r,
        &NotPublicTexts {
            no_policy: "the function has no resource-based policy",
            none_public: "no policy statement grants access to everyone",
            policy: "the function policy",
        },
    )
}
