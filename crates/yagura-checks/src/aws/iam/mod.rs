mod access_key_rotation;
mod cloudshell_full_access;
mod password_complexity;
mod password_expiry;
mod password_min_length;
/// Reading the account password policy, shared by the password checks.
mod password_policy;
mod password_reuse;
mod policy_full_admin;
mod policy_grants_admin;
mod policy_service_wildcard;
mod role_trust_public;
mod root_access_key;
mod root_hardware_mfa;
mod root_mfa;
mod root_recent_use;
mod server_certificate_expired;
mod support_role;
mod user_console_mfa;
mod user_direct_policies;
mod user_inactive;
mod user_keys;
mod user_single_active_key;
mod user_unused_credentials;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &root_access_key::CHECK,
    &root_mfa::CHECK,
    &root_hardware_mfa::CHECK,
    &root_recent_use::CHECK,
    &password_min_length::CHECK,
    &password_reuse::CHECK,
    &user_console_mfa::CHECK,
    &user_unused_credentials::CHECK,
    &user_single_active_key::CHECK,
    &access_key_rotation::CHECK,
    &user_direct_policies::CHECK,
    &policy_full_admin::CHECK,
    &support_role::CHECK,
    &server_certificate_expired::CHECK,
    &cloudshell_full_access::CHECK,
    &password_complexity::CHECK,
    &password_expiry::CHECK,
    &policy_service_wildcard::CHECK,
    &user_inactive::CHECK,
    &role_trust_public::CHECK,
    &policy_grants_admin::CHECK,
];
