use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-005",
    title: "Cloud SQL PostgreSQL logs connection attempts",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "Without log_connections, successful and failed connection attempts are not recorded, hiding credential guessing and unexpected clients.",
    remediation: "Set the database flag log_connections to on (Terraform: a database_flags block with name log_connections and value on).",
    frameworks: &["cis-gcp-3.0:6.2.2", "nist-800-53-r5:AU-12"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "postgres", "database_flags": {"log_connections": "on"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "postgres", "database_flags": {"log_connections": "off"}}"#,
            r#"{"engine": "postgres", "database_flags": {}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(r, "postgres", "log_connections", &["on"], "off")
}
