use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-MYSQL-002",
    title: "MySQL server requires TLS 1.2 or later",
    severity: Severity::Medium,
    kind: "azure.mysql.server",
    rationale: "Allowing TLS 1.0 or 1.1 lets clients negotiate protocol versions with known \
        weaknesses, undermining the protection of credentials and data in transit.",
    remediation: "Set the minimal TLS version to 1.2 (single server: \
        `ssl_minimal_tls_version_enforced = \"TLS1_2\"`; flexible server: the `tls_version` \
        parameter `TLSv1.2`).",
    frameworks: &["cis-azure-2.1:4.4.2", "nist-800-53-r5:SC-8"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"min_tls_version": "1.2"}"#],
        fail: &[
            r#"{"min_tls_version": "1.0"}"#,
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
        Ok(Some(v)) => Outcome::Fail(format!("the minimal TLS version is {v}, below 1.2")),
        Ok(None) => Outcome::Fail("no minimal TLS version is enforced".into()),
        Err(e) => e.into(),
    }
}
