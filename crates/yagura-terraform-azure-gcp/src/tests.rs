//! Adapter tests over hand-built raw resources, evaluated with the real checks.

use super::adapt;
use serde_json::{json, Value};
use yagura_checks::{find, Ctx};
use yagura_model::iac::{is_unknown, unknown, unknown_ref, RawResource};
use yagura_model::{Inventory, Location, Outcome, Resource, SourceKind};

fn raw(ty: &str, name: &str, attrs: Value) -> RawResource {
    raw_at(ty, &format!("{ty}.{name}"), attrs)
}

fn raw_at(ty: &str, address: &str, attrs: Value) -> RawResource {
    RawResource {
        source: SourceKind::Terraform,
        type_name: ty.into(),
        name: address.rsplit('.').next().unwrap_or(address).into(),
        address: address.into(),
        attributes: attrs.as_object().cloned().unwrap_or_default(),
        location: Location::lines("main.tf", 3, 9),
        region: None,
        account: None,
    }
}

/// Runs check `code` on the resource with id `terraform:<address>`.
fn run(resources: &[Resource], code: &str, address: &str) -> Outcome {
    let check = find(code).unwrap();
    let inv = Inventory::new(resources.to_vec());
    let ctx = Ctx {
        inventory: &inv,
        now: chrono::Utc::now(),
    };
    let r = inv.get(&format!("terraform:{address}")).unwrap();
    assert_eq!(r.kind, check.kind);
    check.evaluate(r, &ctx)
}

fn get<'a>(resources: &'a [Resource], address: &str) -> &'a Resource {
    let id = format!("terraform:{address}");
    resources.iter().find(|r| r.id == id).unwrap()
}

#[test]
fn storage_account_defaults_and_common_fields() {
    let out = adapt(&[raw(
        "azurerm_storage_account",
        "sa",
        json!({"name": "acme", "location": "westeurope", "resource_group_name": "rg",
            "account_tier": "Standard", "tags": {"team": "data", "n": 3, "u": unknown("var.t")}}),
    )]);
    assert_eq!(out.len(), 1);
    let r = &out[0];
    assert_eq!(r.kind, "azure.storage.account");
    assert_eq!(r.id, "terraform:azurerm_storage_account.sa");
    assert_eq!(r.name, "acme");
    assert_eq!(r.region.as_deref(), Some("westeurope"));
    assert_eq!(r.source, SourceKind::Terraform);
    assert_eq!(r.location, Some(Location::lines("main.tf", 3, 9)));
    assert_eq!(r.tags.get("team").map(String::as_str), Some("data"));
    assert_eq!(r.tags.get("n").map(String::as_str), Some("3"));
    assert!(!r.tags.contains_key("u"));
    let a = &r.attributes;
    assert_eq!(a["https_only"], true);
    assert_eq!(a["min_tls_version"], "TLS1_2");
    assert_eq!(a["allow_blob_public_access"], true);
    assert_eq!(a["public_network_access"], true);
    assert_eq!(a["network_rules"]["default_action"], "Allow");
    assert_eq!(a["blob_soft_delete_days"], Value::Null);
    assert_eq!(a["blob_versioning"], false);
    assert!(is_unknown(&a["cross_tenant_replication"]));
    assert!(matches!(
        run(&out, "AZURE-STORAGE-003", "azurerm_storage_account.sa"),
        Outcome::Fail(_)
    ));
    assert!(
        matches!(run(&out, "AZURE-STORAGE-011", "azurerm_storage_account.sa"), Outcome::NotAssessed(m) if m.contains("unknown until apply"))
    );
    assert!(matches!(
        run(&out, "AZURE-STORAGE-001", "azurerm_storage_account.sa"),
        Outcome::Pass(_)
    ));
}

