use crate::util::encrypted_flag;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EFS-001",
    title: "EFS file system is encrypted at rest",
    severity: Severity::Medium,
    kind: "aws.efs.file_system",
    rationale: "EFS file systems often hold shared application data, home directories and \
        exports. Without encryption at rest that data is stored unencrypted and access to it \
        does not depend on any KMS key permission.",
    remediation: "Encryption can only be chosen at creation: create a new file system with \
        encryption enabled (`aws efs create-file-system --encrypted --kms-key-id KEY`), copy \
        the data over with AWS DataSync, and move the mount targets' clients to it.",
    frameworks: &[
        "cis-aws-3.0:2.4.1",
        "nist-800-53-r5:SC-28",
        "nist-800-53-r5:SC-13",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"file_system_id": "fs-1", "encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1"}"#,
        ],
        fail: &[r#"{"file_system_id": "fs-1", "encrypted": false, "kms_key_id": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    encrypted_flag(
        r,
        "encrypted",
        "the file system is encrypted",
        "the file system is not encrypted at rest",
    )
}
