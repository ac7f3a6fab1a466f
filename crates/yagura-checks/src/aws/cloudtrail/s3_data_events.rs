//! CIS 3.8 and 3.9 differ only in the S3 data-event type they require.

use super::trails::{name, search, Search};
use crate::util::require_observed;
use crate::Ctx;
use yagura_model::{Missing, Outcome, Resource};

/// `kind` is `read` or `write`, as in the trail's `s3_data_events`.
pub(super) fn eval(r: &Resource, ctx: &Ctx, kind: &'static str) -> Outcome {
    if let Err(o) = require_observed(r, "cloudtrail") {
        return o;
    }
    let qualifies = |t: &Resource| -> Result<Vec<&'static str>, Missing> {
        let mut gaps = Vec::new();
        if !t.attr("is_multi_region").bool()? {
            gaps.push("is single-region");
        }
        if !t.attr("is_logging").bool()? {
            gaps.push("is not logging");
        }
        let logged = match kind {
            "read" => t.attr("s3_data_events.read").bool()?,
            _ => t.attr("s3_data_events.write").bool()?,
        };
        if !logged {
            gaps.push(if kind == "read" {
                "does not log S3 object-level read events for all buckets"
            } else {
                "does not log S3 object-level write events for all buckets"
            });
        }
        Ok(gaps)
    };
    match search(ctx, r, qualifies) {
        Search::Found(t) => Outcome::Pass(format!(
            "multi-region trail {} logs S3 object-level {kind} events for all buckets",
            name(t)
        )),
        Search::NoneQualify(reasons) if reasons.is_empty() => {
            Outcome::Fail("the account has no CloudTrail trail".into())
        }
        Search::NoneQualify(reasons) => Outcome::Fail(format!(
            "no multi-region trail logs S3 object-level {kind} events: {}",
            reasons.join("; ")
        )),
        Search::Unknown(why) => {
            Outcome::NotAssessed(format!("no qualifying trail found, and {why}"))
        }
    }
}
