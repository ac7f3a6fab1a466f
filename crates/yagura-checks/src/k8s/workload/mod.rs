//! Kubernetes workload checks.

pub(crate) static CHECKS: &[&crate::Check] = &[];
