mod log_group_kms;
mod log_group_retention;

pub(crate) static CHECKS: &[&crate::Check] = &[&log_group_retention::CHECK, &log_group_kms::CHECK];
