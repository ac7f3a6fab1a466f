//! Reading the `access_keys` list of an `aws.iam.user` (shared by the key checks).

use crate::util::name_of;
use serde_json::Value;
use yagura_model::{Outcome, Resource};

pub(super) struct Key<'a> {
    pub id: &'a str,
    pub active: bool,
    pub created: Option<&'a str>,
    pub last_used: Option<&'a str>,
}

/// The user's name for messages.
pub(super) fn user_name(r: &Resource) -> &str {
    name_of(r, "user_name")
}

/// The user's access keys; a key whose status is not observed makes the whole
/// list unusable, because an unknown key could be the active one.
pub(super) fn keys(r: &Resource) -> Result<Vec<Key<'_>>, Outcome> {
    let list = r.attr("access_keys").array().map_err(Outcome::from)?;
    list.iter()
        .enumerate()
        .map(|(i, k)| {
            let status = k.get("status").and_then(Value::as_str).ok_or_else(|| {
                Outcome::NotAssessed(format!("the status of access key #{i} was not observed"))
            })?;
            Ok(Key {
                id: k
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("(unknown id)"),
                active: status.eq_ignore_ascii_case("Active"),
                created: k.get("created").and_then(Value::as_str),
                last_used: k.get("last_used").and_then(Value::as_str),
            })
        })
        .collect()
}

/// What the idle-credential checks start from: whether the user has a console
/// password, and its access keys.
pub(super) fn credentials(r: &Resource) -> Result<(bool, Vec<Key<'_>>), Outcome> {
    let password = r.attr("password_enabled").bool()?;
    Ok((password, keys(r)?))
}
