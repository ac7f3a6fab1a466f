use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-004",
    title: "Cloud SQL instance has automated backups",
    severity: Severity::Medium,
    kind: "gcp.sql.instance",
    rationale: "Without automated backups, data lost to corruption, a bad migration or deletion \
        cannot be restored to a recent point in time.",
    remediation: "Enable automated backups (Terraform: `settings { backup_configuration { \
        enabled = true } }`), with point-in-time recovery where the engine supports it.",
    frameworks: &["cis-gcp-3.0:6.7", "nist-800-53-r5:CP-9"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"backup_enabled": true}"#],
        fail: &[r#"{"backup_enabled": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "backup_enabled",
        true,
        "automated backups are enabled",
        "automated backups are disabled",
    )
}
