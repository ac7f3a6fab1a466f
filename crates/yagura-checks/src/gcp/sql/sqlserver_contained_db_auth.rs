use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-013",
    title: "Cloud SQL SQL Server disables contained database authentication",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "Contained databases authenticate their own users, bypassing server-level login controls and letting a database owner create users the instance administrators do not see.",
    remediation: "Set the database flag contained database authentication to off (Terraform: a database_flags block with that name and value off).",
    frameworks: &["cis-gcp-3.0:6.3.7", "nist-800-53-r5:IA-2"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "sqlserver", "database_flags": {"contained database authentication": "off"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
            r#"{"engine": "sqlserver", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "sqlserver", "database_flags": {"contained database authentication": "on"}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(
        r,
        "sqlserver",
        "contained database authentication",
        &["off"],
        "off",
    )
}
