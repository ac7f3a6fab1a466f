use crate::util::encrypted_flag;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-007",
    title: "EBS volume is encrypted",
    severity: Severity::Medium,
    kind: "aws.ec2.volume",
    rationale: "An unencrypted EBS volume, and every snapshot taken of it, holds the data in the \
        clear. Encryption with KMS protects the data at rest and in snapshots, and makes access \
        depend on permission to use the key.",
    remediation: "EBS volumes cannot be encrypted in place: snapshot the volume, copy the \
        snapshot with encryption enabled, create a volume from the copy and swap it in. Turn on \
        EBS encryption by default in every region so new volumes are always encrypted.",
    frameworks: &[
        "nist-800-53-r5:SC-28",
        "nist-800-53-r5:SC-13",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"volume_id": "vol-1", "encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1"}"#,
        ],
        fail: &[r#"{"volume_id": "vol-1", "encrypted": false, "kms_key_id": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    encrypted_flag(
        r,
        "encrypted",
        "the volume is encrypted",
        "the volume is not encrypted",
    )
}