#[test]
fn storage_children_join_by_reference_and_name() {
    let sa = raw(
        "azurerm_storage_account",
        "sa",
        json!({"name": "acme", "resource_group_name": "rg", "allow_nested_items_to_be_public": true,
            "blob_properties": [{"versioning_enabled": true, "delete_retention_policy": [{}],
                "container_delete_retention_policy": [{"days": 30}]}]}),
    );
    let rules = raw(
        "azurerm_storage_account_network_rules",
        "nr",
        json!({"storage_account_id": unknown_ref("azurerm_storage_account.sa.id", "azurerm_storage_account.sa"),
            "default_action": "Deny", "ip_rules": ["203.0.113.4"]}),
    );
    let c1 = raw(
        "azurerm_storage_container",
        "public",
        json!({"name": "web", "storage_account_name": "acme", "container_access_type": "blob"}),
    );
    let c2 = raw(
        "azurerm_storage_container",
        "private",
        json!({"name": "logs", "storage_account_name": "acme"}),
    );
    let elsewhere = raw(
        "azurerm_storage_container",
        "other",
        json!({"name": "x", "storage_account_name": "not-in-this-config", "container_access_type": "container"}),
    );
    let out = adapt(&[sa, rules, c1, c2, elsewhere]);
    assert_eq!(out.len(), 1, "children are joined, not emitted");
    let a = &out[0].attributes;
    assert_eq!(a["network_rules"]["default_action"], "Deny");
    assert_eq!(a["network_rules"]["bypass"], json!(["AzureServices"]));
    assert_eq!(
        a["containers"],
        json!([{"name": "web", "public_access": "blob"}, {"name": "logs", "public_access": "none"}])
    );
    assert_eq!(a["blob_soft_delete_days"], 7);
    assert_eq!(a["container_soft_delete_days"], 30);
    let id = "azurerm_storage_account.sa";
    assert!(matches!(
        run(&out, "AZURE-STORAGE-006", id),
        Outcome::Pass(_)
    ));
    assert!(matches!(run(&out, "AZURE-STORAGE-004", id), Outcome::Fail(m) if m.contains("web")));
    assert!(matches!(
        run(&out, "AZURE-STORAGE-010", id),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "AZURE-STORAGE-012", id),
        Outcome::Pass(_)
    ));
}

#[test]
fn a_child_whose_parent_is_unknown_makes_the_joined_attribute_unknown() {
    let sa = raw("azurerm_storage_account", "sa", json!({"name": "acme"}));
    let rules = raw(
        "azurerm_storage_account_network_rules",
        "nr",
        json!({"storage_account_name": unknown("var.account"), "default_action": "Deny"}),
    );
    let c = raw(
        "azurerm_storage_container",
        "c",
        json!({"name": "c", "storage_account_name": unknown("var.account"), "container_access_type": "container"}),
    );
    let out = adapt(&[sa, rules, c]);
    let id = "azurerm_storage_account.sa";
    assert!(is_unknown(&out[0].attributes["network_rules"]));
    assert!(
        matches!(run(&out, "AZURE-STORAGE-006", id), Outcome::NotAssessed(m) if m.contains("azurerm_storage_account_network_rules.nr"))
    );
    assert!(matches!(
        run(&out, "AZURE-STORAGE-004", id),
        Outcome::NotAssessed(_)
    ));
}

#[test]
fn count_instances_pair_by_index() {
    let mk = |i: usize| {
        raw_at(
            "azurerm_storage_account",
            &format!("azurerm_storage_account.sa[{i}]"),
            json!({"name": format!("acct{i}")}),
        )
    };
    let rule = |i: usize, action: &str| {
        raw_at(
            "azurerm_storage_account_network_rules",
            &format!("azurerm_storage_account_network_rules.nr[{i}]"),
            json!({"storage_account_id": unknown_ref("azurerm_storage_account.sa[count.index].id", "azurerm_storage_account.sa"),
                "default_action": action}),
        )
    };
    let out = adapt(&[mk(0), mk(1), rule(0, "Deny"), rule(1, "Allow")]);
    assert_eq!(
        get(&out, "azurerm_storage_account.sa[0]").attributes["network_rules"]["default_action"],
        "Deny"
    );
    assert_eq!(
        get(&out, "azurerm_storage_account.sa[1]").attributes["network_rules"]["default_action"],
        "Allow"
    );
}

