//! Cloud Storage bucket checks (`gcp.storage.bucket`).

mod not_public;
mod public_access_prevention;
mod uniform_access;
mod versioning;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &not_public::CHECK,
    &uniform_access::CHECK,
    &public_access_prevention::CHECK,
    &versioning::CHECK,
];
