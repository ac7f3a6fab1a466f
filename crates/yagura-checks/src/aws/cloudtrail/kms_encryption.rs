use super::trails::name;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-004",
    title: "CloudTrail logs are encrypted with a KMS key",
    severity: Severity::Medium,
    kind: "aws.cloudtrail.trail",
    rationale: "Encrypting trail logs with a customer-managed KMS key adds a second permission \
        (kms:Decrypt) between readers of the bucket and the audit records, and records every \
        use of the key.",
    remediation: "Create a KMS key whose policy allows CloudTrail to encrypt, then run `aws \
        cloudtrail update-trail --name TRAIL --kms-key-id KEY_ARN`.",
    frameworks: &[
        "cis-aws-3.0:3.5",
        "nist-800-53-r5:AU-9",
        "nist-800-53-r5:SC-28",
        "pci-dss-4.0:10.3.2",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"trail_name": "main", "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#,
        ],
        fail: &[r#"{"trail_name": "main", "kms_key_id": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("kms_key_id").str() {
        Ok(Some(k)) if !k.is_empty() => {
            Outcome::Pass(format!("trail {} encrypts logs with KMS key {k}", name(r)))
        }
        Ok(_) => Outcome::Fail(format!(
            "trail {} does not encrypt logs with a KMS key",
            name(r)
        )),
        Err(e) => e.into(),
    }
}
