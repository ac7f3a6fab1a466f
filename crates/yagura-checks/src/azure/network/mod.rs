//! Azure network checks: network security groups (`azure.network.nsg`) and NSG flow
//! logs (`azure.network.flow_log`).

mod flow_log_retention;
mod nsg_all_ports;
mod nsg_rdp;
mod nsg_ssh;
mod nsg_udp;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &nsg_rdp::CHECK,
    &nsg_ssh::CHECK,
    &nsg_udp::CHECK,
    &nsg_all_ports::CHECK,
    &flow_log_retention::CHECK,
];
