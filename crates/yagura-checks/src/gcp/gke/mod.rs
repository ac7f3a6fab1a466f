//! GKE cluster checks (`gcp.container.cluster`).

mod legacy_abac;
mod master_authorized_networks;
mod network_policy;
mod private_nodes;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &legacy_abac::CHECK,
    &private_nodes::CHECK,
    &master_authorized_networks::CHECK,
    &network_policy::CHECK,
];