#[test]
fn nsg_inline_and_separate_rules() {
    let nsg = raw(
        "azurerm_network_security_group",
        "web",
        json!({"name": "web-nsg", "resource_group_name": "rg", "security_rule": [
            {"name": "https", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "source_port_range": "*", "destination_port_range": "443", "source_address_prefix": "*", "destination_address_prefix": "*"}
        ]}),
    );
    let ssh = raw(
        "azurerm_network_security_rule",
        "ssh",
        json!({"name": "ssh", "priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "source_port_range": "*", "destination_port_range": "22", "source_address_prefix": "Internet",
            "destination_address_prefix": "*", "resource_group_name": "rg", "network_security_group_name": "web-nsg"}),
    );
    let other_rg = raw(
        "azurerm_network_security_rule",
        "rdp",
        json!({"name": "rdp", "priority": 210, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "destination_port_range": "3389", "source_address_prefix": "Internet",
            "resource_group_name": "other-rg", "network_security_group_name": "web-nsg"}),
    );
    let out = adapt(&[nsg, ssh, other_rg]);
    let id = "azurerm_network_security_group.web";
    assert_eq!(out[0].attributes["rules"].as_array().map(Vec::len), Some(2));
    assert!(matches!(run(&out, "AZURE-NETWORK-002", id), Outcome::Fail(m) if m.contains("ssh")));
    assert!(matches!(
        run(&out, "AZURE-NETWORK-001", id),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "AZURE-NETWORK-004", id),
        Outcome::Pass(_)
    ));
}

#[test]
fn nsg_rule_from_an_unknown_source_is_not_assessed() {
    let nsg = raw(
        "azurerm_network_security_group",
        "web",
        json!({"name": "web-nsg", "security_rule": [
            {"name": "ssh", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "destination_port_range": "22", "source_address_prefix": unknown("var.admin_cidr")}
        ]}),
    );
    let out = adapt(&[nsg]);
    assert!(matches!(
        run(
            &out,
            "AZURE-NETWORK-002",
            "azurerm_network_security_group.web"
        ),
        Outcome::NotAssessed(_)
    ));
}

#[test]
fn sql_server_with_firewall_auditing_and_admin() {
    let srv = raw(
        "azurerm_mssql_server",
        "db",
        json!({"name": "acme-sql", "version": "12.0", "resource_group_name": "rg", "minimum_tls_version": "1.1",
            "azuread_administrator": [{"login_username": "dba", "object_id": "00000000-0000-0000-0000-000000000000"}]}),
    );
    let sid = || unknown_ref("azurerm_mssql_server.db.id", "azurerm_mssql_server.db");
    let fw = raw(
        "azurerm_mssql_firewall_rule",
        "azure",
        json!({"name": "azure", "server_id": sid(), "start_ip_address": "0.0.0.0", "end_ip_address": "0.0.0.0"}),
    );
    let audit = raw(
        "azurerm_mssql_server_extended_auditing_policy",
        "a",
        json!({"server_id": sid(), "retention_in_days": 30}),
    );
    let out = adapt(&[srv, fw, audit]);
    let id = "azurerm_mssql_server.db";
    let a = &get(&out, id).attributes;
    assert_eq!(a["min_tls_version"], "1.1");
    assert_eq!(
        a["auditing"],
        json!({"enabled": true, "retention_days": 30})
    );
    assert!(matches!(run(&out, "AZURE-SQL-002", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "AZURE-SQL-001", id), Outcome::Pass(_)));
    assert!(matches!(run(&out, "AZURE-SQL-003", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "AZURE-SQL-004", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "AZURE-SQL-005", id), Outcome::Pass(_)));
    assert!(matches!(run(&out, "AZURE-SQL-006", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "AZURE-SQL-007", id), Outcome::Pass(_)));
}

