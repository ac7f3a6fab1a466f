//! Checks on suppressions written in infrastructure code.

mod suppression_known_check;
mod suppression_reason;

pub(crate) static CHECKS: &[&crate::Check] =
    &[&suppression_reason::CHECK, &suppression_known_check::CHECK];
