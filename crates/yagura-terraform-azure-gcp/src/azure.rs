//! azurerm resources → `azure.*` kinds (see docs/resource-model-azure-gcp.md).

use crate::join::{link, push_items, Link, Singles, Slots};
use crate::raw::{normalized, obj, to_string, with_block, Block, Raw};
use crate::rules::nsg_rule;
use serde_json::{json, Map, Value};
use yagura_model::iac::{is_unknown, unknown, RawResource};
use yagura_model::Resource;

/// A normalized resource with the common fields filled from the raw one.
pub(crate) fn base(kind: &str, raw: &RawResource, attrs: Map<String, Value>) -> Resource {
    let a = Raw(&raw.attributes);
    let region = a.lit("location").map(str::to_string).or(raw.region.clone());
    normalized(kind, raw, attrs, region, raw.account.clone(), a.get("tags"))
}

/// `TLS1_2` / `1.2` / `TLSv1.2` → `"1.2"`; "disabled" spellings → null.
fn tls_version(v: &Value) -> Value {
    match v {
        Value::String(s) => {
            let t = s.trim();
            if t.eq_ignore_ascii_case("TLSEnforcementDisabled")
                || t.eq_ignore_ascii_case("Disabled")
            {
                return Value::Null;
            }
            // The lowest version of a list such as "TLSv1.2,TLSv1.3".
            let first = t.split(',').next().unwrap_or(t).trim();
            let digits = first
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .replace('_', ".");
            if digits.is_empty() {
                Value::String(t.to_string())
            } else {
                Value::String(digits)
            }
        }
        v if is_unknown(v) => v.clone(),
        _ => unknown("tls version (not a string)"),
    }
}

fn storage_account(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let https_only = a.bool_any_or(
        &["https_traffic_only_enabled", "enable_https_traffic_only"],
        true,
    );
    // azurerm >= 3: `allow_nested_items_to_be_public`, default true.
    let public_blobs = a.bool_any_or(
        &[
            "allow_nested_items_to_be_public",
            "allow_blob_public_access",
        ],
        true,
    );
    let cross_tenant = match a.get("cross_tenant_replication_enabled") {
        Some(_) => a.bool_or("cross_tenant_replication_enabled", false),
        // The default flipped from true (azurerm 3) to false (azurerm 4).
        None => unknown(
            "cross_tenant_replication_enabled (unwritten; its default differs between azurerm 3 and 4)",
        ),
    };
    let network_rules = with_block(
        a.block("network_rules"),
        default_network_rules(),
        network_rules_of,
    );
    let cmk = with_block(
        a.block("customer_managed_key"),
        Value::Null,
        |b| json!({"key_id": b.first_of(&["key_vault_key_id", "managed_hsm_key_id"]).cloned().unwrap_or(Value::Null)}),
    );
    let (blob_days, container_days, versioning) = match a.block("blob_properties") {
        Block::Absent => (Value::Null, Value::Null, json!(false)),
        Block::Unknown(u) => (u.clone(), u.clone(), u),
        Block::Present(b) => (
            with_block(b.block("delete_retention_policy"), Value::Null, |p| {
                p.int_or("days", Some(7))
            }),
            with_block(
                b.block("container_delete_retention_policy"),
                Value::Null,
                |p| p.int_or("days", Some(7)),
            ),
            b.bool_or("versioning_enabled", false),
        ),
    };
    base(
        "azure.storage.account",
        raw,
        obj(vec![
            ("account_name", a.str_or("name", None)),
            ("account_kind", a.str_or("account_kind", Some("StorageV2"))),
            ("https_only", https_only),
            (
                "min_tls_version",
                a.str_or("min_tls_version", Some("TLS1_2")),
            ),
            ("allow_blob_public_access", public_blobs),
            (
                "public_network_access",
                a.bool_or("public_network_access_enabled", true),
            ),
            (
                "infrastructure_encryption",
                a.bool_or("infrastructure_encryption_enabled", false),
            ),
            ("customer_managed_key", cmk),
            ("cross_tenant_replication", cross_tenant),
            ("network_rules", network_rules),
            ("blob_soft_delete_days", blob_days),
            ("container_soft_delete_days", container_days),
            ("blob_versioning", versioning),
            ("containers", json!([])),
        ]),
    )
}

