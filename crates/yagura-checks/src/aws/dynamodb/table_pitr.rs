use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-DYNAMODB-001",
    title: "DynamoDB table has point-in-time recovery enabled",
    severity: Severity::Medium,
    kind: "aws.dynamodb.table",
    rationale: "Point-in-time recovery keeps continuous backups for 35 days, so a table damaged \
        by a faulty deployment, a bad script or a malicious write can be restored to any second \
        before the damage. Without it, only manually taken backups exist.",
    remediation: "Enable it: `aws dynamodb update-continuous-backups --table-name NAME \
        --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true`.",
    frameworks: &["nist-800-53-r5:CP-9", "nist-800-53-r5:CP-10"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"table_name": "orders", "pitr_enabled": true}"#],
        fail: &[r#"{"table_name": "orders", "pitr_enabled": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "pitr_enabled",
        true,
        "point-in-time recovery is enabled",
        "point-in-time recovery is disabled",
    )
}