#[test]
fn flexible_server_parameters() {
    let pg = raw(
        "azurerm_postgresql_flexible_server",
        "pg",
        json!({"name": "acme-pg", "delegated_subnet_id": unknown_ref("azurerm_subnet.s.id", "azurerm_subnet.s")}),
    );
    let cfg = raw(
        "azurerm_postgresql_flexible_server_configuration",
        "ssl",
        json!({"name": "require_secure_transport", "value": "off",
            "server_id": unknown_ref("azurerm_postgresql_flexible_server.pg.id", "azurerm_postgresql_flexible_server.pg")}),
    );
    let out = adapt(&[pg, cfg]);
    let id = "azurerm_postgresql_flexible_server.pg";
    assert!(matches!(
        run(&out, "AZURE-POSTGRESQL-001", id),
        Outcome::Fail(_)
    ));
    assert!(matches!(
        run(&out, "AZURE-POSTGRESQL-002", id),
        Outcome::Pass(_)
    ));
    let my = raw(
        "azurerm_mysql_server",
        "my",
        json!({"name": "acme-my", "ssl_enforcement_enabled": true, "ssl_minimal_tls_version_enforced": "TLS1_0"}),
    );
    let out = adapt(&[my]);
    assert!(matches!(
        run(&out, "AZURE-MYSQL-001", "azurerm_mysql_server.my"),
        Outcome::Pass(_)
    ));
    assert!(
        matches!(run(&out, "AZURE-MYSQL-002", "azurerm_mysql_server.my"), Outcome::Fail(m) if m.contains("1.0"))
    );
}

#[test]
fn key_vault_resources() {
    let kv = raw(
        "azurerm_key_vault",
        "kv",
        json!({"name": "acme-kv", "sku_name": "standard", "tenant_id": "t"}),
    );
    let key = raw(
        "azurerm_key_vault_key",
        "k",
        json!({"name": "k", "key_type": "RSA", "rotation_policy": [{"expire_after": "P90D", "automatic": [{"time_before_expiry": "P30D"}]}]}),
    );
    let secret = raw(
        "azurerm_key_vault_secret",
        "s",
        json!({"name": "s", "value": "x"}),
    );
    let out = adapt(&[kv, key, secret]);
    assert!(
        matches!(run(&out, "AZURE-KEYVAULT-001", "azurerm_key_vault.kv"), Outcome::Fail(m) if m.contains("purge"))
    );
    assert!(matches!(
        run(&out, "AZURE-KEYVAULT-003", "azurerm_key_vault.kv"),
        Outcome::Fail(_)
    ));
    assert!(matches!(
        run(&out, "AZURE-KEYVAULT-004", "azurerm_key_vault_key.k"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "AZURE-KEYVAULT-005", "azurerm_key_vault_key.k"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "AZURE-KEYVAULT-006", "azurerm_key_vault_secret.s"),
        Outcome::Fail(_)
    ));
}