/// What an account without network rules has: every network allowed.
fn default_network_rules() -> Value {
    json!({"default_action": "Allow", "bypass": ["AzureServices"], "ip_rules": [], "subnet_ids": []})
}

fn network_rules_of(b: Raw<'_>) -> Value {
    let bypass = if b.has("bypass") {
        b.str_list("bypass")
    } else {
        json!(["AzureServices"])
    };
    json!({
        "default_action": b.str_or("default_action", None),
        "bypass": bypass,
        "ip_rules": b.str_list("ip_rules"),
        "subnet_ids": b.str_list("virtual_network_subnet_ids"),
    })
}

fn container_access(raw: &RawResource) -> Value {
    let a = Raw(&raw.attributes);
    let level = match a.get("container_access_type") {
        None => json!("none"),
        Some(Value::String(s)) if s == "private" => json!("none"),
        Some(v) => to_string(v, "container_access_type"),
    };
    json!({"name": a.str_or("name", None), "public_access": level})
}

fn sql_server(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let legacy = raw.type_name == "azurerm_sql_server";
    let mut m = obj(vec![
        ("server_name", a.str_or("name", None)),
        ("version", a.str_or("version", None)),
        (
            "public_network_access",
            a.bool_or("public_network_access_enabled", true),
        ),
        ("firewall_rules", json!([])),
    ]);
    // The legacy resource cannot set a minimal TLS version, so it is not observed.
    if !legacy {
        let tls = match a.get("minimum_tls_version") {
            None => json!("1.2"),
            Some(v) => tls_version(v),
        };
        m.insert("min_tls_version".into(), tls);
    }
    m.insert(
        "auditing".into(),
        with_block(
            a.block("extended_auditing_policy"),
            Value::Null,
            auditing_of,
        ),
    );
    m.insert(
        "azure_ad_admin".into(),
        with_block(a.block("azuread_administrator"), Value::Null, |b| {
            json!({
                "login": b.str_or("login_username", None),
                "object_id": b.str_or("object_id", None),
                "azuread_only": b.bool_or("azuread_authentication_only", false),
            })
        }),
    );
    base("azure.sql.server", raw, m)
}

fn auditing_of(b: Raw<'_>) -> Value {
    json!({
        "enabled": b.bool_or("enabled", true),
        "retention_days": b.int_or("retention_in_days", Some(0)),
    })
}

fn sql_firewall_rule(raw: &RawResource) -> Value {
    let a = Raw(&raw.attributes);
    json!({
        "name": a.str_or("name", None),
        "start_ip": a.str_or("start_ip_address", None),
        "end_ip": a.str_or("end_ip_address", None),
    })
}

fn nsg(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let rules = match a.blocks("security_rule") {
        Ok(blocks) => Value::Array(
            blocks
                .into_iter()
                .map(|b| match b {
                    Ok(r) => nsg_rule(r),
                    Err(u) => u,
                })
                .collect(),
        ),
        // An unknown set of inline rules: the list has one unknown element, so a
        // separate rule that is known to open a port can still be reported.
        Err(u) => json!([u]),
    };
    base(
        "azure.network.nsg",
        raw,
        obj(vec![("nsg_name", a.str_or("name", None)), ("rules", rules)]),
    )
}

