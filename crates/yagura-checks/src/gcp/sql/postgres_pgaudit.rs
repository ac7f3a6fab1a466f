use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-010",
    title: "Cloud SQL PostgreSQL enables pgAudit",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "pgAudit records detailed session and object audit events (who read or changed what), which the standard PostgreSQL logs do not capture.",
    remediation: "Set the database flag cloudsql.enable_pgaudit to on and create the pgaudit extension, then choose what to log with pgaudit.log.",
    frameworks: &["cis-gcp-3.0:6.2.8", "nist-800-53-r5:AU-12"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "postgres", "database_flags": {"cloudsql.enable_pgaudit": "on"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "postgres", "database_flags": {"cloudsql.enable_pgaudit": "off"}}"#,
            r#"{"engine": "postgres", "database_flags": {}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(r, "postgres", "cloudsql.enable_pgaudit", &["on"], "off")
}
