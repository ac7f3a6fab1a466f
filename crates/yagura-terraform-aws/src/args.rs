//! Reading evaluated Terraform arguments into normalized values.
//!
//! Terraform treats an argument set to `null` like one not written, so both read as
//! "absent" and take the provider default. A value unknown until apply is copied as
//! its marker, never replaced by a guess.

use serde_json::{json, Map, Value};
use yagura_model::iac::{is_unknown, unknown, unknown_reason, unknown_ref_address};

pub(crate) type Attrs = Map<String, Value>;

/// An argument as written; `None` when absent or `null`.
pub(crate) fn arg<'a>(a: &'a Attrs, key: &str) -> Option<&'a Value> {
    match a.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => Some(v),
    }
}

/// A value that cannot be read as the expected type. Terraform would reject it, so
/// nothing can be concluded: it becomes unknown, naming what was written.
fn unreadable(key: &str, v: &Value) -> Value {
    unknown(format!("{key} = {v}"))
}

pub(crate) fn to_bool(key: &str, v: &Value) -> Value {
    match v {
        Value::Bool(b) => json!(b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => json!(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => json!(false),
        v if is_unknown(v) => v.clone(),
        other => unreadable(key, other),
    }
}

/// A boolean argument with the provider default when not written.
pub(crate) fn bool_or(a: &Attrs, key: &str, default: bool) -> Value {
    arg(a, key).map_or(json!(default), |v| to_bool(key, v))
}

pub(crate) fn to_int(key: &str, v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => json!(i),
            None => n
                .as_f64()
                .map_or_else(|| unreadable(key, v), |f| json!(f as i64)),
        },
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map_or_else(|_| unreadable(key, v), |i| json!(i)),
        v if is_unknown(v) => v.clone(),
        other => unreadable(key, other),
    }
}

/// An integer argument; `default` `None` means "not set" (`null`).
pub(crate) fn int_or(a: &Attrs, key: &str, default: Option<i64>) -> Value {
    arg(a, key).map_or(json!(default), |v| to_int(key, v))
}

pub(crate) fn to_str(key: &str, v: &Value) -> Value {
    match v {
        Value::String(s) => json!(s),
        Value::Number(n) => json!(n.to_string()),
        Value::Bool(b) => json!(b.to_string()),
        v if is_unknown(v) => v.clone(),
        other => unreadable(key, other),
    }
}

/// A string argument; an empty string counts as not written (plan JSON writes
/// unset optional strings as `""`).
pub(crate) fn str_or(a: &Attrs, key: &str, default: Option<&str>) -> Value {
    match arg(a, key) {
        Some(Value::String(s)) if s.is_empty() => json!(default),
        Some(v) => to_str(key, v),
        None => json!(default),
    }
}

/// A string argument that is written and known.
pub(crate) fn known_str<'a>(a: &'a Attrs, key: &str) -> Option<&'a str> {
    match arg(a, key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
        _ => None,
    }
}

/// A string that may be a reference whose *presence* decides a check (a KMS key,
/// a log group). A reference to another resource's attribute is certain to hold
/// a value after apply, so it is named by its expression; an unknown without a
/// referenced resource (a variable with no value) stays unknown, as it may be null.
pub(crate) fn present(v: Option<&Value>, key: &str) -> Value {
    match v {
        None => Value::Null,
        Some(Value::String(s)) if s.is_empty() => Value::Null,
        Some(v) if is_unknown(v) => match (unknown_ref_address(v), unknown_reason(v)) {
            (Some(_), Some(expr)) => json!(expr),
            _ => v.clone(),
        },
        Some(v) => to_str(key, v),
    }
}

pub(crate) fn present_arg(a: &Attrs, key: &str) -> Value {
    present(arg(a, key), key)
}

/// A list of strings; a single string counts as a one-element list.
pub(crate) fn str_list(a: &Attrs, key: &str) -> Value {
    match arg(a, key) {
        None => json!([]),
        Some(Value::Array(items)) => Value::Array(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| to_str(key, v))
                .collect(),
        ),
        Some(v) if is_unknown(v) => v.clone(),
        Some(v) => json!([to_str(key, v)]),
    }
}

