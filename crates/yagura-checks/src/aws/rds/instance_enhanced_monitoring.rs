use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-010",
    title: "RDS DB instance has enhanced monitoring enabled",
    severity: Severity::Low,
    kind: "aws.rds.db_instance",
    rationale: "Enhanced monitoring streams operating-system metrics (processes, memory, disk \
        and network) at up to one-second granularity, which is what is needed to notice and \
        diagnose resource exhaustion, runaway queries or unexpected processes on the database \
        host.",
    remediation: "Enable it with a monitoring role: `aws rds modify-db-instance \
        --db-instance-identifier ID --monitoring-interval 60 --monitoring-role-arn ROLE_ARN`.",
    frameworks: &["nist-800-53-r5:SI-4", "nist-800-53-r5:CA-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"db_instance_id": "db1", "engine": "postgres", "enhanced_monitoring_interval": 60}"#,
        ],
        fail: &[
            r#"{"db_instance_id": "db1", "engine": "postgres", "enhanced_monitoring_interval": 0}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot turn on enhanced monitoring (it ignores \
        MonitoringInterval), so the end-to-end test covers only FAIL; PASS is covered by \
        snapshot fixtures only.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("enhanced_monitoring_interval").i64() {
        Ok(Some(s)) if s > 0 => {
            Outcome::Pass(format!("enhanced monitoring collects metrics every {s} s"))
        }
        Ok(_) => Outcome::Fail("enhanced monitoring is off (interval 0)".into()),
        Err(e) => e.into(),
    }
}
