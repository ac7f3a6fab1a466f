//! Helpers over `serde_json::Value`, the value type of the evaluator. Unknown values are
//! the `{"$unknown": ..}` marker of `yagura_model::iac`, so evaluated values can be
//! copied into `RawResource::attributes` as they are.

use serde_json::{Map, Number, Value};
use yagura_model::iac::{unknown, unknown_ref, unknown_ref_address, UNKNOWN_KEY};

pub type EvalResult = Result<Value, String>;

/// A JSON number from an `f64`, as an integer when it has no fraction so that
/// `count = 2` and `length(x)` print as `2`, not `2.0`.
pub fn num(f: f64) -> Value {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

pub fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn num_to_string(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        (f as i64).to_string()
    } else {
        f.to_string()
    }
}

/// Terraform's conversion of a primitive to string.
pub fn to_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(num_to_string(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// Equality as Terraform sees it: numbers by value, `"1"` is not `1`.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// Collects the `$ref` addresses of every unknown inside `v`.
fn collect_refs<'a>(v: &'a Value, refs: &mut Vec<&'a str>, any_plain: &mut bool, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Object(m) if m.contains_key(UNKNOWN_KEY) => match unknown_ref_address(v) {
            Some(r) => {
                if !refs.contains(&r) {
                    refs.push(r)
                }
            }
            None => *any_plain = true,
        },
        Value::Object(m) => m
            .values()
            .for_each(|x| collect_refs(x, refs, any_plain, depth + 1)),
        Value::Array(a) => a
            .iter()
            .for_each(|x| collect_refs(x, refs, any_plain, depth + 1)),
        _ => {}
    }
}

/// The unknown result of `text` computed from `inputs`: it keeps a `$ref` when every
/// unknown input points at the same resource (`"${aws_s3_bucket.b.arn}/*"`), so adapters
/// can still join on it.
pub fn unknown_from(text: &str, inputs: &[&Value]) -> Value {
    let mut refs = Vec::new();
    let mut plain = false;
    for v in inputs {
        collect_refs(v, &mut refs, &mut plain, 0);
    }
    if refs.len() == 1 && !plain {
        unknown_ref(text, refs[0])
    } else {
        unknown(text)
    }
}

pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

pub fn obj(pairs: Vec<(String, Value)>) -> Value {
    Value::Object(pairs.into_iter().collect::<Map<String, Value>>())
}

/// Largest value (about its memory: string bytes plus 32 per node) an expression may produce: doubling
/// a string through a chain of locals must fail early rather than exhaust memory.
pub const MAX_VALUE_SIZE: usize = 8 * 1024 * 1024;

/// True when `v` is larger than [`MAX_VALUE_SIZE`]; stops counting as soon as it is.
pub fn too_big(v: &Value) -> bool {
    fn walk(v: &Value, budget: &mut usize) -> bool {
        let cost = match v {
            Value::String(s) => s.len() + 32,
            _ => 32,
        };
        if cost > *budget {
            return true;
        }
        *budget -= cost;
        match v {
            Value::Array(a) => a.iter().any(|x| walk(x, budget)),
            Value::Object(m) => m.iter().any(|(k, x)| {
                if k.len() > *budget {
                    return true;
                }
                *budget -= k.len();
                walk(x, budget)
            }),
            _ => false,
        }
    }
    let mut budget = MAX_VALUE_SIZE;
    walk(v, &mut budget)
}
