//! google resources → `gcp.*` kinds (see docs/resource-model-azure-gcp.md).

use crate::join::{link, push_items, split_address, Slots};
use crate::raw::{normalized, obj, to_int, to_string, with_block, Block, Raw};
use crate::rules::gcp_firewall_rules;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use yagura_model::iac::{is_unknown, unknown, unknown_ref_address, RawResource};
use yagura_model::Resource;

fn base(kind: &str, raw: &RawResource, attrs: Map<String, Value>) -> Resource {
    let a = Raw(&raw.attributes);
    // A zone (`europe-west1-b`) gives its region, as the live API groups them.
    let from_zone = a
        .lit("zone")
        .and_then(|z| z.rsplit_once('-'))
        .map(|(region, _)| region);
    let region = a
        .lit("region")
        .or(from_zone)
        .or(a.lit("location"))
        .map(str::to_string)
        .or(raw.region.clone());
    let account = a.lit("project").map(str::to_string).or(raw.account.clone());
    let labels = a.get("labels").or(a.get("resource_labels"));
    normalized(kind, raw, attrs, region, account, labels)
}

fn bucket(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let versioning = with_block(a.block("versioning"), json!(false), |b| {
        b.bool_or("enabled", false)
    });
    let logging = with_block(
        a.block("logging"),
        Value::Null,
        |b| json!({"log_bucket": b.str_or("log_bucket", None)}),
    );
    let retention = with_block(a.block("retention_policy"), Value::Null, |b| {
        b.int_or("retention_period", None)
    });
    base(
        "gcp.storage.bucket",
        raw,
        obj(vec![
            ("bucket_name", a.str_or("name", None)),
            (
                "uniform_bucket_level_access",
                a.bool_or("uniform_bucket_level_access", false),
            ),
            (
                "public_access_prevention",
                a.str_or("public_access_prevention", Some("inherited")),
            ),
            ("versioning", versioning),
            ("logging", logging),
            ("retention_period_seconds", retention),
            ("iam_members", json!([])),
            ("acl_entities", json!([])),
        ]),
    )
}

/// `"POSTGRES_15"` → `"postgres"`.
fn engine(version: &Value) -> Value {
    match version {
        Value::String(s) => {
            let up = s.to_ascii_uppercase();
            let e = if up.starts_with("POSTGRES") {
                "postgres"
            } else if up.starts_with("MYSQL") {
                "mysql"
            } else if up.starts_with("SQLSERVER") {
                "sqlserver"
            } else {
                return Value::String(s.to_ascii_lowercase());
            };
            json!(e)
        }
        v if is_unknown(v) => v.clone(),
        _ => unknown("database_version (missing)"),
    }
}