fn flow_log(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let retention = with_block(
        a.block("retention_policy"),
        // No retention policy: logs are kept without limit.
        json!(0),
        |p| match p.get("enabled") {
            Some(Value::Bool(false)) => json!(0),
            Some(v) if is_unknown(v) => v.clone(),
            _ => p.int_or("days", Some(0)),
        },
    );
    base(
        "azure.network.flow_log",
        raw,
        obj(vec![
            ("flow_log_name", a.str_or("name", None)),
            (
                "target_id",
                a.first_of(&["network_security_group_id", "target_resource_id"])
                    .cloned()
                    .unwrap_or(Value::Null),
            ),
            ("enabled", a.bool_or("enabled", true)),
            ("retention_days", retention),
        ]),
    )
}

fn key_vault(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let soft_delete = match a.get("soft_delete_enabled") {
        Some(Value::Bool(false)) => Value::Null,
        _ => a.int_or("soft_delete_retention_days", Some(90)),
    };
    let acls = with_block(a.block("network_acls"), Value::Null, |b| {
        json!({
            "default_action": b.str_or("default_action", None),
            "bypass": b.str_or("bypass", None),
            "ip_rules": b.str_list("ip_rules"),
            "subnet_ids": b.str_list("virtual_network_subnet_ids"),
        })
    });
    base(
        "azure.keyvault.vault",
        raw,
        obj(vec![
            ("vault_name", a.str_or("name", None)),
            ("soft_delete_retention_days", soft_delete),
            (
                "purge_protection",
                a.bool_or("purge_protection_enabled", false),
            ),
            (
                "rbac_authorization",
                a.bool_any_or(
                    &["rbac_authorization_enabled", "enable_rbac_authorization"],
                    false,
                ),
            ),
            (
                "public_network_access",
                a.bool_or("public_network_access_enabled", true),
            ),
            ("network_acls", acls),
            // Filled from `azurerm_monitor_diagnostic_setting`s that target the vault.
            ("diagnostic_logs", json!([])),
        ]),
    )
}

fn key_vault_key(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let policy = with_block(a.block("rotation_policy"), Value::Null, |p| {
        let auto = match p.block("automatic") {
            Block::Absent => json!(false),
            Block::Present(_) => json!(true),
            Block::Unknown(u) => u,
        };
        json!({"expire_after": p.str_or("expire_after", None), "auto_rotate": auto})
    });
    base(
        "azure.keyvault.key",
        raw,
        obj(vec![
            ("key_name", a.str_or("name", None)),
            ("key_type", a.str_or("key_type", None)),
            ("expiration_date", a.str_or("expiration_date", None)),
            ("rotation_policy", policy),
        ]),
    )
}

fn key_vault_secret(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    base(
        "azure.keyvault.secret",
        raw,
        obj(vec![
            ("secret_name", a.str_or("name", None)),
            ("expiration_date", a.str_or("expiration_date", None)),
        ]),
    )
}

/// PostgreSQL / MySQL servers, single (`ssl_enforcement_enabled`) and flexible
/// (SSL and TLS from server parameters, joined later; the defaults are ON and 1.2).
fn db_server(raw: &RawResource, kind: &str) -> Resource {
    let a = Raw(&raw.attributes);
    let flexible = raw.type_name.contains("flexible");
    let (ssl, tls) = if flexible {
        (json!(true), json!("1.2"))
    } else {
        (
            match a.get("ssl_enforcement_enabled") {
                Some(_) => a.bool_or("ssl_enforcement_enabled", false),
                None => unknown("ssl_enforcement_enabled (required, not written)"),
            },
            match a.get("ssl_minimal_tls_version_enforced") {
                None => json!("1.2"),
                Some(v) => tls_version(v),
            },
        )
    };
    // A flexible server placed in a delegated subnet has no public endpoint.
    let public = match a.get("public_network_access_enabled") {
        Some(_) => a.bool_or("public_network_access_enabled", true),
        None if flexible && a.has("delegated_subnet_id") => json!(false),
        None => json!(true),
    };
    base(
        kind,
        raw,
        obj(vec![
            ("server_name", a.str_or("name", None)),
            ("flexible", json!(flexible)),
            ("version", a.str_or("version", None)),
            ("ssl_enforcement", ssl),
            ("min_tls_version", tls),
            ("public_network_access", public),
        ]),
    )
}

