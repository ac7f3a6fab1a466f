//! Kubernetes manifest checks: workloads (pod security), RBAC, network exposure.
//! One folder per area, one file per check.

pub mod network;
pub mod rbac;
pub mod workload;

pub(crate) static CHECKS: &[&[&crate::Check]] = &[network::CHECKS, rbac::CHECKS, workload::CHECKS];
