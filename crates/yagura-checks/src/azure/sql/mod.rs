//! Azure SQL logical server checks (`azure.sql.server`).

mod aad_admin;
mod audit_retention;
mod auditing;
mod firewall;
mod min_tls_12;
mod no_allow_azure_services;
mod no_open_firewall;
mod public_network_access_disabled;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &no_open_firewall::CHECK,
    &no_allow_azure_services::CHECK,
    &public_network_access_disabled::CHECK,
    &min_tls_12::CHECK,
    &auditing::CHECK,
    &audit_retention::CHECK,
    &aad_admin::CHECK,
];
