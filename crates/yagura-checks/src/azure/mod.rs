//! Azure checks (fed by Terraform today, by the live collector later), one folder per service.

pub(crate) static CHECKS: &[&[&crate::Check]] = &[];
