//! Shared reasoning about CloudTrail trails, used by the CloudTrail checks and by
//! the CloudWatch monitoring checks (which need a trail that sees every region).

use crate::util::name_of;
use yagura_model::{Inventory, Missing, Outcome, Resource};

pub(crate) fn name(t: &Resource) -> &str {
    name_of(t, "trail_name")
}

/// Why a trail does not cover every region's management activity; empty when it
/// is a multi-region trail that is logging and records read and write management
/// events.
pub(crate) fn coverage_gaps(t: &Resource) -> Result<Vec<&'static str>, Missing> {
    let mut gaps = Vec::new();
    if !t.attr("is_multi_region").bool()? {
        gaps.push("is single-region");
    }
    if !t.attr("is_logging").bool()? {
        gaps.push("is not logging");
    }
    let read = t.attr("management_events.read").bool()?;
    let write = t.attr("management_events.write").bool()?;
    match (read, write) {
        (true, true) => {}
        (false, true) => gaps.push("does not record read management events"),
        (true, false) => gaps.push("does not record write management events"),
        (false, false) => gaps.push("records no management events"),
    }
    Ok(gaps)
}

/// The S3 bucket a trail delivers to: its name and the bucket resource, found in
/// the inventory by name or ARN (in any account: log archives often live
/// elsewhere). NOT_ASSESSED when the trail names no bucket or the bucket was not
/// scanned.
pub(crate) fn trail_bucket<'a>(
    r: &'a Resource,
    inv: &'a Inventory,
) -> Result<(&'a str, &'a Resource), Outcome> {
    let bucket = match r.attr("s3_bucket").str() {
        Ok(Some(b)) => b,
        Ok(None) => {
            return Err(Outcome::NotAssessed(format!(
                "trail {} names no S3 bucket",
                name(r)
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let arn = format!("arn:aws:s3:::{bucket}");
    match inv
        .of_kind("aws.s3.bucket")
        .find(|b| b.name == bucket || b.id == arn)
    {
        Some(b) => Ok((bucket, b)),
        None => Err(Outcome::NotAssessed(format!(
            "trail {}'s bucket {bucket} is not in the scanned inventory (another account?)",
            name(r)
        ))),
    }
}

/// An account-level search: the first trail in `r`'s account for which
/// `qualifies` says yes, else the reasons every trail fell short. A trail whose
/// attributes were not observed makes the answer unknown rather than negative.
pub(crate) enum Search<'a> {
    Found(&'a Resource),
    NoneQualify(Vec<String>),
    Unknown(String),
}

pub(crate) fn search<'a>(
    ctx: &crate::Ctx<'a>,
    r: &'a Resource,
    qualifies: impl Fn(&Resource) -> Result<Vec<&'static str>, Missing>,
) -> Search<'a> {
    let mut reasons = Vec::new();
    let mut unknown = None;
    for t in ctx.inventory.related("aws.cloudtrail.trail", r) {
        match qualifies(t) {
            Ok(gaps) if gaps.is_empty() => return Search::Found(t),
            Ok(gaps) => reasons.push(format!("trail {} {}", name(t), gaps.join(", "))),
            Err(m) => unknown = Some(format!("trail {}: {m}", name(t))),
        }
    }
    match unknown {
        Some(u) => Search::Unknown(u),
        None => Search::NoneQualify(reasons),
    }
}
