//! YAML values into JSON values, with a depth bound.

use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;

/// Deeper nesting than this is refused (the YAML parser has its own, similar
/// limit; this one keeps our own recursion bounded whatever the parser does).
pub(crate) const MAX_DEPTH: usize = 200;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the document nests deeper than {MAX_DEPTH} levels")]
pub(crate) struct TooDeep;

fn key_string(k: &Yaml, depth: usize) -> Result<String, TooDeep> {
    Ok(match k {
        Yaml::String(s) => s.clone(),
        Yaml::Null => "null".to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        // Complex keys never occur in Kubernetes objects; keep them readable.
        other => to_json(other, depth + 1)?.to_string(),
    })
}

pub(crate) fn to_json(v: &Yaml, depth: usize) -> Result<Value, TooDeep> {
    if depth > MAX_DEPTH {
        return Err(TooDeep);
    }
    Ok(match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                // JSON has no NaN or infinity: keep the YAML spelling as text.
                Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or_else(|| Value::String(n.to_string()))
            }
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .map(|i| to_json(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, val) in m {
                out.insert(key_string(k, depth)?, to_json(val, depth + 1)?);
            }
            Value::Object(out)
        }
        // Custom tags (`!foo bar`) carry no meaning in Kubernetes: keep the value.
        Yaml::Tagged(t) => to_json(&t.value, depth + 1)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_keys_and_tags() {
        let y: Yaml = serde_yaml::from_str(
            "a: 1\n2: x\ntrue: .nan\nl: [1.5, ~, !t q]\nbig: 18446744073709551615\n",
        )
        .unwrap();
        let j = to_json(&y, 0).unwrap();
        assert_eq!(
            j,
            json!({"a": 1, "2": "x", "true": ".nan", "l": [1.5, null, "q"], "big": 18446744073709551615u64})
        );
    }

    #[test]
    fn depth_is_bounded() {
        let mut v = Yaml::Null;
        for _ in 0..(MAX_DEPTH + 5) {
            v = Yaml::Sequence(vec![v]);
        }
        assert_eq!(to_json(&v, 0), Err(TooDeep));
    }
}