fn sql_instance(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let version = a.get("database_version").cloned().unwrap_or(Value::Null);
    let mut m = obj(vec![
        ("instance_name", a.str_or("name", None)),
        ("database_version", a.str_or("database_version", None)),
        ("engine", engine(&version)),
    ]);
    let settings = match a.block("settings") {
        Block::Present(s) => s,
        // A clone or replica without settings: nothing about them is observed.
        Block::Absent => return base("gcp.sql.instance", raw, m),
        Block::Unknown(u) => {
            for k in [
                "public_ip",
                "private_network",
                "authorized_networks",
                "ssl_mode",
                "backup_enabled",
                "database_flags",
            ] {
                m.insert(k.into(), u.clone());
            }
            return base("gcp.sql.instance", raw, m);
        }
    };
    match settings.block("ip_configuration") {
        Block::Absent => {
            m.insert("public_ip".into(), json!(true));
            m.insert("private_network".into(), Value::Null);
            m.insert("authorized_networks".into(), json!([]));
            m.insert("ssl_mode".into(), json!("ALLOW_UNENCRYPTED_AND_ENCRYPTED"));
        }
        Block::Unknown(u) => {
            for k in [
                "public_ip",
                "private_network",
                "authorized_networks",
                "ssl_mode",
            ] {
                m.insert(k.into(), u.clone());
            }
        }
        Block::Present(ip) => {
            m.insert("public_ip".into(), ip.bool_or("ipv4_enabled", true));
            m.insert("private_network".into(), ip.str_or("private_network", None));
            let nets = match ip.blocks("authorized_networks") {
                Ok(bs) => Value::Array(
                    bs.into_iter()
                        .map(|b| match b {
                            Ok(n) => json!({"name": n.str_or("name", None), "cidr": n.str_or("value", None)}),
                            Err(u) => u,
                        })
                        .collect(),
                ),
                Err(u) => json!([u]),
            };
            m.insert("authorized_networks".into(), nets);
            // `ssl_mode` wins; the older `require_ssl = true` means client
            // certificates are required; neither leaves the service default.
            let ssl = match (ip.get("ssl_mode"), ip.get("require_ssl")) {
                (Some(v), _) => to_string(v, "ssl_mode"),
                (None, Some(Value::Bool(true))) => json!("TRUSTED_CLIENT_CERTIFICATE_REQUIRED"),
                (None, Some(v)) if is_unknown(v) => v.clone(),
                _ => json!("ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
            };
            m.insert("ssl_mode".into(), ssl);
        }
    }
    m.insert(
        "backup_enabled".into(),
        with_block(settings.block("backup_configuration"), json!(false), |b| {
            b.bool_or("enabled", false)
        }),
    );
    let flags = match settings.blocks("database_flags") {
        Err(u) => u,
        Ok(bs) => {
            let mut f = Map::new();
            let mut doubt = None;
            for b in bs {
                match b {
                    Ok(b) => match b.get("name") {
                        Some(Value::String(n)) => {
                            let v = b
                                .get("value")
                                .map_or(Value::Null, |v| to_string(v, "value"));
                            f.insert(n.clone(), v);
                        }
                        // A flag whose name is unknown may be any flag.
                        Some(v) => doubt = Some(v.clone()),
                        None => {}
                    },
                    Err(u) => doubt = Some(u),
                }
            }
            match doubt {
                Some(u) if is_unknown(&u) => u,
                Some(_) => unknown("database_flags (unreadable)"),
                None => Value::Object(f),
            }
        }
    };
    m.insert("database_flags".into(), flags);
    base("gcp.sql.instance", raw, m)
}

fn firewall(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let logging = match a.block("log_config") {
        Block::Present(_) => json!(true),
        Block::Unknown(u) => u,
        Block::Absent => a.bool_or("enable_logging", false),
    };
    base(
        "gcp.compute.firewall",
        raw,
        obj(vec![
            ("firewall_name", a.str_or("name", None)),
            ("network", a.str_or("network", None)),
            ("disabled", a.bool_or("disabled", false)),
            ("logging", logging),
            ("rules", gcp_firewall_rules(a)),
        ]),
    )
}

/// A boolean instance metadata value as Compute Engine reads it.
fn meta_bool(v: Option<&Value>) -> Option<Value> {
    let v = v?;
    Some(match v {
        Value::Bool(b) => json!(b),
        Value::Number(n) => json!(n.as_i64() == Some(1)),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "y" | "yes" => json!(true),
            "false" | "0" | "n" | "no" => json!(false),
            _ => unknown(format!("metadata value {s} (not a boolean)")),
        },
        v if is_unknown(v) => v.clone(),
        _ => unknown("metadata value (not a boolean)"),
    })
}

/// Scope aliases accepted by the provider, as the full URLs the API reports.
fn scope_url(v: &Value) -> Value {
    match v.as_str() {
        Some(s) if s.contains("://") => v.clone(),
        Some(alias) => {
            let path = match alias {
                "storage-ro" => "devstorage.read_only",
                "storage-rw" => "devstorage.read_write",
                "storage-full" => "devstorage.full_control",
                "userinfo-email" => "userinfo.email",
                "logging-write" => "logging.write",
                "monitoring-write" => "monitoring.write",
                other => other,
            };
            json!(format!("https://www.googleapis.com/auth/{path}"))
        }
        None => v.clone(),
    }
}

