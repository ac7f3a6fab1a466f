mod queue_encrypted;
mod queue_not_public;

pub(crate) static CHECKS: &[&crate::Check] = &[&queue_encrypted::CHECK, &queue_not_public::CHECK];
