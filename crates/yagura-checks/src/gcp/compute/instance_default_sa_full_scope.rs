use super::uses_default_sa;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::iac::contains_unknown;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-006",
    title: "VM instance does not give the default service account full API access",
    severity: Severity::High,
    kind: "gcp.compute.instance",
    rationale: "The default service account with the cloud-platform scope lets anything on the \
        VM use the account's (by default Editor) permissions on every Google Cloud API.",
    remediation: "Use a dedicated least-privilege service account, or at least restrict the \
        default account's access scopes instead of `cloud-platform`.",
    frameworks: &["cis-gcp-3.0:4.2", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"service_account": {"email": null, "default": true, "scopes": ["https://www.googleapis.com/auth/devstorage.read_only"]}}"#,
            r#"{"service_account": {"email": "app@p.iam.gserviceaccount.com", "default": false, "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}}"#,
        ],
        fail: &[
            r#"{"service_account": {"email": null, "default": true, "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}}"#,
        ],
    },
    notes: "",
};

const FULL: &[&str] = &[
    "https://www.googleapis.com/auth/cloud-platform",
    "cloud-platform",
];

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(e) = r.attr("service_account").value() {
        return e.into();
    }
    match uses_default_sa(r) {
        Some(false) => {
            return Outcome::Pass("the instance does not use the default service account".into())
        }
        None => return Outcome::NotAssessed("the instance's service account is not known".into()),
        Some(true) => {}
    }
    let scopes = match r.attr("service_account.scopes").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    if scopes
        .iter()
        .any(|s| s.as_str().is_some_and(|s| FULL.contains(&s)))
    {
        Outcome::Fail(
            "the default service account has the cloud-platform scope (all Cloud APIs)".into(),
        )
    } else if scopes.iter().any(contains_unknown) {
        Outcome::NotAssessed("the access scopes are unknown until apply".into())
    } else {
        let n = scopes.iter().filter_map(Value::as_str).count();
        Outcome::Pass(format!(
            "the default service account is limited to {n} narrower scope(s)"
        ))
    }
}
