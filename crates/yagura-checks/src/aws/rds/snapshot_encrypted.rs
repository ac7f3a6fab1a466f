use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-009",
    title: "RDS DB snapshot is encrypted",
    severity: Severity::Medium,
    kind: "aws.rds.db_snapshot",
    rationale: "A snapshot is a complete copy of the database. Unencrypted, it can be read by \
        anyone who gets access to it, and instances restored from it are unencrypted too.",
    remediation: "Copy the snapshot with a KMS key (`aws rds copy-db-snapshot \
        --source-db-snapshot-identifier ID --target-db-snapshot-identifier NEW --kms-key-id \
        KEY`), delete the unencrypted one, and encrypt the source instance.",
    frameworks: &["nist-800-53-r5:SC-28", "pci-dss-4.0:3.5.1"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"snapshot_id": "snap1", "encrypted": true, "public": false}"#],
        fail: &[r#"{"snapshot_id": "snap1", "encrypted": false, "public": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "encrypted",
        true,
        "the snapshot is encrypted",
        "the snapshot is not encrypted",
    )
}
