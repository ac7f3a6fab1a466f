use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SQS-001",
    title: "SQS queue is encrypted at rest",
    severity: Severity::Medium,
    kind: "aws.sqs.queue",
    rationale: "Messages can sit in a queue for up to two weeks and often carry business data \
        or identifiers. Server-side encryption, with SQS-managed keys or a KMS key, keeps them \
        encrypted at rest; a KMS key additionally makes reading them depend on key permission.",
    remediation: "Enable SQS-managed encryption (`aws sqs set-queue-attributes --queue-url URL \
        --attributes SqsManagedSseEnabled=true`) or use a KMS key (`KmsMasterKeyId=KEY`).",
    frameworks: &["nist-800-53-r5:SC-28", "pci-dss-4.0:3.5.1"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"queue_name": "q", "kms_key_id": "alias/app", "sqs_managed_sse": false}"#,
            r#"{"queue_name": "q", "kms_key_id": null, "sqs_managed_sse": true}"#,
        ],
        fail: &[r#"{"queue_name": "q", "kms_key_id": null, "sqs_managed_sse": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let kms = r.attr("kms_key_id").str();
    if let Ok(Some(key)) = kms {
        return Outcome::Pass(format!("the queue is encrypted with KMS key {key}"));
    }
    match r.attr("sqs_managed_sse").bool() {
        Ok(true) => Outcome::Pass("the queue is encrypted with SQS-managed keys (SSE-SQS)".into()),
        Ok(false) => match kms {
            Ok(_) => Outcome::Fail("server-side encryption is not enabled on the queue".into()),
            Err(e) => e.into(),
        },
        Err(e) => e.into(),
    }
}
