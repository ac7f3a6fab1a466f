//! Helpers shared by checks: policy documents, network rules, dates.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// A JSON value that may be a single item or a list, as in IAM policy documents.
pub fn one_or_many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => vec![],
        other => vec![other],
    }
}

/// The statements of an IAM-style policy document (the document itself may be a
/// JSON string, as AWS returns it URL-decoded).
pub fn statements(doc: &Value) -> Vec<Value> {
    let parsed;
    let doc = match doc {
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
            &parsed
        }
        other => other,
    };
    one_or_many(doc.get("Statement").unwrap_or(&Value::Null))
        .into_iter()
        .cloned()
        .collect()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.map(one_or_many)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

pub fn is_allow(stmt: &Value) -> bool {
    stmt.get("Effect").and_then(Value::as_str) == Some("Allow")
}

pub fn actions(stmt: &Value) -> Vec<String> {
    strings(stmt.get("Action"))
}

pub fn resources(stmt: &Value) -> Vec<String> {
    strings(stmt.get("Resource"))
}

/// Whether a statement's principal is everyone (`*` or `{"AWS": "*"}`).
pub fn principal_is_public(stmt: &Value) -> bool {
    match stmt.get("Principal") {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(m)) => m
            .values()
            .any(|v| one_or_many(v).iter().any(|p| p.as_str() == Some("*"))),
        _ => false,
    }
}

/// Whether a statement has conditions that narrow who it applies to (any condition
/// on source account, org, VPC, IP, ARN or principal).
pub fn has_restricting_condition(stmt: &Value) -> bool {
    const KEYS: &[&str] = &[
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:principalorgid",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:principalorgpaths",
        "aws:userid",
    ];
    let Some(Value::Object(ops)) = stmt.get("Condition") else {
        return false;
    };
    ops.values().any(|kv| match kv {
        Value::Object(m) => m
            .keys()
            .any(|k| KEYS.contains(&k.to_ascii_lowercase().as_str())),
        _ => false,
    })
}

/// A resource policy that allows anyone without a narrowing condition.
pub fn policy_is_public(doc: &Value) -> bool {
    statements(doc)
        .iter()
        .any(|s| is_allow(s) && principal_is_public(s) && !has_restricting_condition(s))
}

/// Whether `port` falls in an IP permission's range (protocol `-1` is all traffic).
pub fn rule_covers_port(rule: &Value, port: i64) -> bool {
    let proto = rule.get("protocol").and_then(Value::as_str).unwrap_or("");
    if proto == "-1" || proto == "all" {
        return true;
    }
    if proto != "tcp" && proto != "6" && proto != "udp" && proto != "17" {
        return false;
    }
    let from = rule.get("from_port").and_then(Value::as_i64);
    let to = rule.get("to_port").and_then(Value::as_i64);
    match (from, to) {
        (Some(f), Some(t)) => (f == -1 && t == -1) || (f <= port && port <= t),
        _ => true,
    }
}

pub const WORLD_V4: &str = "0.0.0.0/0";
pub const WORLD_V6: &str = "::/0";

/// Remote administration ports as CIS means them: SSH and RDP.
pub const ADMIN_PORTS: &[i64] = &[22, 3389];

/// Days between `then` and `now` (negative if `then` is in the future).
pub fn days_since(then: &str, now: DateTime<Utc>) -> Option<i64> {
    let t = DateTime::parse_from_rfc3339(then).ok()?;
    Some((now - t.with_timezone(&Utc)).num_days())
}

/// Account- and region-level checks read other resources from the inventory. They
/// may only conclude when the collector says it saw that service completely:
/// the `aws.account` / `aws.region` attribute `observed` lists such services.
pub fn require_observed(
    r: &yagura_model::Resource,
    service: &str,
) -> Result<(), yagura_model::Outcome> {
    let seen = r
        .attributes
        .get("observed")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|s| s.as_str() == Some(service)));
    if seen {
        Ok(())
    } else {
        Err(yagura_model::Outcome::NotAssessed(format!(
            "the {service} inventory of this account was not collected"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn public_policy_detection() {
        let p = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:GetObject"}]});
        assert!(policy_is_public(&p));
        let c = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
            "Condition": {"StringEquals": {"aws:SourceAccount": "1"}}}]});
        assert!(!policy_is_public(&c));
        let s = json!(serde_json::to_string(&p).unwrap());
        assert!(policy_is_public(&s));
    }

    #[test]
    fn port_ranges() {
        assert!(rule_covers_port(&json!({"protocol": "-1"}), 22));
        assert!(rule_covers_port(
            &json!({"protocol": "tcp", "from_port": 0, "to_port": 65535}),
            3389
        ));
        assert!(!rule_covers_port(
            &json!({"protocol": "tcp", "from_port": 80, "to_port": 80}),
            22
        ));
        assert!(!rule_covers_port(
            &json!({"protocol": "icmp", "from_port": -1, "to_port": -1}),
            22
        ));
    }
}
