mod default_security_group_closed;
mod instance_imdsv2;
mod instance_no_public_ip;
mod network_acl_admin_ports;
mod rules;
mod security_group_admin_ports_ipv4;
mod security_group_admin_ports_ipv6;
mod security_group_all_traffic;
mod security_group_high_risk_ports;
mod snapshot_encrypted;
mod snapshot_not_public;
mod subnet_no_auto_public_ip;
mod volume_encrypted;
mod vpc_flow_logs;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &security_group_admin_ports_ipv4::CHECK,
    &network_acl_admin_ports::CHECK,
    &security_group_admin_ports_ipv6::CHECK,
    &default_security_group_closed::CHECK,
    &instance_imdsv2::CHECK,
    &vpc_flow_logs::CHECK,
    &volume_encrypted::CHECK,
    &snapshot_not_public::CHECK,
    &instance_no_public_ip::CHECK,
    &subnet_no_auto_public_ip::CHECK,
    &security_group_high_risk_ports::CHECK,
    &security_group_all_traffic::CHECK,
    &snapshot_encrypted::CHECK,
];
