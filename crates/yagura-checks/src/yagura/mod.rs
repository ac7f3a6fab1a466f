//! Checks on yagura's own inputs (inline suppressions), one folder per area.

pub mod iac;

pub(crate) static CHECKS: &[&[&crate::Check]] = &[iac::CHECKS];
