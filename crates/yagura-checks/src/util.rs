//! Helpers shared by checks: policy documents, network rules, dates, names, and
//! the verdicts of checks that one boolean attribute decides.

use chrono::{DateTime, Utc};
use serde_json::Value;
use yagura_model::{Outcome, Resource};

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

/// The Allow statements of a policy document that are open to everyone with no
/// narrowing condition, with their positions in the document.
pub fn public_allow_statements(doc: &Value) -> Vec<(usize, Value)> {
    statements(doc)
        .into_iter()
        .enumerate()
        .filter(|(_, s)| is_allow(s) && principal_is_public(s) && !has_restricting_condition(s))
        .collect()
}

/// A resource policy that allows anyone without a narrowing condition.
pub fn policy_is_public(doc: &Value) -> bool {
    !public_allow_statements(doc).is_empty()
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

/// A resource's name for messages: its attribute `attr` (`user_name`, `key_id`,
/// ...) when observed, else the name it has in the inventory.
pub fn name_of<'a>(r: &'a Resource, attr: &'a str) -> &'a str {
    r.attr(attr).str().ok().flatten().unwrap_or(&r.name)
}

/// The verdict of a check that one boolean attribute decides: PASS with `pass`
/// when the attribute equals `want`, FAIL with `fail` when it does not, and
/// NOT_ASSESSED when it was not observed (an observed `null` reads as `false`).
pub fn flag_must_be(
    r: &Resource,
    attr: &str,
    want: bool,
    pass: impl Into<String>,
    fail: impl Into<String>,
) -> Outcome {
    match r.attr(attr).bool() {
        Ok(v) if v == want => Outcome::Pass(pass.into()),
        Ok(_) => Outcome::Fail(fail.into()),
        Err(e) => e.into(),
    }
}

/// Encryption at rest decided by the boolean `attr`. `encrypted` is the passing
/// text ("the volume is encrypted"); it names the `kms_key_id` when one was observed.
pub fn encrypted_flag(r: &Resource, attr: &str, encrypted: &str, fail: &str) -> Outcome {
    let pass = match r.attr("kms_key_id").str() {
        Ok(Some(key)) => format!("{encrypted} with {key}"),
        _ => encrypted.to_string(),
    };
    flag_must_be(r, attr, true, pass, fail)
}

/// Account- and region-level checks read other resources from the inventory. They
/// may only conclude when the collector says it saw that service completely:
/// the `aws.account` / `aws.region` attribute `observed` lists such services.
pub fn require_observed(r: &Resource, service: &str) -> Result<(), Outcome> {
    let seen = r
        .attributes
        .get("observed")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|s| s.as_str() == Some(service)));
    if seen {
        Ok(())
    } else {
        Err(Outcome::NotAssessed(format!(
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

    fn resource(attrs: Value) -> Resource {
        let mut r = Resource::new("aws.test.thing", "id-1", "thing-1");
        r.attributes = attrs;
        r
    }

    #[test]
    fn flags_decide_by_the_wanted_value() {
        let on = resource(json!({"f": true}));
        assert_eq!(
            flag_must_be(&on, "f", true, "good", "bad"),
            Outcome::Pass("good".into())
        );
        assert_eq!(
            flag_must_be(&on, "f", false, "good", "bad"),
            Outcome::Fail("bad".into())
        );
        // An observed null is an unset flag.
        let unset = resource(json!({"f": null}));
        assert_eq!(
            flag_must_be(&unset, "f", true, "good", "bad"),
            Outcome::Fail("bad".into())
        );
        assert_eq!(
            flag_must_be(&resource(json!({})), "f", true, "good", "bad"),
            Outcome::NotAssessed("attribute `f` was not observed".into())
        );
    }

    #[test]
    fn encryption_names_the_key_when_known() {
        let keyed = resource(json!({"encrypted": true, "kms_key_id": "k-1"}));
        assert_eq!(
            encrypted_flag(&keyed, "encrypted", "the disk is encrypted", "no"),
            Outcome::Pass("the disk is encrypted with k-1".into())
        );
        let unknown_key = resource(json!({"encrypted": true}));
        assert_eq!(
            encrypted_flag(&unknown_key, "encrypted", "the disk is encrypted", "no"),
            Outcome::Pass("the disk is encrypted".into())
        );
        let plain = resource(json!({"encrypted": false, "kms_key_id": null}));
        assert_eq!(
            encrypted_flag(&plain, "encrypted", "the disk is encrypted", "no"),
            Outcome::Fail("no".into())
        );
    }

    #[test]
    fn names_fall_back_to_the_inventory_name() {
        assert_eq!(name_of(&resource(json!({"n": "alice"})), "n"), "alice");
        assert_eq!(name_of(&resource(json!({"n": null})), "n"), "thing-1");
        assert_eq!(name_of(&resource(json!({})), "n"), "thing-1");
    }
}
