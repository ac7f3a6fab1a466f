use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-009",
    title: "Cloud SQL MySQL hides the database list (skip_show_database)",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "Without skip_show_database any user can list every database on the instance, which helps an attacker map targets after stealing one low-privilege login.",
    remediation: "Set the database flag skip_show_database to on (Terraform: a database_flags block with name skip_show_database and value on).",
    frameworks: &["cis-gcp-3.0:6.1.2", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "mysql", "database_flags": {"skip_show_database": "on"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "mysql", "database_flags": {"skip_show_database": "off"}}"#,
            r#"{"engine": "mysql", "database_flags": {}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(r, "mysql", "skip_show_database", &["on"], "off")
}