/// Whether any network interface has an external address (`access_config`).
fn public_ip(a: Raw<'_>) -> Value {
    let nics = match a.blocks("network_interface") {
        Err(u) => return u,
        Ok(n) => n,
    };
    let mut doubt = None;
    for nic in nics {
        match nic {
            Err(u) => doubt = Some(u),
            Ok(n) => {
                for key in ["access_config", "ipv6_access_config"] {
                    match n.blocks(key) {
                        Ok(b) if !b.is_empty() => return json!(true),
                        Ok(_) => {}
                        Err(u) => doubt = Some(u),
                    }
                }
            }
        }
    }
    doubt.unwrap_or(json!(false))
}

fn instance(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let meta = match a.get("metadata") {
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(v) if is_unknown(v) => Err(v.clone()),
        _ => Ok(None),
    };
    let meta_flag = |key: &str, default: Value| -> Value {
        match &meta {
            Err(u) => u.clone(),
            Ok(m) => meta_bool(m.and_then(|m| m.get(key))).unwrap_or(default),
        }
    };
    let sa = with_block(a.block("service_account"), Value::Null, |b| {
        let (email, default) = match b.get("email") {
            None => (Value::Null, json!(true)),
            Some(Value::String(s)) if s == "default" => (Value::Null, json!(true)),
            Some(Value::String(s)) => (
                json!(s),
                json!(s.ends_with("-compute@developer.gserviceaccount.com")),
            ),
            // An email read from a service account created in this
            // configuration is not the default account, even before apply.
            Some(v) if is_unknown(v) => {
                let own = unknown_ref_address(v).is_some_and(|addr| {
                    split_address(addr)
                        .0
                        .rsplit('.')
                        .nth(1)
                        .is_some_and(|t| t == "google_service_account")
                });
                (v.clone(), if own { json!(false) } else { v.clone() })
            }
            Some(_) => (
                unknown("service_account.email"),
                unknown("service_account.email"),
            ),
        };
        let scopes = match b.str_list("scopes") {
            Value::Array(s) => Value::Array(s.iter().map(scope_url).collect()),
            other => other,
        };
        json!({"email": email, "default": default, "scopes": scopes})
    });
    let public_ip = public_ip(a);
    let shielded = with_block(
        a.block("shielded_instance_config"),
        json!({"secure_boot": false, "vtpm": true, "integrity_monitoring": true}),
        |b| {
            json!({
                "secure_boot": b.bool_or("enable_secure_boot", false),
                "vtpm": b.bool_or("enable_vtpm", true),
                "integrity_monitoring": b.bool_or("enable_integrity_monitoring", true),
            })
        },
    );
    base(
        "gcp.compute.instance",
        raw,
        obj(vec![
            ("instance_name", a.str_or("name", None)),
            ("machine_type", a.str_or("machine_type", None)),
            ("service_account", sa),
            (
                "block_project_ssh_keys",
                meta_flag("block-project-ssh-keys", json!(false)),
            ),
            // Not set on the instance: inherited from project metadata.
            ("os_login", meta_flag("enable-oslogin", Value::Null)),
            (
                "serial_port_enabled",
                meta_flag("serial-port-enable", json!(false)),
            ),
            ("can_ip_forward", a.bool_or("can_ip_forward", false)),
            ("shielded_vm", shielded),
            ("public_ip", public_ip),
        ]),
    )
}

/// `"7776000s"` → 7776000.
fn duration_seconds(v: &Value) -> Value {
    match v {
        Value::String(s) => match s.trim().strip_suffix('s') {
            Some(n) => match n.parse::<f64>() {
                Ok(f) => json!(f as i64),
                Err(_) => unknown(format!("duration {s}")),
            },
            None => to_int(v, "rotation_period"),
        },
        other => to_int(other, "rotation_period"),
    }
}

