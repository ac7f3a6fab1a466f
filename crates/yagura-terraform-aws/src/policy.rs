//! IAM-style policy documents written in Terraform: `jsonencode(...)`, heredoc
//! JSON, or a rendered `data.aws_iam_policy_document`. The schema wants parsed
//! objects.

use crate::args::{arg, blocks, known_str, str_list, Attrs};
use crate::index::{Index, Target};
use serde_json::{json, Map, Value};
use yagura_model::iac::{is_unknown, unknown_reason, RawResource};

/// The keys of a statement whose values only name resources: an unknown there (a
/// bucket ARN known after apply) does not change who is allowed what, so it is
/// kept as its expression text, which still shows the `/*` suffix checks look for.
const RESOURCE_KEYS: [&str; 2] = ["Resource", "NotResource"];

/// A policy argument as the schema wants it: an object, `null` when not written,
/// the unknown marker when it cannot be known. A string that is not JSON stays a
/// string, which checks report as unreadable.
pub(crate) fn document(ix: &Index, from: &RawResource, v: Option<&Value>) -> Value {
    // A rendered policy document is unknown as soon as one of its values is (a
    // bucket ARN); the statements are rebuilt from the data source so that only
    // the unknown parts stay unknown.
    if let Some(m) = v.filter(|v| is_unknown(v)) {
        if let Target::Res(j) = ix.target(Some(m), from) {
            let d = &ix.raw[j];
            if d.type_name == "aws_iam_policy_document" {
                if let Some(doc) = render(&d.attributes) {
                    return settle(doc);
                }
            }
        }
    }
    parse(v)
}

/// A list argument as the provider renders it: a single value stays a string.
fn one_or_list(v: Value) -> Value {
    match v {
        Value::Array(mut a) if a.len() == 1 => a.remove(0),
        other => other,
    }
}

fn principals(blocks: Vec<&Attrs>) -> Option<Value> {
    if blocks.is_empty() {
        return None;
    }
    let mut m = Map::new();
    for b in blocks {
        let kind = known_str(b, "type").unwrap_or("AWS");
        let ids = str_list(b, "identifiers");
        if kind == "*" {
            return Some(json!("*"));
        }
        match (m.get_mut(kind), ids) {
            (Some(Value::Array(have)), Value::Array(more)) => have.extend(more),
            (_, ids) => {
                m.insert(kind.to_string(), ids);
            }
        }
    }
    Some(Value::Object(
        m.into_iter().map(|(k, v)| (k, one_or_list(v))).collect(),
    ))
}

/// The JSON the provider renders for `data "aws_iam_policy_document"`; `None`
/// when it merges other documents, which this does not reproduce.
fn render(a: &Attrs) -> Option<Value> {
    if arg(a, "source_policy_documents").is_some() || arg(a, "override_policy_documents").is_some()
    {
        return None;
    }
    let mut stmts = Vec::new();
    for s in blocks(a, "statement").ok()? {
        let mut st = Map::new();
        if let Some(sid) = arg(s, "sid") {
            st.insert("Sid".into(), sid.clone());
        }
        st.insert(
            "Effect".into(),
            arg(s, "effect").cloned().unwrap_or(json!("Allow")),
        );
        for (key, out) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if arg(s, key).is_some() {
                st.insert(out.into(), one_or_list(str_list(s, key)));
            }
        }
        for (key, out) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            if let Some(p) = principals(blocks(s, key).ok()?) {
                st.insert(out.into(), p);
            }
        }
        let conds = blocks(s, "condition").ok()?;
        if !conds.is_empty() {
            let mut c = Map::new();
            for cond in conds {
                let test = known_str(cond, "test")?.to_string();
                let var = known_str(cond, "variable")?.to_string();
                let e = c.entry(test).or_insert_with(|| json!({}));
                if let Value::Object(m) = e {
                    m.insert(var, one_or_list(str_list(cond, "values")));
                }
            }
            st.insert("Condition".into(), Value::Object(c));
        }
        stmts.push(Value::Object(st));
    }
    Some(
        json!({"Version": arg(a, "version").cloned().unwrap_or(json!("2012-10-17")), "Statement": stmts}),
    )
}

fn parse(v: Option<&Value>) -> Value {
    match v {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(s)) if s.trim().is_empty() => Value::Null,
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(doc @ Value::Object(_)) => settle(doc),
            _ => json!(s),
        },
        Some(v) if is_unknown(v) => v.clone(),
        Some(doc @ Value::Object(_)) => settle(doc.clone()),
        Some(other) => json!(other.to_string()),
    }
}

fn label(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(label).collect()),
        v if is_unknown(v) => json!(unknown_reason(v).unwrap_or("(unknown)")),
        other => other.clone(),
    }
}

/// Resource names that are unknown become labels; any other unknown part makes
/// the whole document unknown, since it may decide who gets access.
fn settle(mut doc: Value) -> Value {
    if let Some(Value::Array(stmts)) = doc.get_mut("Statement") {
        for s in stmts.iter_mut() {
            settle_statement(s);
        }
    } else if let Some(s) = doc.get_mut("Statement") {
        settle_statement(s);
    }
    crate::args::hoist(doc)
}

fn settle_statement(s: &mut Value) {
    if let Value::Object(m) = s {
        for k in RESOURCE_KEYS {
            if let Some(v) = m.get_mut(k) {
                *v = label(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yagura_model::iac::unknown;

    fn document(v: Option<&Value>) -> Value {
        parse(v)
    }

    #[test]
    fn strings_objects_and_unknowns() {
        let s = json!(
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}"#
        );
        assert_eq!(document(Some(&s))["Statement"][0]["Principal"], json!("*"));
        assert_eq!(document(None), Value::Null);
        assert_eq!(document(Some(&json!(""))), Value::Null);
        assert_eq!(document(Some(&json!("{oops"))), json!("{oops"));
        let u = unknown("data.aws_iam_policy_document.p.json");
        assert_eq!(document(Some(&u)), u);
    }

    #[test]
    fn unknown_resources_are_labels_but_principals_hoist() {
        let d = json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [unknown("aws_s3_bucket.b.arn"), unknown("${aws_s3_bucket.b.arn}/*")]}]});
        let out = document(Some(&d));
        assert_eq!(
            out["Statement"][0]["Resource"][1],
            json!("${aws_s3_bucket.b.arn}/*")
        );
        let p = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": unknown("var.who")}, "Action": "s3:*"}]});
        assert_eq!(document(Some(&p)), unknown("var.who"));
    }
}
