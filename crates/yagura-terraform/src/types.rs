//! Variable type constraints: the conversions Terraform applies to a variable's value
//! (`"5"` to a number, a list to a set) and `optional(type, default)` attributes of
//! object types, so `var.settings.enabled` is the default rather than an error.

use crate::eval::{Eval, NoRefs};
use crate::val::{as_f64, num, to_bool, to_str};
use hcl_edit::expr::{Expression, ObjectKey};
use serde_json::{Map, Value};
use std::cell::Cell;
use yagura_model::iac::is_unknown;

const MAX_DEPTH: usize = 32;

fn func_args(e: &Expression) -> Option<(&str, Vec<&Expression>)> {
    match e {
        Expression::FuncCall(f) => Some((f.name.name.value().as_str(), f.args.iter().collect())),
        _ => None,
    }
}

/// Converts `v` to the type expression `ty` where Terraform would; values that do not
/// fit are returned unchanged (the configuration is not validated here).
pub fn convert(v: Value, ty: &Expression) -> Value {
    conv(v, ty, 0)
}

fn conv(v: Value, ty: &Expression, depth: usize) -> Value {
    if depth > MAX_DEPTH || is_unknown(&v) || v.is_null() {
        return v;
    }
    match ty {
        Expression::Variable(t) => match t.value().as_str() {
            "string" => match &v {
                Value::Number(_) | Value::Bool(_) => to_str(&v).map(Value::String).unwrap_or(v),
                _ => v,
            },
            "number" => match &v {
                Value::String(_) => as_f64(&v).map(num).unwrap_or(v),
                _ => v,
            },
            "bool" => match &v {
                Value::String(_) => to_bool(&v).map(Value::Bool).unwrap_or(v),
                _ => v,
            },
            _ => v,
        },
        Expression::Parenthesis(p) => conv(v, p.inner(), depth + 1),
        _ => {
            let Some((name, args)) = func_args(ty) else {
                return v;
            };
            let Some(inner) = args.first() else { return v };
            match (name, v) {
                ("list", Value::Array(a)) => {
                    Value::Array(a.into_iter().map(|x| conv(x, inner, depth + 1)).collect())
                }
                ("set", Value::Array(a)) => {
                    let mut out: Vec<Value> = Vec::new();
                    for x in a {
                        let x = conv(x, inner, depth + 1);
                        if !out.contains(&x) {
                            out.push(x);
                        }
                    }
                    if out.iter().all(Value::is_string) {
                        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    }
                    Value::Array(out)
                }
                ("map", Value::Object(m)) => Value::Object(
                    m.into_iter()
                        .map(|(k, x)| (k, conv(x, inner, depth + 1)))
                        .collect(),
                ),
                ("tuple", Value::Array(a)) => match inner {
                    Expression::Array(types) => Value::Array(
                        a.into_iter()
                            .enumerate()
                            .map(|(i, x)| match types.get(i) {
                                Some(t) => conv(x, t, depth + 1),
                                None => x,
                            })
                            .collect(),
                    ),
                    _ => Value::Array(a),
                },
                ("object", Value::Object(m)) => object(m, inner, depth),
                ("optional", v) => conv(v, inner, depth + 1),
                (_, v) => v,
            }
        }
    }
}

/// An object type: converts known attributes, fills missing `optional` ones with
/// their default (or null).
fn object(mut m: Map<String, Value>, spec: &Expression, depth: usize) -> Value {
    let Expression::Object(o) = spec else {
        return Value::Object(m);
    };
    for (k, tv) in o.iter() {
        let key = match k {
            ObjectKey::Ident(i) => i.value().to_string(),
            ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
            ObjectKey::Expression(Expression::Variable(v)) => v.value().to_string(),
            ObjectKey::Expression(_) => continue,
        };
        let t = tv.expr();
        match m.remove(&key) {
            Some(x) if !x.is_null() => {
                m.insert(key, conv(x, t, depth + 1));
            }
            other => {
                // Absent (or null) optional attributes get their default.
                let filled = match func_args(t) {
                    Some(("optional", args)) => match (args.get(1), args.first()) {
                        (Some(d), Some(inner)) => {
                            let nr = NoRefs {
                                depth: Cell::new(0),
                            };
                            match Eval::new(&nr).eval(d, None) {
                                Ok(dv) => conv(dv, inner, depth + 1),
                                Err(_) => other.unwrap_or(Value::Null),
                            }
                        }
                        _ => other.unwrap_or(Value::Null),
                    },
                    _ => match other {
                        Some(x) => x,
                        // A required attribute missing is a Terraform error; keep it absent.
                        None => continue,
                    },
                };
                m.insert(key, filled);
            }
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ty(s: &str) -> Expression {
        hcl_edit::parser::parse_expr(s).unwrap()
    }

    #[test]
    fn converts_primitives_collections_and_optional_attributes() {
        assert_eq!(convert(json!("5"), &ty("number")), json!(5));
        assert_eq!(convert(json!(5), &ty("string")), json!("5"));
        assert_eq!(convert(json!("true"), &ty("bool")), json!(true));
        assert_eq!(
            convert(json!(["b", "a", "b"]), &ty("set(string)")),
            json!(["a", "b"])
        );
        assert_eq!(
            convert(
                json!({"name": "x"}),
                &ty("object({ name = string, enabled = optional(bool, true), extra = optional(string), port = optional(number) })")
            ),
            json!({"name": "x", "enabled": true, "extra": null, "port": null})
        );
        assert_eq!(
            convert(
                json!([{"a": "1"}]),
                &ty("list(object({ a = number, b = optional(list(string), []) }))")
            ),
            json!([{"a": 1, "b": []}])
        );
        let u = yagura_model::iac::unknown("var.x");
        assert_eq!(convert(u.clone(), &ty("number")), u);
    }
}