#[test]
fn key_vault_diagnostic_settings() {
    let kv = raw("azurerm_key_vault", "kv", json!({"name": "acme-kv"}));
    let id = "azurerm_key_vault.kv";
    let out = adapt(std::slice::from_ref(&kv));
    assert!(matches!(
        run(&out, "AZURE-KEYVAULT-007", id),
        Outcome::Fail(_)
    ));
    let setting = |name: &str, target: Value, logs: Value| {
        let mut attrs = json!({"name": name, "target_resource_id": target,
            "log_analytics_workspace_id": unknown_ref("azurerm_log_analytics_workspace.w.id", "azurerm_log_analytics_workspace.w")});
        if let (Some(m), Some(l)) = (attrs.as_object_mut(), logs.as_object()) {
            m.extend(l.clone());
        }
        raw("azurerm_monitor_diagnostic_setting", name, attrs)
    };
    let to_kv = || unknown_ref("azurerm_key_vault.kv.id", "azurerm_key_vault.kv");
    let audit = setting(
        "audit",
        to_kv(),
        json!({"enabled_log": [{"category": "AuditEvent"}]}),
    );
    let out = adapt(&[kv.clone(), audit]);
    assert!(matches!(
        run(&out, "AZURE-KEYVAULT-007", id),
        Outcome::Pass(_)
    ));
    let group = setting(
        "all",
        to_kv(),
        json!({"enabled_log": [{"category_group": "allLogs"}]}),
    );
    assert!(matches!(
        run(&adapt(&[kv.clone(), group]), "AZURE-KEYVAULT-007", id),
        Outcome::Pass(_)
    ));
    let disabled = setting(
        "old",
        to_kv(),
        json!({"log": [{"category": "AuditEvent", "enabled": false}]}),
    );
    assert!(matches!(
        run(&adapt(&[kv.clone(), disabled]), "AZURE-KEYVAULT-007", id),
        Outcome::Fail(_)
    ));
    let other = setting(
        "sa",
        json!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acme-kv"),
        json!({"enabled_log": [{"category": "AuditEvent"}]}),
    );
    assert!(matches!(
        run(&adapt(&[kv.clone(), other]), "AZURE-KEYVAULT-007", id),
        Outcome::Fail(_)
    ));
    let var = setting(
        "v",
        unknown("var.target"),
        json!({"enabled_log": [{"category": "AuditEvent"}]}),
    );
    assert!(matches!(
        run(&adapt(&[kv, var]), "AZURE-KEYVAULT-007", id),
        Outcome::NotAssessed(_)
    ));
}

#[test]
fn bucket_iam_from_members_bindings_and_policy_documents() {
    let b = raw(
        "google_storage_bucket",
        "b",
        json!({"name": "acme-assets", "location": "EU", "project": "acme", "labels": {"env": "prod"}}),
    );
    let member = raw(
        "google_storage_bucket_iam_member",
        "m",
        json!({"bucket": "acme-assets", "role": "roles/storage.objectViewer", "member": "group:x@example.com"}),
    );
    let out = adapt(&[b.clone(), member.clone()]);
    let id = "google_storage_bucket.b";
    let r = get(&out, id);
    assert_eq!(r.account.as_deref(), Some("acme"));
    assert_eq!(r.region.as_deref(), Some("EU"));
    assert_eq!(r.tags.get("env").map(String::as_str), Some("prod"));
    assert!(matches!(run(&out, "GCP-STORAGE-001", id), Outcome::Pass(_)));
    assert!(matches!(run(&out, "GCP-STORAGE-002", id), Outcome::Fail(_)));
    let policy_doc = raw_at(
        "google_iam_policy",
        "data.google_iam_policy.p",
        json!({"binding": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]}),
    );
    let policy = raw(
        "google_storage_bucket_iam_policy",
        "p",
        json!({"bucket": unknown_ref("google_storage_bucket.b.name", "google_storage_bucket.b"),
            "policy_data": unknown_ref("data.google_iam_policy.p.policy_data", "data.google_iam_policy.p")}),
    );
    let out = adapt(&[b.clone(), member.clone(), policy_doc, policy]);
    assert_eq!(out.len(), 1, "data sources are not resources");
    assert!(matches!(run(&out, "GCP-STORAGE-001", id), Outcome::Fail(m) if m.contains("allUsers")));
    let acl = raw(
        "google_storage_bucket_acl",
        "acl",
        json!({"bucket": "acme-assets", "predefined_acl": "authenticatedRead"}),
    );
    let out = adapt(&[b, acl]);
    assert!(
        matches!(run(&out, "GCP-STORAGE-001", id), Outcome::Fail(m) if m.contains("allAuthenticatedUsers"))
    );
}

