use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-011",
    title: "S3 bucket encrypts by default with a KMS key",
    severity: Severity::Low,
    kind: "aws.s3.bucket",
    rationale: "S3 now encrypts every object with S3-managed keys, which protects the disks but \
        not the data: anyone allowed to read the object reads it decrypted. With a KMS key, a \
        read also needs permission on the key, key use is logged in CloudTrail, and disabling \
        the key cuts off access to all objects at once.",
    remediation: "Set the bucket's default encryption to SSE-KMS with a customer-managed key and \
        an S3 Bucket Key (Terraform: `aws_s3_bucket_server_side_encryption_configuration` with \
        `sse_algorithm = \"aws:kms\"` and `kms_master_key_id`; CloudFormation: \
        `BucketEncryption` with `SSEAlgorithm: aws:kms`).",
    frameworks: &[
        "nist-800-53-r5:SC-28",
        "nist-800-53-r5:SC-12",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"encryption": {"algorithm": "aws:kms", "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1", "bucket_key_enabled": true}}"#,
            r#"{"encryption": {"algorithm": "aws:kms:dsse", "kms_key_id": null, "bucket_key_enabled": false}}"#,
        ],
        fail: &[
            r#"{"encryption": {"algorithm": "AES256", "kms_key_id": null, "bucket_key_enabled": false}}"#,
            r#"{"encryption": null}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let enc = match r.attr("encryption").value() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if enc.is_null() {
        return Outcome::Fail("the bucket has no default encryption configuration".into());
    }
    let alg = match r.attr("encryption.algorithm").str() {
        Ok(a) => a.unwrap_or(""),
        Err(e) => return e.into(),
    };
    if alg.starts_with("aws:kms") {
        match enc.get("kms_key_id").and_then(Value::as_str) {
            Some(key) => Outcome::Pass(format!("default encryption uses {alg} with key {key}")),
            None => Outcome::Pass(format!(
                "default encryption uses {alg} with the AWS-managed key aws/s3"
            )),
        }
    } else {
        Outcome::Fail(format!(
            "default encryption uses {} (S3-managed keys), not a KMS key",
            if alg.is_empty() {
                "no named algorithm"
            } else {
                alg
            }
        ))
    }
}
