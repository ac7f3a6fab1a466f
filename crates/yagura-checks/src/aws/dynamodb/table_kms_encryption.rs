use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-DYNAMODB-003",
    title: "DynamoDB table is encrypted with a KMS key in the account",
    severity: Severity::Low,
    kind: "aws.dynamodb.table",
    rationale: "All tables are encrypted at rest, but with the default AWS owned key you cannot \
        see, restrict or audit its use. An AWS managed or customer managed KMS key records every \
        use in CloudTrail and, if customer managed, lets the key policy limit who can read the \
        data.",
    remediation: "Switch the table to a KMS key: `aws dynamodb update-table --table-name NAME \
        --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY` (omit the key id for \
        the AWS managed key aws/dynamodb).",
    frameworks: &[
        "nist-800-53-r5:SC-12",
        "nist-800-53-r5:SC-28",
        "pci-dss-4.0:3.6.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"table_name": "orders", "sse_type": "KMS", "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1"}"#,
        ],
        fail: &[r#"{"table_name": "orders", "sse_type": null, "kms_key_id": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("sse_type").str() {
        Ok(Some("KMS")) => match r.attr("kms_key_id").str() {
            Ok(Some(key)) => Outcome::Pass(format!("the table is encrypted with KMS key {key}")),
            _ => Outcome::Pass("the table is encrypted with a KMS key".into()),
        },
        Ok(Some(other)) => Outcome::Fail(format!(
            "the table uses {other} encryption, not a KMS key in the account"
        )),
        Ok(None) => Outcome::Fail(
            "the table is encrypted with the AWS owned key, whose use cannot be audited".into(),
        ),
        Err(e) => e.into(),
    }
}
