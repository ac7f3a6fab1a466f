//! Compute Engine checks: VPC firewall rules (`gcp.compute.firewall`) and VM
//! instances (`gcp.compute.instance`).

mod firewall_all_ports;
mod firewall_logging;
mod firewall_rdp;
mod firewall_ssh;
mod instance_block_project_ssh_keys;
mod instance_default_sa;
mod instance_default_sa_full_scope;
mod instance_ip_forwarding;
mod instance_no_public_ip;
mod instance_os_login;
mod instance_serial_port;
mod instance_shielded_vm;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &firewall_ssh::CHECK,
    &firewall_rdp::CHECK,
    &firewall_all_ports::CHECK,
    &firewall_logging::CHECK,
    &instance_default_sa::CHECK,
    &instance_default_sa_full_scope::CHECK,
    &instance_block_project_ssh_keys::CHECK,
    &instance_os_login::CHECK,
    &instance_serial_port::CHECK,
    &instance_ip_forwarding::CHECK,
    &instance_shielded_vm::CHECK,
    &instance_no_public_ip::CHECK,
];

use serde_json::Value;
use yagura_model::Resource;

/// Whether the instance runs as the project's default compute service account
/// (`None` when the service account is not known).
pub(crate) fn uses_default_sa(r: &Resource) -> Option<bool> {
    let sa = r.attr("service_account").value().ok()?;
    if sa.is_null() {
        return Some(false);
    }
    if let Some(Value::Bool(true)) = sa.get("default") {
        return Some(true);
    }
    match sa.get("email") {
        Some(Value::String(e)) => Some(e.ends_with("-compute@developer.gserviceaccount.com")),
        _ => match sa.get("default") {
            Some(Value::Bool(false)) => Some(false),
            _ => None,
        },
    }
}
