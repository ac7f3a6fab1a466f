use super::flag_check;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-007",
    title: "Cloud SQL MySQL disables local_infile",
    severity: Severity::Low,
    kind: "gcp.sql.instance",
    rationale: "local_infile lets LOAD DATA LOCAL read files from the client host, which a malicious server or injected SQL can abuse to exfiltrate client files.",
    remediation: "Set the database flag local_infile to off (Terraform: a database_flags block with name local_infile and value off).",
    frameworks: &["cis-gcp-3.0:6.1.3", "nist-800-53-r5:CM-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"engine": "mysql", "database_flags": {"local_infile": "off"}}"#,
            r#"{"engine": "other", "database_flags": {}}"#,
        ],
        fail: &[
            r#"{"engine": "mysql", "database_flags": {"local_infile": "on"}}"#,
            r#"{"engine": "mysql", "database_flags": {}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_check(r, "mysql", "local_infile", &["off"], "on")
}