/// Nested blocks (arrays of objects). `Err(marker)` when the whole list is unknown
/// (a dynamic block over an unknown collection).
pub(crate) fn blocks<'a>(a: &'a Attrs, key: &str) -> Result<Vec<&'a Attrs>, Value> {
    match arg(a, key) {
        None => Ok(Vec::new()),
        Some(v) if is_unknown(v) => Err(v.clone()),
        Some(Value::Object(m)) => Ok(vec![m]),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for it in items {
                match it {
                    Value::Object(m) if is_unknown(it) => return Err(Value::Object(m.clone())),
                    Value::Object(m) => out.push(m),
                    Value::Null => {}
                    other => return Err(unreadable(key, other)),
                }
            }
            Ok(out)
        }
        Some(other) => Err(unreadable(key, other)),
    }
}

/// The first block of a single-block argument.
pub(crate) fn block<'a>(a: &'a Attrs, key: &str) -> Result<Option<&'a Attrs>, Value> {
    blocks(a, key).map(|b| b.into_iter().next())
}

/// The first unknown marker inside `v`, depth first.
pub(crate) fn first_unknown(v: &Value) -> Option<Value> {
    match v {
        v if is_unknown(v) => Some(v.clone()),
        Value::Object(m) => m.values().find_map(first_unknown),
        Value::Array(a) => a.iter().find_map(first_unknown),
        _ => None,
    }
}

/// Checks read nested objects with plain lookups, which would take an unknown
/// member for "not set"; such an object is replaced by its first unknown so the
/// whole attribute reads as unknown.
pub(crate) fn hoist(v: Value) -> Value {
    first_unknown(&v).unwrap_or(v)
}

/// The tags of a resource: known string values only.
pub(crate) fn tags(a: &Attrs) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(Value::Object(m)) = arg(a, "tags") {
        if is_unknown(&Value::Object(m.clone())) {
            return out;
        }
        for (k, v) in m {
            match v {
                Value::String(s) => {
                    out.insert(k.clone(), s.clone());
                }
                Value::Number(_) | Value::Bool(_) => {
                    out.insert(k.clone(), v.to_string());
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use yagura_model::iac::unknown_ref;

    fn attrs(v: Value) -> Attrs {
        match v {
            Value::Object(m) => m,
            _ => Attrs::new(),
        }
    }

    #[test]
    fn defaults_nulls_and_unknowns() {
        let a =
            attrs(json!({"x": null, "y": "true", "z": {"$unknown": "var.z"}, "n": "30", "s": ""}));
        assert_eq!(bool_or(&a, "x", true), json!(true));
        assert_eq!(bool_or(&a, "y", false), json!(true));
        assert_eq!(bool_or(&a, "z", false), unknown("var.z"));
        assert_eq!(int_or(&a, "n", None), json!(30));
        assert_eq!(int_or(&a, "missing", None), Value::Null);
        assert_eq!(str_or(&a, "s", Some("d")), json!("d"));
        assert!(is_unknown(&bool_or(&attrs(json!({"b": [1]})), "b", false)));
    }

    #[test]
    fn presence_of_references() {
        let r = unknown_ref("aws_kms_key.k.arn", "aws_kms_key.k");
        assert_eq!(present(Some(&r), "k"), json!("aws_kms_key.k.arn"));
        let v = unknown("var.key");
        assert_eq!(present(Some(&v), "k"), v);
        assert_eq!(present(None, "k"), Value::Null);
    }

    #[test]
    fn hoisting_and_blocks() {
        let v = json!({"a": true, "b": {"$unknown": "var.b"}});
        assert_eq!(hoist(v), unknown("var.b"));
        let a = attrs(json!({"r": [{"x": 1}, {"x": 2}], "u": {"$unknown": "dyn"}, "o": {"x": 3}}));
        assert_eq!(blocks(&a, "r").map(|b| b.len()), Ok(2));
        assert_eq!(blocks(&a, "u"), Err(unknown("dyn")));
        assert_eq!(
            block(&a, "o").ok().flatten().and_then(|m| m.get("x")),
            Some(&json!(3))
        );
        assert_eq!(blocks(&a, "none").map(|b| b.len()), Ok(0));
    }
}
