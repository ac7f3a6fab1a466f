//! The account password policy (`password_policy` of `aws.account`), shared by
//! the password checks.

use serde_json::Value;
use yagura_model::{Outcome, Resource};

/// `Ok` when the account has a password policy to judge. Otherwise the verdict:
/// FAIL with `no_policy` when the account has none (AWS defaults apply),
/// NOT_ASSESSED when the policy was not observed.
pub(super) fn require_policy(r: &Resource, no_policy: impl Into<String>) -> Result<(), Outcome> {
    match r.attr("password_policy").value() {
        Ok(Value::Null) => Err(Outcome::Fail(no_policy.into())),
        Ok(_) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