#[test]
fn sql_instance_settings_and_flags() {
    let i = raw(
        "google_sql_database_instance",
        "pg",
        json!({"name": "acme-pg", "database_version": "POSTGRES_15", "region": "europe-west1",
            "settings": [{"tier": "db-f1-micro",
                "ip_configuration": [{"ipv4_enabled": true, "require_ssl": true,
                    "authorized_networks": [{"name": "all", "value": "0.0.0.0/0"}]}],
                "database_flags": [{"name": "log_connections", "value": "on"}]}]}),
    );
    let out = adapt(&[i]);
    let id = "google_sql_database_instance.pg";
    let a = &get(&out, id).attributes;
    assert_eq!(a["engine"], "postgres");
    assert_eq!(a["ssl_mode"], "TRUSTED_CLIENT_CERTIFICATE_REQUIRED");
    assert!(matches!(run(&out, "GCP-SQL-001", id), Outcome::Pass(_)));
    assert!(matches!(run(&out, "GCP-SQL-002", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "GCP-SQL-003", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "GCP-SQL-004", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "GCP-SQL-005", id), Outcome::Pass(_)));
    assert!(matches!(run(&out, "GCP-SQL-006", id), Outcome::Fail(m) if m.contains("not set")));
    assert!(
        matches!(run(&out, "GCP-SQL-007", id), Outcome::Pass(m) if m.contains("not applicable"))
    );
}

#[test]
fn firewall_rules_from_allow_blocks() {
    let fw = raw(
        "google_compute_firewall",
        "ssh",
        json!({"name": "allow-ssh", "network": "default", "allow": [{"protocol": "tcp", "ports": ["22"]}],
            "source_ranges": ["0.0.0.0/0"]}),
    );
    let tagged = raw(
        "google_compute_firewall",
        "internal",
        json!({"name": "internal", "network": "default", "allow": [{"protocol": "all"}], "source_tags": ["web"],
            "log_config": [{"metadata": "INCLUDE_ALL_METADATA"}]}),
    );
    let out = adapt(&[fw, tagged]);
    assert!(matches!(
        run(&out, "GCP-COMPUTE-001", "google_compute_firewall.ssh"),
        Outcome::Fail(_)
    ));
    assert!(matches!(
        run(&out, "GCP-COMPUTE-003", "google_compute_firewall.ssh"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "GCP-COMPUTE-004", "google_compute_firewall.ssh"),
        Outcome::Fail(_)
    ));
    assert!(matches!(
        run(&out, "GCP-COMPUTE-003", "google_compute_firewall.internal"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "GCP-COMPUTE-004", "google_compute_firewall.internal"),
        Outcome::Pass(_)
    ));
}

