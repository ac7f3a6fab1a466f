use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-SQL-004",
    title: "SQL server requires TLS 1.2 or later",
    severity: Severity::Medium,
    kind: "azure.sql.server",
    rationale: "Clients allowed to connect with TLS 1.0 or 1.1 use protocol versions with known \
        weaknesses, putting credentials and query results in transit at risk.",
    remediation: "Set the server's minimal TLS version to 1.2 (Terraform: \
        `minimum_tls_version = \"1.2\"`).",
    frameworks: &["nist-800-53-r5:SC-8"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"min_tls_version": "1.2"}"#,
            r#"{"min_tls_version": "1.3"}"#,
        ],
        fail: &[
            r#"{"min_tls_version": "1.0"}"#,
            r#"{"min_tls_version": "Disabled"}"#,
            r#"{"min_tls_version": null}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("min_tls_version").str() {
        Ok(Some(v)) if matches!(v, "1.2" | "1.3") => {
            Outcome::Pass(format!("the minimal TLS version is {v}"))
        }
        Ok(Some(v)) => Outcome::Fail(format!(
            "the minimal TLS version is {v}: clients may use TLS below 1.2"
        )),
        Ok(None) => Outcome::Fail("no minimal TLS version is enforced".into()),
        Err(e) => e.into(),
    }
}
