//! Kubernetes network checks: NetworkPolicy coverage and Service/Ingress exposure.

mod common;
mod ingress_tls;
mod namespace_default_deny;
mod namespace_default_deny_egress;
mod namespace_policy;
mod policy_allow_all;
mod service_external_ips;
mod service_lb_restricted;
mod service_node_port;
mod workload_isolated;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &namespace_policy::CHECK,
    &workload_isolated::CHECK,
    &namespace_default_deny::CHECK,
    &service_node_port::CHECK,
    &service_lb_restricted::CHECK,
    &service_external_ips::CHECK,
    &ingress_tls::CHECK,
    &policy_allow_all::CHECK,
    &namespace_default_deny_egress::CHECK,
];