#[test]
fn instance_service_account_metadata_and_interfaces() {
    let vm = raw(
        "google_compute_instance",
        "vm",
        json!({"name": "vm", "zone": "europe-west1-b", "machine_type": "e2-small",
            "metadata": {"serial-port-enable": "TRUE", "enable-oslogin": "FALSE"},
            "network_interface": [{"network": "default", "access_config": [{}]}],
            "service_account": [{"scopes": ["cloud-platform"]}]}),
    );
    let out = adapt(&[vm]);
    let id = "google_compute_instance.vm";
    assert_eq!(get(&out, id).region.as_deref(), Some("europe-west1"));
    for (code, fail) in [
        ("GCP-COMPUTE-005", true),
        ("GCP-COMPUTE-006", true),
        ("GCP-COMPUTE-007", true),
        ("GCP-COMPUTE-008", true),
        ("GCP-COMPUTE-009", true),
        ("GCP-COMPUTE-010", false),
        ("GCP-COMPUTE-011", true),
        ("GCP-COMPUTE-012", true),
    ] {
        let o = run(&out, code, id);
        assert_eq!(matches!(o, Outcome::Fail(_)), fail, "{code}: {o:?}");
    }
    let own_sa = raw(
        "google_compute_instance",
        "app",
        json!({"name": "app", "network_interface": [{"network": "default"}],
            "service_account": [{"email": unknown_ref("google_service_account.app.email", "google_service_account.app"),
                "scopes": ["cloud-platform"]}]}),
    );
    let var_sa = raw(
        "google_compute_instance",
        "var",
        json!({"name": "var", "network_interface": [{"network": "default"}],
            "service_account": [{"email": unknown("var.sa"), "scopes": ["cloud-platform"]}]}),
    );
    let out = adapt(&[own_sa, var_sa]);
    assert!(matches!(
        run(&out, "GCP-COMPUTE-006", "google_compute_instance.app"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "GCP-COMPUTE-012", "google_compute_instance.app"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "GCP-COMPUTE-008", "google_compute_instance.app"),
        Outcome::NotAssessed(_)
    ));
    assert!(matches!(
        run(&out, "GCP-COMPUTE-005", "google_compute_instance.var"),
        Outcome::NotAssessed(_)
    ));
}

#[test]
fn kms_rotation_and_key_iam() {
    let key = raw(
        "google_kms_crypto_key",
        "k",
        json!({"name": "k", "key_ring": unknown_ref("google_kms_key_ring.r.id", "google_kms_key_ring.r"), "rotation_period": "7776000s"}),
    );
    let slow = raw(
        "google_kms_crypto_key",
        "slow",
        json!({"name": "slow", "rotation_period": "31536000s"}),
    );
    let iam = raw(
        "google_kms_crypto_key_iam_binding",
        "b",
        json!({"crypto_key_id": unknown_ref("google_kms_crypto_key.slow.id", "google_kms_crypto_key.slow"),
            "role": "roles/cloudkms.cryptoKeyDecrypter", "members": ["allUsers"]}),
    );
    let out = adapt(&[key, slow, iam]);
    assert_eq!(
        get(&out, "google_kms_crypto_key.k").attributes["rotation_period_seconds"],
        7_776_000
    );
    assert!(matches!(
        run(&out, "GCP-KMS-001", "google_kms_crypto_key.k"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "GCP-KMS-001", "google_kms_crypto_key.slow"),
        Outcome::Fail(_)
    ));
    assert!(matches!(
        run(&out, "GCP-KMS-002", "google_kms_crypto_key.k"),
        Outcome::Pass(_)
    ));
    assert!(matches!(
        run(&out, "GCP-KMS-002", "google_kms_crypto_key.slow"),
        Outcome::Fail(_)
    ));
}

#[test]
fn gke_cluster() {
    let c = raw(
        "google_container_cluster",
        "c",
        json!({"name": "c", "location": "europe-west1", "enable_legacy_abac": true,
            "master_authorized_networks_config": [{"cidr_blocks": [{"cidr_block": "10.0.0.0/8"}]}],
            "datapath_provider": "ADVANCED_DATAPATH"}),
    );
    let out = adapt(&[c]);
    let id = "google_container_cluster.c";
    assert!(matches!(run(&out, "GCP-GKE-001", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "GCP-GKE-002", id), Outcome::Fail(_)));
    assert!(matches!(run(&out, "GCP-GKE-003", id), Outcome::Pass(_)));
    assert!(matches!(run(&out, "GCP-GKE-004", id), Outcome::Pass(_)));
}

#[test]
fn other_providers_and_data_sources_are_ignored() {
    let out = adapt(&[
        raw("aws_s3_bucket", "b", json!({"bucket": "x"})),
        raw_at(
            "azurerm_storage_account",
            "data.azurerm_storage_account.e",
            json!({"name": "e"}),
        ),
    ]);
    assert!(out.is_empty());
}
