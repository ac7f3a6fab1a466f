use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-001",
    title: "Cloud SQL instance accepts only encrypted connections",
    severity: Severity::High,
    kind: "gcp.sql.instance",
    rationale: "An instance that also accepts unencrypted connections lets clients send \
        credentials and query results in clear text over the network.",
    remediation: "Set the SSL mode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED \
        (Terraform: `settings { ip_configuration { ssl_mode = \"ENCRYPTED_ONLY\" } }`).",
    frameworks: &["cis-gcp-3.0:6.4", "nist-800-53-r5:SC-8"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"ssl_mode": "ENCRYPTED_ONLY"}"#,
            r#"{"ssl_mode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}"#,
        ],
        fail: &[
            r#"{"ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}"#,
            r#"{"ssl_mode": null}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("ssl_mode").str() {
        Ok(Some(m)) if matches!(m, "ENCRYPTED_ONLY" | "TRUSTED_CLIENT_CERTIFICATE_REQUIRED") => {
            Outcome::Pass(format!("SSL mode is {m}"))
        }
        Ok(Some(m)) => Outcome::Fail(format!("SSL mode {m} accepts unencrypted connections")),
        Ok(None) => Outcome::Fail("no SSL mode is set, so unencrypted connections work".into()),
        Err(e) => e.into(),
    }
}
