use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-005",
    title: "S3 bucket has default encryption configured",
    severity: Severity::Medium,
    kind: "aws.s3.bucket",
    rationale: "Default encryption makes S3 encrypt every new object at rest even when the \
        uploader does not ask for it, so no object is stored in the clear by mistake. With a KMS \
        key, reads additionally need permission on the key and are logged in CloudTrail.",
    remediation: "Configure default encryption on the bucket, preferably with a KMS key and an \
        S3 Bucket Key: `aws s3api put-bucket-encryption --bucket NAME \
        --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":\
        {\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"KEY\"},\"BucketKeyEnabled\":true}]}'`.",
    frameworks: &["nist-800-53-r5:SC-28", "nist-800-53-r5:SC-13", "pci-dss-4.0:3.5.1"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"encryption": {"algorithm": "aws:kms", "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1", "bucket_key_enabled": true}}"#,
            r#"{"encryption": {"algorithm": "AES256", "kms_key_id": null, "bucket_key_enabled": false}}"#,
        ],
        fail: &[r#"{"encryption": null}"#],
    },
    notes: "Since January 2023 AWS applies SSE-S3 to every new bucket, so a failure usually comes \
        from IaC that removes the configuration or from an older snapshot.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let enc = match r.attr("encryption").value() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if enc.is_null() {
        return Outcome::Fail("the bucket has no default encryption configuration".into());
    }
    let alg = enc
        .get("algorithm")
        .and_then(Value::as_str)
        .unwrap_or("an unnamed algorithm");
    match enc.get("kms_key_id").and_then(Value::as_str) {
        Some(key) => Outcome::Pass(format!("default encryption uses {alg} with key {key}")),
        None => Outcome::Pass(format!("default encryption uses {alg}")),
    }
}
