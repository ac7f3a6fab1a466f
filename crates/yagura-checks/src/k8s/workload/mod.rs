//! Kubernetes workload checks: pod security (Pod Security Standards baseline and
//! restricted, CIS section 5.2, NSA/CISA pod hardening), images, resources,
//! secrets and placement. One file per check; `pod` reads the pod template.

mod apparmor;
mod automount_token;
mod capabilities_baseline;
mod capabilities_restricted;
mod cpu_limits;
mod default_namespace;
mod default_service_account;
mod env_secret_literals;
mod host_ipc;
mod host_network;
mod host_path;
mod host_pid;
mod host_ports;
mod host_process;
mod image_digest;
mod image_pull_policy;
mod image_tag;
mod liveness_probe;
mod memory_limits;
mod net_raw;
pub(crate) mod pod;
mod privilege_escalation;
mod privileged;
mod proc_mount;
mod read_only_root_fs;
mod readiness_probe;
mod resource_requests;
mod run_as_group_root;
mod run_as_non_root;
mod run_as_user_root;
mod runtime_socket;
mod seccomp_not_unconfined;
mod seccomp_restricted;
mod secrets_as_env;
mod security_context;
mod selinux;
mod sysctls;
mod system_namespace;
#[cfg(test)]
mod tests;
mod volume_types;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &privileged::CHECK,
    &host_pid::CHECK,
    &host_ipc::CHECK,
    &host_network::CHECK,
    &host_path::CHECK,
    &host_ports::CHECK,
    &capabilities_baseline::CHECK,
    &net_raw::CHECK,
    &capabilities_restricted::CHECK,
    &privilege_escalation::CHECK,
    &run_as_non_root::CHECK,
    &run_as_user_root::CHECK,
    &seccomp_not_unconfined::CHECK,
    &seccomp_restricted::CHECK,
    &apparmor::CHECK,
    &selinux::CHECK,
    &proc_mount::CHECK,
    &sysctls::CHECK,
    &volume_types::CHECK,
    &host_process::CHECK,
    &read_only_root_fs::CHECK,
    &cpu_limits::CHECK,
    &memory_limits::CHECK,
    &resource_requests::CHECK,
    &image_tag::CHECK,
    &image_digest::CHECK,
    &image_pull_policy::CHECK,
    &automount_token::CHECK,
    &default_service_account::CHECK,
    &env_secret_literals::CHECK,
    &secrets_as_env::CHECK,
    &default_namespace::CHECK,
    &system_namespace::CHECK,
    &liveness_probe::CHECK,
    &readiness_probe::CHECK,
    &security_context::CHECK,
    &run_as_group_root::CHECK,
    &runtime_socket::CHECK,
];
