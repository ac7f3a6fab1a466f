//! Regional services, one module each. Every `collect` returns a [`crate::ctx::Part`]
//! and marks its service complete only when its listing calls all succeeded.

use crate::ctx::{Part, Rc};
use crate::error::ApiError;
use std::future::Future;

pub(crate) mod cloudtrail;
pub(crate) mod dynamodb;
pub(crate) mod ecr;
pub(crate) mod efs;
pub(crate) mod eks;
pub(crate) mod elbv2;
pub(crate) mod kms;
pub(crate) mod lambda;
pub(crate) mod logs;
pub(crate) mod rds;
pub(crate) mod secretsmanager;
pub(crate) mod sns;
pub(crate) mod sqs;

/// The common shape of a service: one listing, then one collector per listed item,
/// run concurrently (their calls queue on the service's concurrency limit). A
/// failed listing makes the service a not-assessed target; failures of per-item
/// calls are the item collectors' to record.
pub(crate) async fn per_item<I, F, Fut>(
    rc: &Rc<'_>,
    service: &'static str,
    listing: Result<I, ApiError>,
    item: F,
) -> Part
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = Part>,
{
    let items = match listing {
        Ok(items) => items,
        Err(e) => return Part::unlisted(rc, service, &e),
    };
    let mut part = Part::join(items.into_iter().map(item)).await;
    part.mark(service, true);
    part
}
