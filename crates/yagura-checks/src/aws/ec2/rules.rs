//! Helpers for security-group IP-permission rules (see docs/resource-model.md).

use crate::util::{rule_covers_port, ADMIN_PORTS, WORLD_V4, WORLD_V6};
use serde_json::Value;
use yagura_model::{Outcome, Resource};

fn strs<'a>(rule: &'a Value, key: &str) -> Vec<&'a str> {
    rule.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The "whole internet" sources of a rule: `0.0.0.0/0` and/or `::/0`.
pub(crate) fn world_sources(rule: &Value) -> Vec<&'static str> {
    let mut out = Vec::new();
    if strs(rule, "cidrs_v4").contains(&WORLD_V4) {
        out.push(WORLD_V4);
    }
    if strs(rule, "cidrs_v6").contains(&WORLD_V6) {
        out.push(WORLD_V6);
    }
    out
}

fn protocol(rule: &Value) -> &str {
    rule.get("protocol").and_then(Value::as_str).unwrap_or("?")
}

/// Whether a rule admits every protocol and port.
pub(crate) fn is_all_traffic(rule: &Value) -> bool {
    matches!(protocol(rule), "-1" | "all")
}

/// Whether a TCP or UDP rule spans every port (0-65535).
pub(crate) fn is_full_port_range(rule: &Value) -> bool {
    let from = rule.get("from_port").and_then(Value::as_i64);
    let to = rule.get("to_port").and_then(Value::as_i64);
    matches!(protocol(rule), "tcp" | "6" | "udp" | "17")
        && from.unwrap_or(0) <= 0
        && to.unwrap_or(65535) >= 65535
}

/// A rule in words: `tcp 22 from 0.0.0.0/0, sg-1`.
pub(crate) fn describe(rule: &Value, direction: &str) -> String {
    let proto = protocol(rule);
    let what = if is_all_traffic(rule) {
        "all traffic".to_string()
    } else {
        let name = match proto {
            "6" => "tcp",
            "17" => "udp",
            "1" => "icmp",
            other => other,
        };
        let from = rule.get("from_port").and_then(Value::as_i64);
        let to = rule.get("to_port").and_then(Value::as_i64);
        match (from, to) {
            (Some(f), Some(t)) if f == t && f >= 0 => format!("{name} {f}"),
            (Some(f), Some(t)) if f >= 0 => format!("{name} {f}-{t}"),
            _ => name.to_string(),
        }
    };
    let mut peers: Vec<&str> = strs(rule, "cidrs_v4");
    peers.extend(strs(rule, "cidrs_v6"));
    peers.extend(strs(rule, "source_groups"));
    if peers.is_empty() {
        what
    } else {
        format!("{what} {direction} {}", peers.join(", "))
    }
}

/// The SSH/RDP exposure checks, one per address family: which of the admin ports
/// the ingress rules open to `world` (`0.0.0.0/0` or `::/0`) listed under `key`
/// (`cidrs_v4` or `cidrs_v6`).
pub(crate) fn admin_ports_open_to(r: &Resource, key: &str, world: &str) -> Outcome {
    let rules = match r.attr("ingress").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let mut open = Vec::new();
    for rule in rules.iter().filter(|rule| strs(rule, key).contains(&world)) {
        for &port in ADMIN_PORTS {
            if rule_covers_port(rule, port) && !open.contains(&port) {
                open.push(port);
            }
        }
    }
    if open.is_empty() {
        Outcome::Pass(format!("no ingress from {world} to ports 22 or 3389"))
    } else {
        let ports: Vec<String> = open.iter().map(i64::to_string).collect();
        Outcome::Fail(format!(
            "ingress from {world} allowed to port(s) {}",
            ports.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn describes_rules() {
        let r = json!({"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": ["::/0"]});
        assert_eq!(describe(&r, "from"), "tcp 22 from 0.0.0.0/0, ::/0");
        assert_eq!(world_sources(&r), vec![WORLD_V4, WORLD_V6]);
        let all = json!({"protocol": "-1", "from_port": null, "to_port": null, "source_groups": ["sg-1"]});
        assert_eq!(describe(&all, "to"), "all traffic to sg-1");
        assert!(is_all_traffic(&all));
        let full = json!({"protocol": "tcp", "from_port": 0, "to_port": 65535});
        assert!(is_full_port_range(&full));
        assert!(!is_full_port_range(&r));
    }

    #[test]
    fn admin_ports_per_address_family() {
        let mut r = Resource::new("aws.ec2.security_group", "sg-1", "sg-1");
        r.attributes = json!({"ingress": [
            {"protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []},
            {"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": [], "cidrs_v6": ["::/0"]}
        ]});
        assert_eq!(
            admin_ports_open_to(&r, "cidrs_v4", WORLD_V4),
            Outcome::Fail("ingress from 0.0.0.0/0 allowed to port(s) 3389".into())
        );
        assert_eq!(
            admin_ports_open_to(&r, "cidrs_v6", WORLD_V6),
            Outcome::Fail("ingress from ::/0 allowed to port(s) 22, 3389".into())
        );
        r.attributes = json!({"ingress": []});
        assert_eq!(
            admin_ports_open_to(&r, "cidrs_v6", WORLD_V6),
            Outcome::Pass("no ingress from ::/0 to ports 22 or 3389".into())
        );
    }
}
