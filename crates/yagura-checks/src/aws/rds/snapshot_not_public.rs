use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-008",
    title: "RDS DB snapshot is not public",
    severity: Severity::Critical,
    kind: "aws.rds.db_snapshot",
    rationale: "A public DB snapshot can be restored by any AWS account, handing over a full \
        copy of the database, including user tables and password hashes.",
    remediation: "Remove the public restore permission: `aws rds modify-db-snapshot-attribute \
        --db-snapshot-identifier ID --attribute-name restore --values-to-remove all`; share \
        with named accounts when needed.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-21",
        "pci-dss-4.0:1.4.4",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"snapshot_id": "snap1", "encrypted": true, "public": false}"#],
        fail: &[r#"{"snapshot_id": "snap1", "encrypted": false, "public": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "public",
        false,
        "the snapshot is not shared publicly",
        "any AWS account can restore this snapshot (restore attribute: all)",
    )
}
