use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-011",
    title: "Cloud SQL SQL Server disables external scripts",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "External scripts run R or Python code from inside the database engine, a powerful execution path that attackers with SQL access can abuse.",
    remediation: "Set the database flag external scripts enabled to off (Terraform: a database_flags block with that name and value off).",
    frameworks: &["cis-gcp-3.0:6.3.1", "nist-800-53-r5:CM-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "sqlserver", "database_flags": {"external scripts enabled": "off"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
            r#"{"engine": "sqlserver", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "sqlserver", "database_flags": {"external scripts enabled": "on"}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(r, "sqlserver", "external scripts enabled", &["off"], "off")
}