/// Adapts the azurerm resources among `raws` (data sources already removed).
pub(crate) fn adapt(raws: &[&RawResource], out: &mut Vec<Resource>) {
    // Parents first; `slots` pairs each output index with its raw resource.
    let slots = Slots::adapt(raws, out, |raw| match raw.type_name.as_str() {
        "azurerm_storage_account" => Some(storage_account(raw)),
        "azurerm_mssql_server" | "azurerm_sql_server" => Some(sql_server(raw)),
        "azurerm_network_security_group" => Some(nsg(raw)),
        "azurerm_network_watcher_flow_log" => Some(flow_log(raw)),
        "azurerm_key_vault" => Some(key_vault(raw)),
        "azurerm_key_vault_key" => Some(key_vault_key(raw)),
        "azurerm_key_vault_secret" => Some(key_vault_secret(raw)),
        "azurerm_postgresql_server" | "azurerm_postgresql_flexible_server" => {
            Some(db_server(raw, "azure.postgresql.server"))
        }
        "azurerm_mysql_server" | "azurerm_mysql_flexible_server" => {
            Some(db_server(raw, "azure.mysql.server"))
        }
        _ => None,
    });
    let rg = Some("resource_group_name");
    let accounts = slots.parents(&["azurerm_storage_account"], rg);
    let servers = slots.parents(&["azurerm_mssql_server", "azurerm_sql_server"], rg);
    let nsgs = slots.parents(&["azurerm_network_security_group"], rg);
    let pg = slots.parents(
        &[
            "azurerm_postgresql_server",
            "azurerm_postgresql_flexible_server",
        ],
        rg,
    );
    let vaults = slots.parents(&["azurerm_key_vault"], rg);
    let my = slots.parents(
        &["azurerm_mysql_server", "azurerm_mysql_flexible_server"],
        rg,
    );
    let mut singles = Singles::default();
    for raw in raws {
        let a = Raw(&raw.attributes);
        match raw.type_name.as_str() {
            "azurerm_storage_account_network_rules" => {
                let l = link(
                    raw,
                    &["storage_account_id", "storage_account_name"],
                    rg,
                    &accounts,
                );
                let v = network_rules_of(a);
                singles.apply(out, &l, "network_rules", raw, |_| v.clone());
            }
            "azurerm_storage_account_customer_managed_key" => {
                let l = link(raw, &["storage_account_id"], rg, &accounts);
                let key = a
                    .first_of(&["key_vault_key_id", "managed_hsm_key_id", "key_name"])
                    .cloned()
                    .unwrap_or(Value::Null);
                singles.apply(
                    out,
                    &l,
                    "customer_managed_key",
                    raw,
                    |_| json!({"key_id": key.clone()}),
                );
            }
            "azurerm_storage_container" => {
                let l = link(
                    raw,
                    &["storage_account_id", "storage_account_name"],
                    rg,
                    &accounts,
                );
                push_items(out, &l, "containers", raw, vec![container_access(raw)]);
            }
            "azurerm_mssql_firewall_rule" | "azurerm_sql_firewall_rule" => {
                let l = link(raw, &["server_id", "server_name"], rg, &servers);
                push_items(out, &l, "firewall_rules", raw, vec![sql_firewall_rule(raw)]);
            }
            "azurerm_mssql_server_extended_auditing_policy" => {
                let l = link(raw, &["server_id"], rg, &servers);
                let v = auditing_of(a);
                singles.apply(out, &l, "auditing", raw, |_| v.clone());
            }
            "azurerm_sql_active_directory_administrator" => {
                let l = link(raw, &["server_id", "server_name"], rg, &servers);
                let v = json!({
                    "login": a.str_or("login", None),
                    "object_id": a.str_or("object_id", None),
                    "azuread_only": a.bool_or("azuread_authentication_only", false),
                });
                singles.apply(out, &l, "azure_ad_admin", raw, |_| v.clone());
            }
            "azurerm_network_security_rule" => {
                let l = link(raw, &["network_security_group_name"], rg, &nsgs);
                push_items(out, &l, "rules", raw, vec![nsg_rule(a)]);
            }
            "azurerm_monitor_diagnostic_setting" => {
                // A literal id of some other resource type is not a vault's.
                let literal_other = a.lit("target_resource_id").is_some_and(|id| {
                    !id.to_ascii_lowercase()
                        .contains("/microsoft.keyvault/vaults/")
                });
                if !literal_other {
                    let l = link(raw, &["target_resource_id"], None, &vaults);
                    push_items(out, &l, "diagnostic_logs", raw, diagnostic_categories(a));
                }
            }
            "azurerm_postgresql_flexible_server_configuration" => {
                let l = link(raw, &["server_id", "server_name"], rg, &pg);
                server_parameter(out, &mut singles, &l, raw, "ssl_min_protocol_version");
            }
            "azurerm_mysql_flexible_server_configuration" => {
                let l = link(raw, &["server_id", "server_name"], rg, &my);
                server_parameter(out, &mut singles, &l, raw, "tls_version");
            }
            _ => {}
        }
    }
    singles.finish(out);
}

