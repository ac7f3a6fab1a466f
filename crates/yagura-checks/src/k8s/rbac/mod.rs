//! Kubernetes rbac checks.

pub(crate) static CHECKS: &[&crate::Check] = &[];
