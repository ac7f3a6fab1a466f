use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-008",
    title: "EBS snapshot is not public",
    severity: Severity::Critical,
    kind: "aws.ec2.snapshot",
    rationale: "A public snapshot can be copied by any AWS account, which can then create a \
        volume and read everything on the disk: databases, keys, credentials left in files.",
    remediation: "Remove the public create-volume permission: `aws ec2 \
        modify-snapshot-attribute --snapshot-id ID --attribute createVolumePermission \
        --operation-type remove --group-names all`; share with specific accounts instead, and \
        turn on block public access for EBS snapshots in every region.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-21",
        "pci-dss-4.0:1.4.4",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"snapshot_id": "snap-1", "encrypted": true, "public": false}"#],
        fail: &[r#"{"snapshot_id": "snap-1", "encrypted": false, "public": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "public",
        false,
        "the snapshot is not shared publicly",
        "any AWS account can create a volume from this snapshot (createVolumePermission: all)",
    )
}