/// The log categories a diagnostic setting enables: `enabled_log` blocks (and the
/// older `log` blocks with `enabled`), category groups as `group:<name>`.
fn diagnostic_categories(a: Raw<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for key in ["enabled_log", "log"] {
        let blocks = match a.blocks(key) {
            Ok(b) => b,
            Err(u) => {
                out.push(u);
                continue;
            }
        };
        for b in blocks {
            let b = match b {
                Ok(b) => b,
                Err(u) => {
                    out.push(u);
                    continue;
                }
            };
            match b.get("enabled") {
                Some(Value::Bool(false)) => continue,
                Some(v) if is_unknown(v) => {
                    out.push(v.clone());
                    continue;
                }
                _ => {}
            }
            if let Some(c) = b.get("category") {
                out.push(to_string(c, "category"));
            }
            match b.get("category_group") {
                Some(Value::String(g)) => out.push(json!(format!("group:{g}"))),
                Some(v) if is_unknown(v) => out.push(v.clone()),
                _ => {}
            }
        }
    }
    out
}

/// A flexible-server parameter that decides SSL (`require_secure_transport`) or
/// the minimal TLS version (`tls_param`); a parameter whose name is unknown may be
/// either.
fn server_parameter(
    out: &mut [Resource],
    singles: &mut Singles,
    l: &Link,
    raw: &RawResource,
    tls_param: &str,
) {
    let a = Raw(&raw.attributes);
    let value = a.get("value").cloned().unwrap_or(Value::Null);
    match a.get("name") {
        Some(Value::String(n)) if n == "require_secure_transport" => {
            let v = match &value {
                Value::String(s) => json!(s.eq_ignore_ascii_case("on")),
                v if is_unknown(v) => v.clone(),
                _ => unknown("require_secure_transport value"),
            };
            singles.apply(out, l, "ssl_enforcement", raw, |_| v.clone());
        }
        Some(Value::String(n)) if n == tls_param => {
            let v = tls_version(&value);
            singles.apply(out, l, "min_tls_version", raw, |_| v.clone());
        }
        Some(Value::String(_)) => {}
        _ => {
            let doubt = match l {
                Link::Outside => Link::Outside,
                Link::To(v) | Link::Unsure(v) => Link::Unsure(v.clone()),
            };
            singles.apply(out, &doubt, "ssl_enforcement", raw, |_| Value::Null);
            singles.apply(out, &doubt, "min_tls_version", raw, |_| Value::Null);
        }
    }
}
