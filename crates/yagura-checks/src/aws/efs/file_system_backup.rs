use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EFS-002",
    title: "EFS file system has automatic backups enabled",
    severity: Severity::Medium,
    kind: "aws.efs.file_system",
    rationale: "EFS keeps no previous versions of files. Without AWS Backup protecting the file \
        system, an accidental deletion, a bad deployment or ransomware that encrypts the share \
        cannot be rolled back.",
    remediation: "Turn on automatic backups (`aws efs put-backup-policy --file-system-id ID \
        --backup-policy Status=ENABLED`) or include the file system in an AWS Backup plan with \
        a retention that matches your recovery objectives.",
    frameworks: &["nist-800-53-r5:CP-9", "nist-800-53-r5:CP-10"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"file_system_id": "fs-1", "encrypted": true, "backup_enabled": true}"#],
        fail: &[r#"{"file_system_id": "fs-1", "encrypted": true, "backup_enabled": false}"#],
    },
    notes: "`backup_enabled` is absent when the collector could not read the file system's \
        backup policy; the check is then NOT_ASSESSED.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "backup_enabled",
        true,
        "automatic backups are enabled",
        "automatic backups are not enabled for the file system",
    )
}
