use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-002",
    title: "Storage account requires TLS 1.2 or later",
    severity: Severity::Medium,
    kind: "azure.storage.account",
    rationale: "TLS 1.0 and 1.1 have known weaknesses; an account that still negotiates them \
        lets old or downgraded clients move data over a protocol that is no longer safe.",
    remediation: "Set the minimum TLS version to 1.2 (Terraform: `min_tls_version = \
        \"TLS1_2\"`; CLI: `az storage account update --min-tls-version TLS1_2`).",
    frameworks: &["cis-azure-2.1:3.15", "nist-800-53-r5:SC-8"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"min_tls_version": "TLS1_2"}"#,
            r#"{"min_tls_version": "TLS1_3"}"#,
        ],
        fail: &[
            r#"{"min_tls_version": "TLS1_0"}"#,
            r#"{"min_tls_version": null}"#,
        ],
    },
    notes: "An account whose minimum is not set accepts TLS 1.0 (the service default).",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("min_tls_version").str() {
        Ok(Some(v)) if matches!(v, "TLS1_2" | "TLS1_3") => {
            Outcome::Pass(format!("the minimum TLS version is {v}"))
        }
        Ok(Some(v)) => Outcome::Fail(format!("the minimum TLS version is {v}, below TLS 1.2")),
        Ok(None) => Outcome::Fail("no minimum TLS version is set, so TLS 1.0 is accepted".into()),
        Err(e) => e.into(),
    }
}