fn crypto_key(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    base(
        "gcp.kms.crypto_key",
        raw,
        obj(vec![
            ("key_name", a.str_or("name", None)),
            ("purpose", a.str_or("purpose", Some("ENCRYPT_DECRYPT"))),
            (
                "rotation_period_seconds",
                a.get("rotation_period")
                    .map_or(Value::Null, duration_seconds),
            ),
            ("iam_members", json!([])),
        ]),
    )
}

fn cluster(raw: &RawResource) -> Resource {
    let a = Raw(&raw.attributes);
    let autopilot = a.get("enable_autopilot") == Some(&Value::Bool(true));
    let private_nodes = with_block(a.block("private_cluster_config"), json!(false), |b| {
        b.bool_or("enable_private_nodes", false)
    });
    let authorized = with_block(
        a.block("master_authorized_networks_config"),
        Value::Null,
        |b| match b.blocks("cidr_blocks") {
            Ok(bs) => Value::Array(
                bs.into_iter()
                    .map(|c| match c {
                        Ok(c) => c.str_or("cidr_block", None),
                        Err(u) => u,
                    })
                    .collect(),
            ),
            Err(u) => json!([u]),
        },
    );
    // Dataplane V2 (and so Autopilot) enforces network policies itself.
    let dataplane_v2 = match a.get("datapath_provider") {
        Some(Value::String(s)) => Some(json!(s == "ADVANCED_DATAPATH")),
        Some(v) if is_unknown(v) => Some(v.clone()),
        _ => None,
    };
    let network_policy = match dataplane_v2 {
        Some(Value::Bool(true)) => json!(true),
        _ if autopilot => json!(true),
        Some(u @ Value::Object(_)) => u,
        _ => with_block(a.block("network_policy"), json!(false), |b| {
            b.bool_or("enabled", false)
        }),
    };
    base(
        "gcp.container.cluster",
        raw,
        obj(vec![
            ("cluster_name", a.str_or("name", None)),
            ("autopilot", json!(autopilot)),
            ("legacy_abac", a.bool_or("enable_legacy_abac", false)),
            ("private_nodes", private_nodes),
            ("master_authorized_networks", authorized),
            ("network_policy", network_policy),
        ]),
    )
}

/// IAM members a `*_iam_member`, `*_iam_binding` or `*_iam_policy` resource grants.
fn iam_members(raw: &RawResource, policies: &HashMap<&str, &RawResource>) -> Vec<Value> {
    let a = Raw(&raw.attributes);
    if raw.type_name.ends_with("_iam_member") {
        return vec![json!({"role": a.str_or("role", None), "member": a.str_or("member", None)})];
    }
    if raw.type_name.ends_with("_iam_binding") {
        let role = a.str_or("role", None);
        return match a.str_list("members") {
            Value::Array(ms) => ms
                .into_iter()
                .map(|m| json!({"role": role.clone(), "member": m}))
                .collect(),
            u => vec![u],
        };
    }
    // `_iam_policy`: the policy document, read from a `google_iam_policy` data
    // source in this configuration when it is one, else from literal JSON.
    match a.get("policy_data") {
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(doc) => bindings_members(doc.get("bindings")),
            Err(_) => vec![unknown("policy_data (not JSON)")],
        },
        Some(v) => match unknown_ref_address(v).and_then(|addr| policies.get(addr)) {
            Some(data) => {
                let d = Raw(&data.attributes);
                match d.blocks("binding") {
                    Ok(bs) => bs
                        .into_iter()
                        .flat_map(|b| match b {
                            Ok(b) => {
                                let role = b.str_or("role", None);
                                match b.str_list("members") {
                                    Value::Array(ms) => ms
                                        .into_iter()
                                        .map(|m| json!({"role": role.clone(), "member": m}))
                                        .collect(),
                                    u => vec![u],
                                }
                            }
                            Err(u) => vec![u],
                        })
                        .collect(),
                    Err(u) => vec![u],
                }
            }
            None if is_unknown(v) => vec![v.clone()],
            None => vec![unknown("policy_data")],
        },
        None => vec![],
    }
}

