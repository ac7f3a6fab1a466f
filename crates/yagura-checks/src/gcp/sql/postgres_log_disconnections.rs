use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-006",
    title: "Cloud SQL PostgreSQL logs session ends",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "Without log_disconnections, session end and duration are not recorded, so unusual session lengths and activity windows cannot be reconstructed.",
    remediation: "Set the database flag log_disconnections to on (Terraform: a database_flags block with name log_disconnections and value on).",
    frameworks: &["cis-gcp-3.0:6.2.3", "nist-800-53-r5:AU-12"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "postgres", "database_flags": {"log_disconnections": "on"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "postgres", "database_flags": {"log_disconnections": "off"}}"#,
            r#"{"engine": "postgres", "database_flags": {}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(r, "postgres", "log_disconnections", &["on"], "off")
}
