use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-013",
    title: "EBS snapshot is encrypted",
    severity: Severity::Medium,
    kind: "aws.ec2.snapshot",
    rationale: "Snapshots are full copies of a disk and are often kept, copied and shared long \
        after the volume is gone. An unencrypted snapshot exposes the disk's contents to anyone \
        who gains access to it, with no key permission standing in the way.",
    remediation: "Copy the snapshot with encryption enabled (`aws ec2 copy-snapshot \
        --source-snapshot-id ID --source-region REGION --encrypted --kms-key-id KEY`), delete \
        the unencrypted original, and enable EBS encryption by default so future volumes and \
        snapshots are encrypted.",
    frameworks: &["nist-800-53-r5:SC-28", "pci-dss-4.0:3.5.1"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"snapshot_id": "snap-1", "encrypted": true, "public": false}"#],
        fail: &[r#"{"snapshot_id": "snap-1", "encrypted": false, "public": false}"#],
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
