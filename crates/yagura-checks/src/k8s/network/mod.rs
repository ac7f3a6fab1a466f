//! Kubernetes network checks.

pub(crate) static CHECKS: &[&crate::Check] = &[];
