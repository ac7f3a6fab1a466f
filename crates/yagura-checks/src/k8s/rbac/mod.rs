//! Kubernetes RBAC and service-account checks.

mod anonymous_binding;
mod cluster_admin_binding;
/// Manifest and RBAC-rule helpers, also used by the network checks.
pub(crate) mod common;
mod csr_approval;
mod default_sa_binding;
mod nodes_proxy;
mod pod_exec;
mod privilege_verbs;
mod pv_create;
mod sa_token_automount;
mod secrets_read;
mod token_create;
mod webhook_config;
mod wildcard_api_groups;
mod wildcard_resources;
mod wildcard_verbs;
mod workload_create;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &wildcard_verbs::CHECK,
    &wildcard_resources::CHECK,
    &wildcard_api_groups::CHECK,
    &secrets_read::CHECK,
    &pod_exec::CHECK,
    &privilege_verbs::CHECK,
    &workload_create::CHECK,
    &nodes_proxy::CHECK,
    &csr_approval::CHECK,
    &token_create::CHECK,
    &pv_create::CHECK,
    &webhook_config::CHECK,
    &cluster_admin_binding::CHECK,
    &anonymous_binding::CHECK,
    &default_sa_binding::CHECK,
    &sa_token_automount::CHECK,
];
