//! Reading evaluated Terraform arguments: provider defaults for unwritten
//! arguments, unknown markers copied through untouched, nested blocks as arrays.

use serde_json::{json, Map, Value};
use yagura_model::iac::{is_unknown, unknown, RawResource};
use yagura_model::{Resource, SourceKind};

/// One resource's (or nested block's) evaluated arguments.
#[derive(Clone, Copy)]
pub(crate) struct Raw<'a>(pub &'a Map<String, Value>);

/// A nested block as written: absent, present (the first instance), or
/// produced by something unknown until apply (a `dynamic` block over an unknown).
pub(crate) enum Block<'a> {
    Absent,
    Present(Raw<'a>),
    Unknown(Value),
}

impl<'a> Raw<'a> {
    /// The written value; `null` (an argument set to null) counts as unwritten.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The first of several spellings of one argument (renamed across provider
    /// versions) that is written.
    pub fn first_of(&self, keys: &[&str]) -> Option<&'a Value> {
        keys.iter().find_map(|k| self.get(k))
    }

    /// A boolean argument, `default` when unwritten.
    pub fn bool_or(&self, key: &str, default: bool) -> Value {
        to_bool(self.get(key), key).unwrap_or(Value::Bool(default))
    }

    /// A boolean argument with several spellings.
    pub fn bool_any_or(&self, keys: &[&str], default: bool) -> Value {
        let k = keys.iter().find(|k| self.has(k)).copied().unwrap_or("");
        to_bool(self.get(k), k).unwrap_or(Value::Bool(default))
    }

    /// A string argument, `default` (or null) when unwritten.
    pub fn str_or(&self, key: &str, default: Option<&str>) -> Value {
        match self.get(key) {
            None => default.map_or(Value::Null, |d| Value::String(d.into())),
            Some(v) => to_string(v, key),
        }
    }

    /// The literal string value, if written and known.
    pub fn lit(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    /// An integer argument, `default` (or null) when unwritten.
    pub fn int_or(&self, key: &str, default: Option<i64>) -> Value {
        match self.get(key) {
            None => default.map_or(Value::Null, Value::from),
            Some(v) => to_int(v, key),
        }
    }

    /// A list of strings, `[]` when unwritten; unknown elements stay markers.
    pub fn str_list(&self, key: &str) -> Value {
        match self.get(key) {
            None => json!([]),
            Some(Value::Array(a)) => Value::Array(a.iter().map(|v| to_string(v, key)).collect()),
            Some(v) if is_unknown(v) => v.clone(),
            // A single string where a list is expected (e.g. from a variable).
            Some(v @ Value::String(_)) => json!([v]),
            Some(_) => unknown(format!("{key} (not a list)")),
        }
    }

    /// The first instance of the nested block `key`.
    pub fn block(&self, key: &str) -> Block<'a> {
        match self.get(key) {
            None => Block::Absent,
            Some(Value::Array(a)) => match a.first() {
                None => Block::Absent,
                Some(Value::Object(m)) if !m.contains_key(yagura_model::iac::UNKNOWN_KEY) => {
                    Block::Present(Raw(m))
                }
                Some(v) if is_unknown(v) => Block::Unknown(v.clone()),
                Some(_) => Block::Unknown(unknown(format!("{key} (not a block)"))),
            },
            // A single object instead of a list (plan JSON and some evaluators).
            Some(Value::Object(m)) if !m.contains_key(yagura_model::iac::UNKNOWN_KEY) => {
                Block::Present(Raw(m))
            }
            Some(v) if is_unknown(v) => Block::Unknown(v.clone()),
            Some(_) => Block::Unknown(unknown(format!("{key} (not a block)"))),
        }
    }

    /// Every instance of the nested block `key`: `Err(marker)` when the set of
    /// blocks is unknown; unknown single instances are returned as markers.
    pub fn blocks(&self, key: &str) -> Result<Vec<Result<Raw<'a>, Value>>, Value> {
        match self.get(key) {
            None => Ok(vec![]),
            Some(Value::Array(a)) => Ok(a
                .iter()
                .map(|v| match v {
                    Value::Object(m) if !m.contains_key(yagura_model::iac::UNKNOWN_KEY) => {
                        Ok(Raw(m))
                    }
                    v if is_unknown(v) => Err(v.clone()),
                    _ => Err(unknown(format!("{key} (not a block)"))),
                })
                .collect()),
            Some(Value::Object(m)) if !m.contains_key(yagura_model::iac::UNKNOWN_KEY) => {
                Ok(vec![Ok(Raw(m))])
            }
            Some(v) if is_unknown(v) => Err(v.clone()),
            Some(_) => Err(unknown(format!("{key} (not a block)"))),
        }
    }
}

/// Evaluates `f` on a nested block, `absent` when it is not written, and the
/// block's unknown marker when it is unknown until apply.
pub(crate) fn with_block(b: Block<'_>, absent: Value, f: impl FnOnce(Raw<'_>) -> Value) -> Value {
    match b {
        Block::Absent => absent,
        Block::Present(r) => f(r),
        Block::Unknown(u) => u,
    }
}

fn to_bool(v: Option<&Value>, key: &str) -> Option<Value> {
    let v = v?;
    Some(match v {
        Value::Bool(_) => v.clone(),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        v if is_unknown(v) => v.clone(),
        _ => unknown(format!("{key} (not a boolean)")),
    })
}

pub(crate) fn to_string(v: &Value, key: &str) -> Value {
    match v {
        Value::String(_) => v.clone(),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        v if is_unknown(v) => v.clone(),
        _ => unknown(format!("{key} (not a string)")),
    }
}

pub(crate) fn to_int(v: &Value, key: &str) -> Value {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => Value::from(i),
            None => n.as_f64().map_or(Value::Null, |f| Value::from(f as i64)),
        },
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => unknown(format!("{key} (not a number: {s})")),
        },
        v if is_unknown(v) => v.clone(),
        _ => unknown(format!("{key} (not a number)")),
    }
}

/// Tags or labels as written; unknown values are left out (the map of tags has
/// no place for a marker, and no check decides on a tag).
pub(crate) fn tags(v: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(Value::Object(m)) = v {
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

/// The normalized attributes from (name, value) pairs.
pub(crate) fn obj(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// A normalized resource of `kind` from `raw`, named by its literal `name` (else
/// its Terraform name); `region`, `account` and `tags` are read differently by
/// each provider, so the caller passes them.
pub(crate) fn normalized(
    kind: &str,
    raw: &RawResource,
    attrs: Map<String, Value>,
    region: Option<String>,
    account: Option<String>,
    tags_value: Option<&Value>,
) -> Resource {
    let mut r = Resource::new(
        kind,
        format!("terraform:{}", raw.address),
        Raw(&raw.attributes).lit("name").unwrap_or(&raw.name),
    );
    r.source = SourceKind::Terraform;
    r.location = Some(raw.location.clone());
    r.region = region;
    r.account = account;
    r.tags = tags(tags_value);
    r.attributes = Value::Object(attrs);
    r
}
