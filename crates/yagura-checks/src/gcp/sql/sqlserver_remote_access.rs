use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-012",
    title: "Cloud SQL SQL Server disables remote access",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "The remote access option lets stored procedures run on or from remote servers, which can be abused to move laterally or to overload the instance.",
    remediation: "Set the database flag remote access to off (Terraform: a database_flags block with name remote access and value off).",
    frameworks: &["cis-gcp-3.0:6.3.5", "nist-800-53-r5:CM-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "sqlserver", "database_flags": {"remote access": "off"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "sqlserver", "database_flags": {"remote access": "on"}}"#,
            r#"{"engine": "sqlserver", "database_flags": {}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(r, "sqlserver", "remote access", &["off"], "on")
}
