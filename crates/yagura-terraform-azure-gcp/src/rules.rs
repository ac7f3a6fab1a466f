//! Network rules in the provider-neutral shape shared by Azure NSGs and GCP
//! firewalls (documented in docs/resource-model-azure-gcp.md):
//!
//! `{"name", "direction": "ingress"|"egress", "action": "allow"|"deny",
//!   "priority": int|null, "protocol": "tcp"|"udp"|"icmp"|"all"|<other, lowercase>,
//!   "ports": [{"from", "to"}] (destination ports; every port is 0-65535),
//!   "sources": [str], "destinations": [str]}`
//!
//! Sources and destinations are address prefixes (CIDRs) or service tags as the
//! cloud spells them (`Internet`, `*`, `VirtualNetwork`). Unknown values stay
//! unknown markers, in place of the field or of one list element.

use crate::raw::{to_string, Raw};
use serde_json::{json, Map, Value};
use yagura_model::iac::{is_unknown, unknown};

/// `"Tcp"`, `"*"`, `"6"`, `"all"` → the normalized protocol name.
pub(crate) fn protocol(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(
            match s.trim().to_ascii_lowercase().as_str() {
                "*" | "any" | "all" | "-1" => "all",
                "6" | "tcp" => "tcp",
                "17" | "udp" => "udp",
                "1" | "icmp" => "icmp",
                other => return Value::String(other.to_string()),
            }
            .to_string(),
        ),
        Value::Number(n) => protocol(&Value::String(n.to_string())),
        v if is_unknown(v) => v.clone(),
        _ => unknown("protocol (not a string)"),
    }
}

/// One port spec: `"22"`, `"1000-2000"`, `"*"`, `22` → `{"from", "to"}`.
pub(crate) fn port_range(v: &Value) -> Value {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        v if is_unknown(v) => return v.clone(),
        _ => return unknown("port (not a string)"),
    };
    if s == "*" {
        return json!({"from": 0, "to": 65535});
    }
    let (a, b) = s.split_once('-').unwrap_or((&s, &s));
    match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
        (Ok(f), Ok(t)) => json!({"from": f, "to": t}),
        _ => unknown(format!("port {s} (not a port or range)")),
    }
}

/// The union of a single-valued and a list-valued argument (`x_prefix` and
/// `x_prefixes`), as strings; `None` when neither is written.
fn one_or_many(r: Raw<'_>, single: &str, many: &str) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut any = false;
    if let Some(v) = r.get(single) {
        any = true;
        out.push(to_string(v, single));
    }
    match r.get(many) {
        Some(Value::Array(a)) => {
            any = true;
            out.extend(a.iter().map(|v| to_string(v, many)));
        }
        Some(v) if is_unknown(v) => {
            any = true;
            out.push(v.clone());
        }
        Some(v) => {
            any = true;
            out.push(to_string(v, many));
        }
        None => {}
    }
    any.then_some(out)
}

/// An Azure NSG rule (inline `security_rule` block or `azurerm_network_security_rule`).
pub(crate) fn nsg_rule(r: Raw<'_>) -> Value {
    let direction = match r.get("direction") {
        Some(Value::String(s)) if s.eq_ignore_ascii_case("inbound") => json!("ingress"),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("outbound") => json!("egress"),
        Some(v) if is_unknown(v) => v.clone(),
        _ => unknown("direction (missing or not Inbound/Outbound)"),
    };
    let action = match r.get("access") {
        Some(Value::String(s)) => Value::String(s.to_ascii_lowercase()),
        Some(v) if is_unknown(v) => v.clone(),
        _ => unknown("access (missing)"),
    };
    let ports = match one_or_many(r, "destination_port_range", "destination_port_ranges") {
        Some(specs) => Value::Array(specs.iter().map(port_range).collect()),
        // Without a destination port the rule cannot be created; say so rather than guess.
        None => unknown("destination_port_range (missing)"),
    };
    let mut sources =
        one_or_many(r, "source_address_prefix", "source_address_prefixes").unwrap_or_default();
    if let Some(Value::Array(asgs)) = r.get("source_application_security_group_ids") {
        sources.extend(asgs.iter().map(|v| match v {
            Value::String(s) => Value::String(format!("asg:{s}")),
            other => to_string(other, "source_application_security_group_ids"),
        }));
    }
    let destinations = one_or_many(
        r,
        "destination_address_prefix",
        "destination_address_prefixes",
    )
    .unwrap_or_default();
    let mut m = Map::new();
    m.insert("name".into(), r.str_or("name", None));
    m.insert("direction".into(), direction);
    m.insert("action".into(), action);
    m.insert("priority".into(), r.int_or("priority", None));
    m.insert(
        "protocol".into(),
        r.get("protocol")
            .map_or_else(|| unknown("protocol (missing)"), protocol),
    );
    m.insert("ports".into(), ports);
    m.insert("sources".into(), Value::Array(sources));
    m.insert("destinations".into(), Value::Array(destinations));
    Value::Object(m)
}

