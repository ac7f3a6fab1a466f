//! Age of a secret's timestamps, shared by the rotation and usage checks.

use crate::util::days_since;
use chrono::{DateTime, Utc};
use yagura_model::{Outcome, Resource};

/// Days since the time in attribute `key`, falling back to `created` when it is
/// observed as null ("never"). Returns the age, the attribute it came from, and the
/// timestamp text.
pub(super) fn age_or_created<'a>(
    r: &'a Resource,
    key: &'a str,
    now: DateTime<Utc>,
) -> Result<(i64, &'a str, &'a str), Outcome> {
    let (from, when) = match r.attr(key).str() {
        Ok(Some(t)) => (key, t),
        Ok(None) => match r.attr("created").str() {
            Ok(Some(t)) => ("created", t),
            Ok(None) => {
                return Err(Outcome::NotAssessed(
                    "the secret's creation time is not known".into(),
                ))
            }
            Err(e) => return Err(e.into()),
        },
        Err(e) => return Err(e.into()),
    };
    match days_since(when, now) {
        Some(d) => Ok((d, from, when)),
        None => Err(Outcome::NotAssessed(format!(
            "`{from}` is not an RFC 3339 time: {when}"
        ))),
    }
}
