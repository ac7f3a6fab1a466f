use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-008",
    title: "Cloud SQL SQL Server disables cross-database ownership chaining",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "Cross-database ownership chaining lets a database owner reach objects in other databases through ownership chains, bypassing their permissions.",
    remediation: "Set the database flag cross db ownership chaining to off (Terraform: a database_flags block with that name and value off).",
    frameworks: &["cis-gcp-3.0:6.3.2", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "sqlserver", "database_flags": {"cross db ownership chaining": "off"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
            r#"{"engine": "sqlserver", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "sqlserver", "database_flags": {"cross db ownership chaining": "on"}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(
        r,
        "sqlserver",
        "cross db ownership chaining",
        &["off"],
        "off",
    )
}
