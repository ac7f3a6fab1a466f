//! Azure Storage account checks (`azure.storage.account`).

mod blob_public_access_disabled;
mod containers_private;
mod cross_tenant_replication_disabled;
mod customer_managed_key;
mod default_network_deny;
mod https_only;
mod infrastructure_encryption;
mod min_tls_12;
mod public_network_access_disabled;
mod soft_delete;
mod trusted_services_bypass;
mod versioning;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &https_only::CHECK,
    &min_tls_12::CHECK,
    &blob_public_access_disabled::CHECK,
    &containers_private::CHECK,
    &public_network_access_disabled::CHECK,
    &default_network_deny::CHECK,
    &trusted_services_bypass::CHECK,
    &infrastructure_encryption::CHECK,
    &customer_managed_key::CHECK,
    &soft_delete::CHECK,
    &cross_tenant_replication_disabled::CHECK,
    &versioning::CHECK,
];
