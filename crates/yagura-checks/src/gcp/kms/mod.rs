//! Cloud KMS checks (`gcp.kms.crypto_key`).

mod not_public;
mod rotation;

pub(crate) static CHECKS: &[&crate::Check] = &[&rotation::CHECK, &not_public::CHECK];
