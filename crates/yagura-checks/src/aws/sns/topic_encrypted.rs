use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SNS-001",
    title: "SNS topic is encrypted at rest with KMS",
    severity: Severity::Medium,
    kind: "aws.sns.topic",
    rationale: "Messages waiting for delivery are stored by SNS. Server-side encryption with a \
        KMS key protects them at rest and lets you control and audit who may publish to or read \
        from the topic through the key policy.",
    remediation: "Enable server-side encryption: `aws sns set-topic-attributes --topic-arn ARN \
        --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns` (or a customer managed \
        key whose policy allows the publishing services).",
    frameworks: &[
        "nist-800-53-r5:SC-28",
        "nist-800-53-r5:SC-12",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"topic_name": "alerts", "kms_key_id": "alias/aws/sns"}"#],
        fail: &[r#"{"topic_name": "alerts", "kms_key_id": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("kms_key_id").str() {
        Ok(Some(key)) => Outcome::Pass(format!("the topic is encrypted with {key}")),
        Ok(None) => Outcome::Fail("server-side encryption is not enabled on the topic".into()),
        Err(e) => e.into(),
    }
}
