use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-008",
    title: "VM instance does not disable OS Login",
    severity: Severity::Medium,
    kind: "gcp.compute.instance",
    rationale: "OS Login ties SSH access to IAM identities with central revocation and audit; \
        an instance that turns it off falls back to unmanaged metadata SSH keys.",
    remediation: "Enable OS Login in project metadata (`enable-oslogin = TRUE`) and do not \
        override it with `enable-oslogin = FALSE` on instances.",
    frameworks: &["cis-gcp-3.0:4.4", "nist-800-53-r5:IA-2"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"os_login": true}"#],
        fail: &[r#"{"os_login": false}"#],
    },
    notes: "An instance that does not set enable-oslogin inherits the project metadata, which \
        an instance resource does not show: `os_login: null` is NOT_ASSESSED.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("os_login").value() {
        Ok(serde_json::Value::Bool(true)) => {
            Outcome::Pass("OS Login is enabled on the instance".into())
        }
        Ok(serde_json::Value::Bool(false)) => {
            Outcome::Fail("the instance disables OS Login".into())
        }
        Ok(_) => Outcome::NotAssessed(
            "the instance inherits OS Login from project metadata, which was not observed".into(),
        ),
        Err(e) => e.into(),
    }
}
