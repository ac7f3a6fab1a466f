use super::engine::require_instance_level;
use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-005",
    title: "RDS DB instance has deletion protection enabled",
    severity: Severity::Low,
    kind: "aws.rds.db_instance",
    rationale: "Deletion protection makes a delete request fail until the setting is turned off \
        first, which stops a mistaken console click, script or infrastructure-as-code change from \
        destroying a production database.",
    remediation: "Enable it: `aws rds modify-db-instance --db-instance-identifier ID \
        --deletion-protection --apply-immediately`.",
    frameworks: &["nist-800-53-r5:CP-10", "nist-800-53-r5:CM-3"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"db_instance_id": "db1", "engine": "mariadb", "deletion_protection": true}"#],
        fail: &[r#"{"db_instance_id": "db1", "engine": "mariadb", "deletion_protection": false}"#],
    },
    notes: "Aurora, DocumentDB and Neptune instances are NOT_ASSESSED: deletion protection is a \
        cluster setting there.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_instance_level(r, "deletion protection") {
        return o;
    }
    flag_must_be(
        r,
        "deletion_protection",
        true,
        "deletion protection is enabled",
        "deletion protection is disabled",
    )
}
