//! Maps Terraform azurerm and google resources onto yagura's normalized Azure and
//! GCP resources (docs/resource-model-azure-gcp.md), so the same checks serve code
//! today and the live collectors later.
//!
//! Arguments that are not written take the provider's default; values unknown
//! until apply are copied as unknown markers, never guessed. Child resources
//! (`azurerm_network_security_rule`, `google_storage_bucket_iam_member`, ...) are
//! joined into the resource they configure (see [`join`]).

mod azure;
mod gcp;
mod join;
mod raw;
mod rules;

use yagura_model::iac::RawResource;
use yagura_model::Resource;

/// Normalizes the azurerm and google resources among `raw`; other providers'
/// resources are ignored. Ids are `terraform:<address>`.
pub fn adapt(raw: &[RawResource]) -> Vec<Resource> {
    let (data, managed): (Vec<&RawResource>, Vec<&RawResource>) =
        raw.iter().partition(|r| join::is_data_source(&r.address));
    let azure: Vec<&RawResource> = managed
        .iter()
        .copied()
        .filter(|r| r.type_name.starts_with("azurerm_"))
        .collect();
    let google: Vec<&RawResource> = managed
        .iter()
        .copied()
        .filter(|r| r.type_name.starts_with("google_"))
        .collect();
    let mut out = Vec::new();
    azure::adapt(&azure, &mut out);
    gcp::adapt(&google, &data, &mut out);
    out
}

/// The Terraform resource types [`adapt`] reads (parents and joined children).
pub const SUPPORTED_TYPES: &[&str] = &[
    "azurerm_storage_account",
    "azurerm_storage_account_network_rules",
    "azurerm_storage_account_customer_managed_key",
    "azurerm_storage_container",
    "azurerm_mssql_server",
    "azurerm_sql_server",
    "azurerm_mssql_firewall_rule",
    "azurerm_sql_firewall_rule",
    "azurerm_mssql_server_extended_auditing_policy",
    "azurerm_sql_active_directory_administrator",
    "azurerm_network_security_group",
    "azurerm_network_security_rule",
    "azurerm_network_watcher_flow_log",
    "azurerm_key_vault",
    "azurerm_key_vault_key",
    "azurerm_key_vault_secret",
    "azurerm_monitor_diagnostic_setting",
    "azurerm_postgresql_server",
    "azurerm_postgresql_flexible_server",
    "azurerm_postgresql_flexible_server_configuration",
    "azurerm_mysql_server",
    "azurerm_mysql_flexible_server",
    "azurerm_mysql_flexible_server_configuration",
    "google_storage_bucket",
    "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding",
    "google_storage_bucket_iam_policy",
    "google_storage_bucket_acl",
    "google_storage_bucket_access_control",
    "google_storage_default_object_acl",
    "google_storage_default_object_access_control",
    "google_sql_database_instance",
    "google_compute_firewall",
    "google_compute_instance",
    "google_kms_crypto_key",
    "google_kms_crypto_key_iam_member",
    "google_kms_crypto_key_iam_binding",
    "google_kms_crypto_key_iam_policy",
    "google_container_cluster",
    "google_iam_policy",
];

#[cfg(test)]
mod tests;
