//! SQL server firewall rules: `{"name", "start_ip", "end_ip"}` (IPv4 dotted quads).

use serde_json::Value;
use yagura_model::{Outcome, Resource};

fn ipv4(s: &str) -> Option<u32> {
    s.trim().parse::<std::net::Ipv4Addr>().ok().map(u32::from)
}

/// Evaluates the firewall rules with `bad(start, end)`: FAIL naming the matching
/// rules, NOT_ASSESSED when a rule's addresses are unknown, else PASS with `pass`.
/// A server with public network access disabled ignores its firewall rules.
pub(crate) fn evaluate(r: &Resource, bad: fn(u32, u32) -> bool, what: &str, pass: &str) -> Outcome {
    if let Ok(false) = r.attr("public_network_access").bool() {
        return Outcome::Pass(
            "public network access is disabled, so firewall rules admit nothing".into(),
        );
    }
    let rules = match r.attr("firewall_rules").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let mut hits = Vec::new();
    let mut unknown = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let name = rule
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{}", i + 1));
        let start = rule.get("start_ip").and_then(Value::as_str).and_then(ipv4);
        let end = rule.get("end_ip").and_then(Value::as_str).and_then(ipv4);
        match (start, end) {
            (Some(s), Some(e)) if bad(s, e) => hits.push(name),
            (Some(_), Some(_)) => {}
            // Unparseable or unknown addresses leave the rule undecided.
            _ => unknown.push(name),
        }
    }
    if !hits.is_empty() {
        Outcome::Fail(format!("firewall rule(s) {} {what}", hits.join(", ")))
    } else if !unknown.is_empty() {
        Outcome::NotAssessed(format!(
            "the address range of firewall rule(s) {} is unknown until apply",
            unknown.join(", ")
        ))
    } else {
        Outcome::Pass(pass.to_string())
    }
}
