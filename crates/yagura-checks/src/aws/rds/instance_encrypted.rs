use crate::util::encrypted_flag;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-001",
    title: "RDS DB instance is encrypted at rest",
    severity: Severity::Medium,
    kind: "aws.rds.db_instance",
    rationale: "Without storage encryption the database files, automated backups, read \
        replicas and snapshots are stored unencrypted. Encryption with KMS protects them at rest \
        and ties access to the underlying storage to permission on the key.",
    remediation: "Encryption cannot be turned on for an existing instance: take a snapshot, \
        copy it with encryption enabled and a KMS key, restore a new instance from the copy and \
        switch clients over. Create new instances with `--storage-encrypted`.",
    frameworks: &[
        "cis-aws-3.0:2.3.1",
        "nist-800-53-r5:SC-28",
        "nist-800-53-r5:SC-13",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"db_instance_id": "db1", "engine": "postgres", "storage_encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1"}"#,
        ],
        fail: &[
            r#"{"db_instance_id": "db1", "engine": "mysql", "storage_encrypted": false, "kms_key_id": null}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    encrypted_flag(
        r,
        "storage_encrypted",
        "storage is encrypted",
        "storage encryption is not enabled",
    )
}
