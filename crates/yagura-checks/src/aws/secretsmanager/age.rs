//! Age of a secret's timestamps, shared by the rotation and usage checks.

use crate::util::days_since;
use crate::Ctx;
use chrono::{DateTime, Utc};
use yagura_model::{Outcome, Resource};

/// Days since the time in attribute `key`, falling back to `created` when it is
/// observed as null ("never"). Returns the age, the attribute it came from, and the
/// timestamp text.
fn age_or_created<'a>(
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

/// The verdict of the secret-age checks: the time in `key` (or, when that is
/// null, the creation time) must be at most `max_days` old. `since` and `never`
/// complete "the secret …" for each case, e.g. "was last read" and "has never been
/// read since it was created".
pub(super) fn judge_age(
    r: &Resource,
    ctx: &Ctx,
    key: &str,
    since: &str,
    never: &str,
    max_days: i64,
) -> Outcome {
    let (days, from, when) = match age_or_created(r, key, ctx.now) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let lead = if from == "created" { never } else { since };
    let what = format!("{lead} {days} day(s) ago ({when})");
    if days <= max_days {
        Outcome::Pass(format!("the secret {what}"))
    } else {
        Outcome::Fail(format!("the secret {what}, more than {max_days} days"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yagura_model::Inventory;

    fn judge(attrs: serde_json::Value) -> Outcome {
        let mut r = Resource::new("aws.secretsmanager.secret", "s", "s");
        r.attributes = attrs;
        let inv = Inventory::default();
        let ctx = Ctx {
            inventory: &inv,
            now: crate::tests::fixture_now(),
        };
        judge_age(
            &r,
            &ctx,
            "last_read",
            "was last read",
            "was never read since it was created",
            90,
        )
    }

    #[test]
    fn age_falls_back_to_creation() {
        assert_eq!(
            judge(json!({"last_read": "2026-05-01T00:00:00Z", "created": "2020-01-01T00:00:00Z"})),
            Outcome::Pass("the secret was last read 31 day(s) ago (2026-05-01T00:00:00Z)".into())
        );
        assert_eq!(
            judge(json!({"last_read": null, "created": "2026-01-01T00:00:00Z"})),
            Outcome::Fail("the secret was never read since it was created 151 day(s) ago (2026-01-01T00:00:00Z), more than 90 days".into())
        );
        assert_eq!(
            judge(json!({"last_read": null, "created": null})),
            Outcome::NotAssessed("the secret's creation time is not known".into())
        );
    }
}
