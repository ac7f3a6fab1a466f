use super::uses_default_sa;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-005",
    title: "VM instance does not run as the default compute service account",
    severity: Severity::Medium,
    kind: "gcp.compute.instance",
    rationale: "The default compute service account has the project Editor role unless changed, \
        so any code on the VM, or anyone who compromises it, can modify most project resources.",
    remediation: "Create a dedicated service account with only the roles the workload needs and \
        attach it to the instance (Terraform: `service_account { email = \
        google_service_account.app.email scopes = [\"cloud-platform\"] }`).",
    frameworks: &["cis-gcp-3.0:4.1", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"service_account": {"email": "app@p.iam.gserviceaccount.com", "default": false, "scopes": []}}"#,
            r#"{"service_account": null}"#,
        ],
        fail: &[
            r#"{"service_account": {"email": null, "default": true, "scopes": []}}"#,
            r#"{"service_account": {"email": "123-compute@developer.gserviceaccount.com", "scopes": []}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(e) = r.attr("service_account").value() {
        return e.into();
    }
    match uses_default_sa(r) {
        Some(true) => {
            Outcome::Fail("the instance runs as the default compute service account".into())
        }
        Some(false) => {
            Outcome::Pass("the instance does not use the default compute service account".into())
        }
        None => Outcome::NotAssessed("the instance's service account is not known".into()),
    }
}
