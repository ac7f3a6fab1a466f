use super::engine::require_instance_level;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-006",
    title: "RDS DB instance keeps automated backups for at least 7 days",
    severity: Severity::Medium,
    kind: "aws.rds.db_instance",
    rationale: "Automated backups allow point-in-time restore. With backups off, or kept only a \
        day or two, corruption or a destructive change noticed after a weekend cannot be undone.",
    remediation: "Set the retention period to 7 days or more: `aws rds modify-db-instance \
        --db-instance-identifier ID --backup-retention-period 7 --apply-immediately`.",
    frameworks: &["nist-800-53-r5:CP-9", "nist-800-53-r5:CP-10"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"db_instance_id": "db1", "engine": "postgres", "backup_retention_days": 14}"#],
        fail: &[
            r#"{"db_instance_id": "db1", "engine": "postgres", "backup_retention_days": 1}"#,
            r#"{"db_instance_id": "db1", "engine": "postgres", "backup_retention_days": 0}"#,
        ],
    },
    notes: "Aurora, DocumentDB and Neptune instances are NOT_ASSESSED: backup retention is a \
        cluster setting there.",
};

const MIN_DAYS: i64 = 7;

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_instance_level(r, "backup retention") {
        return o;
    }
    match r.attr("backup_retention_days").i64() {
        Ok(Some(d)) if d >= MIN_DAYS => {
            Outcome::Pass(format!("automated backups are kept for {d} days"))
        }
        Ok(Some(d)) if d > 0 => Outcome::Fail(format!(
            "automated backups are kept for only {d} day(s); at least {MIN_DAYS} are required"
        )),
        Ok(_) => {
            Outcome::Fail("automated backups are disabled (retention period 0 or unset)".into())
        }
        Err(e) => e.into(),
    }
}
