//! Azure Key Vault checks: vaults (`azure.keyvault.vault`), keys
//! (`azure.keyvault.key`) and secrets (`azure.keyvault.secret`).

mod audit_logging;
mod key_expiration;
mod key_rotation;
mod network_restricted;
mod rbac_authorization;
mod recoverable;
mod secret_expiration;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &recoverable::CHECK,
    &rbac_authorization::CHECK,
    &network_restricted::CHECK,
    &key_expiration::CHECK,
    &key_rotation::CHECK,
    &secret_expiration::CHECK,
    &audit_logging::CHECK,
];