/// The rules of a `google_compute_firewall`: one per `allow`/`deny` block.
pub(crate) fn gcp_firewall_rules(r: Raw<'_>) -> Value {
    let name = r.str_or("name", None);
    let direction = match r.get("direction") {
        None => json!("ingress"),
        Some(Value::String(s)) => Value::String(s.to_ascii_lowercase()),
        Some(v) if is_unknown(v) => v.clone(),
        Some(_) => unknown("direction (not a string)"),
    };
    let ingress = direction.as_str() != Some("egress");
    let priority = r.int_or("priority", Some(1000));
    let ranges = |key: &str| match r.get(key) {
        Some(Value::Array(a)) => Value::Array(a.iter().map(|v| to_string(v, key)).collect()),
        Some(v) if is_unknown(v) => v.clone(),
        Some(v) => Value::Array(vec![to_string(v, key)]),
        None => json!([]),
    };
    // With no source of any kind, an ingress rule applies to 0.0.0.0/0 (the
    // service default); likewise the destination of an egress rule.
    let sources = if ingress {
        let given = ["source_ranges", "source_tags", "source_service_accounts"]
            .iter()
            .any(|k| match r.get(k) {
                Some(Value::Array(a)) => !a.is_empty(),
                Some(_) => true,
                None => false,
            });
        if given {
            ranges("source_ranges")
        } else {
            json!(["0.0.0.0/0"])
        }
    } else {
        json!([])
    };
    let destinations = if !ingress && !r.has("destination_ranges") {
        json!(["0.0.0.0/0"])
    } else {
        ranges("destination_ranges")
    };
    let mut rules = Vec::new();
    for (block, action) in [("allow", "allow"), ("deny", "deny")] {
        let blocks = match r.blocks(block) {
            Ok(b) => b,
            Err(u) => {
                rules.push(u);
                continue;
            }
        };
        for b in blocks {
            let b = match b {
                Ok(b) => b,
                Err(u) => {
                    rules.push(u);
                    continue;
                }
            };
            let proto = b
                .get("protocol")
                .map_or_else(|| unknown("protocol (missing)"), protocol);
            let ports = match b.get("ports") {
                Some(Value::Array(a)) if !a.is_empty() => {
                    Value::Array(a.iter().map(port_range).collect())
                }
                Some(v) if is_unknown(v) => v.clone(),
                // No ports: every port of the protocol (none for ICMP and the like).
                _ => match proto.as_str() {
                    Some("tcp" | "udp" | "sctp" | "all") => json!([{"from": 0, "to": 65535}]),
                    Some(_) => json!([]),
                    None => proto.clone(),
                },
            };
            let mut m = Map::new();
            m.insert("name".into(), name.clone());
            m.insert("direction".into(), direction.clone());
            m.insert("action".into(), json!(action));
            m.insert("priority".into(), priority.clone());
            m.insert("protocol".into(), proto);
            m.insert("ports".into(), ports);
            m.insert("sources".into(), sources.clone());
            m.insert("destinations".into(), destinations.clone());
            rules.push(Value::Object(m));
        }
    }
    Value::Array(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn nsg_rules_normalize() {
        let m = raw(
            json!({"name": "ssh", "priority": 100, "direction": "Inbound", "access": "Allow",
            "protocol": "Tcp", "source_port_range": "*", "destination_port_range": "22",
            "source_address_prefix": "Internet", "destination_address_prefix": "*"}),
        );
        assert_eq!(
            nsg_rule(Raw(&m)),
            json!({"name": "ssh", "direction": "ingress", "action": "allow", "priority": 100,
                "protocol": "tcp", "ports": [{"from": 22, "to": 22}], "sources": ["Internet"],
                "destinations": ["*"]})
        );
        let many = raw(
            json!({"name": "r", "priority": 110, "direction": "Inbound", "access": "Deny",
            "protocol": "*", "destination_port_ranges": ["80", "1000-2000"],
            "source_address_prefixes": ["10.0.0.0/8", yagura_model::iac::unknown("var.cidr")]}),
        );
        let n = nsg_rule(Raw(&many));
        assert_eq!(n["protocol"], "all");
        assert_eq!(
            n["ports"],
            json!([{"from": 80, "to": 80}, {"from": 1000, "to": 2000}])
        );
        assert!(is_unknown(&n["sources"][1]));
    }

    #[test]
    fn gcp_firewall_defaults() {
        let m = raw(
            json!({"name": "fw", "network": "default", "allow": [{"protocol": "tcp", "ports": ["22", "8000-8080"]}, {"protocol": "icmp"}]}),
        );
        let rules = gcp_firewall_rules(Raw(&m));
        assert_eq!(rules[0]["sources"], json!(["0.0.0.0/0"]));
        assert_eq!(rules[0]["priority"], 1000);
        assert_eq!(
            rules[0]["ports"],
            json!([{"from": 22, "to": 22}, {"from": 8000, "to": 8080}])
        );
        assert_eq!(rules[1]["ports"], json!([]));
        let tagged =
            raw(json!({"name": "fw", "source_tags": ["web"], "deny": [{"protocol": "all"}]}));
        let rules = gcp_firewall_rules(Raw(&tagged));
        assert_eq!(rules[0]["sources"], json!([]));
        assert_eq!(rules[0]["action"], "deny");
        assert_eq!(rules[0]["ports"], json!([{"from": 0, "to": 65535}]));
    }
}