fn bindings_members(b: Option<&Value>) -> Vec<Value> {
    let mut out = Vec::new();
    for binding in b.and_then(Value::as_array).into_iter().flatten() {
        let role = binding.get("role").cloned().unwrap_or(Value::Null);
        for m in binding
            .get("members")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push(json!({"role": role.clone(), "member": m.clone()}));
        }
    }
    out
}

/// ACL entries of `google_storage_bucket_acl`, `*_access_control` and default
/// object ACL resources, as `{"role", "entity"}`.
fn acl_entities(raw: &RawResource) -> Vec<Value> {
    let a = Raw(&raw.attributes);
    if raw.type_name.ends_with("_access_control") {
        return vec![json!({"role": a.str_or("role", None), "entity": a.str_or("entity", None)})];
    }
    let mut out = Vec::new();
    match a.get("predefined_acl") {
        Some(Value::String(p)) => {
            let (role, entity) = match p.as_str() {
                "publicRead" => ("READER", "allUsers"),
                "publicReadWrite" => ("WRITER", "allUsers"),
                "authenticatedRead" => ("READER", "allAuthenticatedUsers"),
                _ => ("", ""),
            };
            if !entity.is_empty() {
                out.push(json!({"role": role, "entity": entity}));
            }
        }
        Some(v) if is_unknown(v) => out.push(v.clone()),
        _ => {}
    }
    match a.str_list("role_entity") {
        Value::Array(items) => {
            for it in items {
                match it.as_str().and_then(|s| s.split_once(':')) {
                    Some((role, entity)) => out.push(json!({"role": role, "entity": entity})),
                    None => out.push(if is_unknown(&it) {
                        it
                    } else {
                        unknown("role_entity (not ROLE:entity)")
                    }),
                }
            }
        }
        u => out.push(u),
    }
    out
}

/// Adapts the google resources among `raws`; `data` are the configuration's data
/// sources (for `google_iam_policy` documents).
pub(crate) fn adapt(raws: &[&RawResource], data: &[&RawResource], out: &mut Vec<Resource>) {
    let slots = Slots::adapt(raws, out, |raw| match raw.type_name.as_str() {
        "google_storage_bucket" => Some(bucket(raw)),
        "google_sql_database_instance" => Some(sql_instance(raw)),
        "google_compute_firewall" => Some(firewall(raw)),
        "google_compute_instance" => Some(instance(raw)),
        "google_kms_crypto_key" => Some(crypto_key(raw)),
        "google_container_cluster" => Some(cluster(raw)),
        _ => None,
    });
    let buckets = slots.parents(&["google_storage_bucket"], None);
    let keys = slots.parents(&["google_kms_crypto_key"], None);
    let policies: HashMap<&str, &RawResource> = data
        .iter()
        .filter(|d| d.type_name == "google_iam_policy")
        .map(|d| (split_address(&d.address).0, *d))
        .collect();
    for raw in raws {
        let t = raw.type_name.as_str();
        match t {
            "google_storage_bucket_iam_member"
            | "google_storage_bucket_iam_binding"
            | "google_storage_bucket_iam_policy" => {
                let l = link(raw, &["bucket"], None, &buckets);
                push_items(out, &l, "iam_members", raw, iam_members(raw, &policies));
            }
            "google_storage_bucket_acl"
            | "google_storage_bucket_access_control"
            | "google_storage_default_object_acl"
            | "google_storage_default_object_access_control" => {
                let l = link(raw, &["bucket"], None, &buckets);
                push_items(out, &l, "acl_entities", raw, acl_entities(raw));
            }
            "google_kms_crypto_key_iam_member"
            | "google_kms_crypto_key_iam_binding"
            | "google_kms_crypto_key_iam_policy" => {
                let l = link(raw, &["crypto_key_id"], None, &keys);
                push_items(out, &l, "iam_members", raw, iam_members(raw, &policies));
            }
            _ => {}
        }
    }
}
