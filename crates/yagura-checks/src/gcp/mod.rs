//! Google Cloud checks (fed by Terraform today, by the live collector later), one folder per service.

pub mod compute;
pub mod gke;
pub mod kms;
pub mod sql;
pub mod storage;

pub(crate) static CHECKS: &[&[&crate::Check]] = &[
    compute::CHECKS,
    gke::CHECKS,
    kms::CHECKS,
    sql::CHECKS,
    storage::CHECKS,
];

use serde_json::Value;
use yagura_model::iac::is_unknown;
use yagura_model::{Outcome, Resource};

/// IAM principals meaning "anyone" and "anyone with a Google account".
pub(crate) const PUBLIC_MEMBERS: &[&str] = &["allUsers", "allAuthenticatedUsers"];

/// Verdict over an `iam_members` list (`[{"role", "member"}]`): FAIL naming the
/// grants to public principals, NOT_ASSESSED if a member is unknown, else PASS.
pub(crate) fn iam_not_public(r: &Resource, what: &str) -> Result<Outcome, Outcome> {
    let members = r.attr("iam_members").array().map_err(Outcome::from)?;
    let mut public = Vec::new();
    let mut unknown = false;
    for m in members {
        match m.get("member") {
            Some(Value::String(s)) if PUBLIC_MEMBERS.contains(&s.as_str()) => {
                let role = m.get("role").and_then(Value::as_str).unwrap_or("?");
                public.push(format!("{role} to {s}"));
            }
            Some(v) if is_unknown(v) => unknown = true,
            _ if is_unknown(m) => unknown = true,
            _ => {}
        }
    }
    if !public.is_empty() {
        return Err(Outcome::Fail(format!(
            "the {what}'s IAM policy grants {}",
            public.join(", ")
        )));
    }
    if unknown {
        return Err(Outcome::NotAssessed(format!(
            "some IAM members of the {what} are unknown until apply"
        )));
    }
    Ok(Outcome::Pass(format!(
        "the {what}'s IAM policy grants nothing to allUsers or allAuthenticatedUsers"
    )))
}
