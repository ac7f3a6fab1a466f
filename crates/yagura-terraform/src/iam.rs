//! Renders `data "aws_iam_policy_document"` to the IAM JSON policy string the AWS
//! provider produces, so checks can read policies written in HCL.

use serde_json::{Map, Value};
use yagura_model::iac::contains_unknown;

fn strs(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(crate::val::to_str).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// One value stays a string; several become a list, in the provider's (reverse
/// sorted) order.
fn string_or_list(mut v: Vec<String>) -> Value {
    v.dedup();
    if v.len() == 1 {
        return Value::String(v.remove(0));
    }
    v.sort_by(|a, b| b.cmp(a));
    v.dedup();
    Value::Array(v.into_iter().map(Value::String).collect())
}

fn blocks(v: Option<&Value>) -> Vec<&Map<String, Value>> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

fn principals(list: Vec<&Map<String, Value>>) -> Option<Value> {
    if list.is_empty() {
        return None;
    }
    let mut by_type: Vec<(String, Vec<String>)> = Vec::new();
    for p in list {
        let ty = p
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let ids = strs(p.get("identifiers"));
        match by_type.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, v)) => v.extend(ids),
            None => by_type.push((ty, ids)),
        }
    }
    if let [(t, ids)] = by_type.as_slice() {
        if t == "*" && ids.iter().all(|i| i == "*") {
            return Some(Value::String("*".into()));
        }
    }
    let mut m = Map::new();
    for (t, ids) in by_type {
        m.insert(t, string_or_list(ids));
    }
    Some(Value::Object(m))
}

/// A condition variable and its values.
type VarValues = (String, Vec<String>);

fn statement(s: &Map<String, Value>) -> Value {
    let mut m = Map::new();
    if let Some(sid) = s
        .get("sid")
        .and_then(Value::as_str)
        .filter(|x| !x.is_empty())
    {
        m.insert("Sid".into(), Value::String(sid.into()));
    }
    let effect = s.get("effect").and_then(Value::as_str).unwrap_or("Allow");
    m.insert("Effect".into(), Value::String(effect.into()));
    for (k, json) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let v = strs(s.get(k));
        if !v.is_empty() {
            m.insert(json.into(), string_or_list(v));
        }
    }
    if let Some(p) = principals(blocks(s.get("principals"))) {
        m.insert("Principal".into(), p);
    }
    if let Some(p) = principals(blocks(s.get("not_principals"))) {
        m.insert("NotPrincipal".into(), p);
    }
    let conds = blocks(s.get("condition"));
    if !conds.is_empty() {
        // Values of the same test and variable are merged, like the provider does.
        let mut grouped: Vec<(String, Vec<VarValues>)> = Vec::new();
        for c in conds {
            let test = c
                .get("test")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let var = c
                .get("variable")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let vals = strs(c.get("values"));
            let pos = match grouped.iter().position(|(t, _)| *t == test) {
                Some(p) => p,
                None => {
                    grouped.push((test, Vec::new()));
                    grouped.len() - 1
                }
            };
            let vars = &mut grouped[pos].1;
            match vars.iter_mut().find(|(v, _)| *v == var) {
                Some((_, existing)) => existing.extend(vals),
                None => vars.push((var, vals)),
            }
        }
        let mut cm: Map<String, Value> = Map::new();
        for (test, vars) in grouped {
            let tm: Map<String, Value> = vars
                .into_iter()
                .map(|(v, vals)| (v, string_or_list(vals)))
                .collect();
            cm.insert(test, Value::Object(tm));
        }
        m.insert("Condition".into(), Value::Object(cm));
    }
    Value::Object(m)
}

fn sid_of(v: &Value) -> Option<&str> {
    v.get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Statements of policy JSON strings (`source_policy_documents`, ...).
fn doc_statements(docs: &[String]) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    for d in docs {
        let v: Value = serde_json::from_str(d).ok()?;
        match v.get("Statement") {
            Some(Value::Array(a)) => out.extend(a.iter().cloned()),
            Some(o @ Value::Object(_)) => out.push(o.clone()),
            _ => {}
        }
    }
    Some(out)
}

/// Adds `s`, replacing a statement with the same Sid.
fn merge_in(list: &mut Vec<Value>, s: Value) {
    if let Some(sid) = sid_of(&s).map(str::to_string) {
        if let Some(slot) = list.iter_mut().find(|x| sid_of(x) == Some(sid.as_str())) {
            *slot = s;
            return;
        }
    }
    list.push(s);
}

/// The policy JSON, or `None` when any input is unknown.
pub fn render(attrs: &Map<String, Value>) -> Option<String> {
    for k in [
        "statement",
        "version",
        "policy_id",
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ] {
        if attrs.get(k).is_some_and(contains_unknown) {
            return None;
        }
    }
    let mut sources = strs(attrs.get("source_policy_documents"));
    sources.extend(strs(attrs.get("source_json")));
    let mut overrides = strs(attrs.get("override_policy_documents"));
    overrides.extend(strs(attrs.get("override_json")));
    let mut stmts = doc_statements(&sources)?;
    for s in blocks(attrs.get("statement")) {
        merge_in(&mut stmts, statement(s));
    }
    for s in doc_statements(&overrides)? {
        merge_in(&mut stmts, s);
    }
    let mut doc = Map::new();
    let version = attrs
        .get("version")
        .and_then(Value::as_str)
        .unwrap_or("2012-10-17");
    doc.insert("Version".into(), Value::String(version.into()));
    if let Some(id) = attrs.get("policy_id").and_then(Value::as_str) {
        doc.insert("Id".into(), Value::String(id.into()));
    }
    doc.insert("Statement".into(), Value::Array(stmts));
    serde_json::to_string_pretty(&Value::Object(doc)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_statements_like_the_provider() {
        let attrs = json!({"statement": [{
            "sid": "Read",
            "actions": ["s3:GetObject", "s3:ListBucket"],
            "resources": ["arn:aws:s3:::b/*"],
            "principals": [{"type": "*", "identifiers": ["*"]}],
            "condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]
        }, {"effect": "Deny", "not_actions": ["iam:*"], "not_resources": ["*"],
            "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]}]}]});
        let out: Value =
            serde_json::from_str(&render(attrs.as_object().unwrap()).unwrap()).unwrap();
        assert_eq!(
            out,
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "Read", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"],
                 "Resource": "arn:aws:s3:::b/*", "Principal": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*",
                 "Principal": {"AWS": "arn:aws:iam::1:root"}}
            ]})
        );
        let u = json!({"statement": [{"actions": [yagura_model::iac::unknown("var.a")]}]});
        assert_eq!(render(u.as_object().unwrap()), None);
    }
}
