//! Azure checks (fed by Terraform today, by the live collector later), one folder per service.

pub mod keyvault;
pub mod mysql;
/// The network-rule shape and Internet-exposure evaluation shared with GCP firewalls.
pub(crate) mod netrules;
pub mod network;
pub mod postgresql;
pub mod sql;
pub mod storage;

pub(crate) static CHECKS: &[&[&crate::Check]] = &[
    keyvault::CHECKS,
    mysql::CHECKS,
    network::CHECKS,
    postgresql::CHECKS,
    sql::CHECKS,
    storage::CHECKS,
];
