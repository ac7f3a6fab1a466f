//! Tolerant readers for configuration-item JSON.
//!
//! AWS Config writes most types in camelCase (`ipPermissions`), some in the
//! CloudFormation PascalCase schema (`ImageScanningConfiguration`), and a few with
//! odd Java-bean spellings (`dBInstanceIdentifier`). Lookups therefore try the exact
//! key first and fall back to an ASCII case-insensitive match.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// `v[key]`, exact first, then ignoring ASCII case.
pub(crate) fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let m = v.as_object()?;
    if let Some(x) = m.get(key) {
        return Some(x);
    }
    m.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, x)| x)
}

/// The first of several alternative keys that is present.
pub(crate) fn get_any<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| get(v, k))
}

/// A nested lookup: `path(v, &["state", "name"])`.
pub(crate) fn path<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().try_fold(v, |cur, k| get(cur, k))
}

pub(crate) fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    }
}

pub(crate) fn to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn to_str(v: &Value) -> Option<&str> {
    v.as_str()
}

/// A string attribute: absent stays absent, `null` stays `null`, scalars become text.
pub(crate) fn str_attr(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Null => Some(Value::Null),
        Value::String(s) => Some(Value::String(s.clone())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        _ => None,
    }
}

/// Like [`str_attr`], but an empty string means "unset" (`null`).
pub(crate) fn nonempty_str_attr(v: Option<&Value>) -> Option<Value> {
    match str_attr(v)? {
        Value::String(s) if s.is_empty() => Some(Value::Null),
        other => Some(other),
    }
}

pub(crate) fn bool_attr(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Null => Some(Value::Null),
        other => to_bool(other).map(Value::Bool),
    }
}

pub(crate) fn int_attr(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Null => Some(Value::Null),
        other => to_i64(other).map(Value::from),
    }
}

pub(crate) fn time_attr(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Null => Some(Value::Null),
        other => norm_time(other).map(Value::String),
    }
}

/// A list of strings taken from `v` (strings, or objects carrying `key`).
pub(crate) fn strings(v: &Value, key: Option<&str>) -> Vec<Value> {
    let Some(a) = v.as_array() else {
        return Vec::new();
    };
    a.iter().filter_map(|x| string_item(x, key)).collect()
}

/// One entry of [`strings`]: a string, or the string `key` of an object.
pub(crate) fn string_item(x: &Value, key: Option<&str>) -> Option<Value> {
    match (x, key) {
        (Value::String(s), _) => Some(Value::String(s.clone())),
        (Value::Object(_), Some(k)) => get(x, k)
            .and_then(to_str)
            .map(|s| Value::String(s.to_string())),
        _ => None,
    }
}

/// A list attribute: absent stays absent, `null` becomes `[]`.
pub(crate) fn list_attr(v: Option<&Value>, key: Option<&str>) -> Option<Value> {
    match v? {
        Value::Null => Some(Value::Array(Vec::new())),
        a @ Value::Array(_) => Some(Value::Array(strings(a, key))),
        _ => None,
    }
}

/// A list Config always writes (possibly empty): like [`list_attr`], but in a
/// full item (`full`) a missing or unreadable list means `[]`.
pub(crate) fn full_list_attr(v: Option<&Value>, key: Option<&str>, full: bool) -> Option<Value> {
    match list_attr(v, key) {
        None if full => Some(Value::Array(Vec::new())),
        other => other,
    }
}

/// For a field the service's describe call omits when it is unset: when the item
/// carries a full configuration (`full`), a missing key means `null`.
pub(crate) fn or_null(full: bool, v: Option<Value>) -> Option<Value> {
    match v {
        None if full => Some(Value::Null),
        other => other,
    }
}

/// A timestamp in any shape Config uses (RFC 3339, ISO without zone, epoch seconds
/// or milliseconds) as an RFC 3339 UTC string with whole seconds.
pub(crate) fn norm_time(v: &Value) -> Option<String> {
    parse_time(v).map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

pub(crate) fn parse_time(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Number(n) => epoch(n.as_f64()?),
        Value::String(s) => parse_time_str(s.trim()),
        _ => None,
    }
}

fn epoch(f: f64) -> Option<DateTime<Utc>> {
    // Values this large are milliseconds (seconds would be after the year 5000).
    let millis = if f.abs() >= 1e11 { f } else { f * 1000.0 };
    DateTime::from_timestamp_millis(millis as i64)
}

fn parse_time_str(s: &str) -> Option<DateTime<Utc>> {
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%a %b %d %H:%M:%S %z %Y",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return s.parse::<f64>().ok().and_then(epoch);
    }
    None
}

/// Decodes a value that may hold JSON as text (possibly encoded twice, as Config
/// does for some supplementary configurations). Non-JSON text is returned as is.
pub(crate) fn decode_json_text(v: Value) -> Value {
    let mut cur = v;
    // Two rounds cover the double encoding seen in practice; more would be a loop on junk.
    for _ in 0..3 {
        let Value::String(s) = &cur else { break };
        let t = s.trim_start();
        if !(t.starts_with('{') || t.starts_with('[') || t.starts_with('"')) {
            break;
        }
        match serde_json::from_str::<Value>(s) {
            Ok(parsed) => cur = parsed,
            Err(_) => break,
        }
    }
    cur
}

/// A policy document (bucket, key, topic, queue, trust policy …) as an object.
/// Config stores them as JSON text, IAM ones URL-encoded. `null` and empty text
/// mean "no policy"; text that cannot be decoded is treated as not observed.
pub(crate) fn policy_attr(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Null => Some(Value::Null),
        o @ Value::Object(_) => Some(o.clone()),
        Value::String(s) if s.trim().is_empty() => Some(Value::Null),
        Value::String(s) => parse_policy_text(s).map(|p| match p {
            Value::Object(_) => p,
            _ => Value::Null,
        }),
        _ => None,
    }
}

fn parse_policy_text(s: &str) -> Option<Value> {
    if let Value::Object(m) = decode_json_text(Value::String(s.to_string())) {
        return Some(Value::Object(m));
    }
    if !s.contains('%') {
        return None;
    }
    let decoded = percent_decode(s)?;
    match decode_json_text(Value::String(decoded.clone())) {
        o @ Value::Object(_) => Some(o),
        // Form-style encoding writes spaces as '+'.
        _ => match decode_json_text(Value::String(decoded.replace('+', " "))) {
            o @ Value::Object(_) => Some(o),
            _ => None,
        },
    }
}

/// `%XX` decoding as IAM applies it to policy documents.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// How a configuration field becomes an attribute value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum As {
    /// [`str_attr`]
    Str,
    /// [`nonempty_str_attr`]
    NonEmptyStr,
    /// [`bool_attr`]
    Bool,
    /// [`int_attr`]
    Int,
    /// [`time_attr`]
    Time,
    /// [`list_attr`] of plain strings
    List,
    /// [`policy_attr`]
    Policy,
}

impl As {
    fn read(self, v: Option<&Value>) -> Option<Value> {
        match self {
            As::Str => str_attr(v),
            As::NonEmptyStr => nonempty_str_attr(v),
            As::Bool => bool_attr(v),
            As::Int => int_attr(v),
            As::Time => time_attr(v),
            As::List => list_attr(v, None),
            As::Policy => policy_attr(v),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Lookup {
    Key(&'static str),
    Any(&'static [&'static str]),
    Path(&'static [&'static str]),
}

/// An attribute read straight from one configuration field, for the mappers'
/// tables (see [`Attrs::read`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    attr: &'static str,
    lookup: Lookup,
    conv: As,
    or_null: bool,
}

impl Field {
    /// `attr` from the field `key`.
    pub(crate) const fn key(attr: &'static str, key: &'static str, conv: As) -> Field {
        Field {
            attr,
            lookup: Lookup::Key(key),
            conv,
            or_null: false,
        }
    }

    /// `attr` from the first of `keys` present (alternative spellings).
    pub(crate) const fn any(attr: &'static str, keys: &'static [&'static str], conv: As) -> Field {
        Field {
            lookup: Lookup::Any(keys),
            ..Field::key(attr, "", conv)
        }
    }

    /// `attr` from a nested field ([`path`]).
    pub(crate) const fn path(attr: &'static str, keys: &'static [&'static str], conv: As) -> Field {
        Field {
            lookup: Lookup::Path(keys),
            ..Field::key(attr, "", conv)
        }
    }

    /// For a field the describe call omits when unset ([`or_null`]).
    pub(crate) const fn or_null(self) -> Field {
        Field {
            or_null: true,
            ..self
        }
    }
}

/// An attribute map under construction; `set(k, None)` leaves the key absent.
#[derive(Default)]
pub(crate) struct Attrs(Map<String, Value>);

impl Attrs {
    pub(crate) fn new() -> Self {
        Attrs(Map::new())
    }

    pub(crate) fn set(&mut self, key: &str, v: Option<Value>) {
        if let Some(v) = v {
            self.0.insert(key.to_string(), v);
        }
    }

    pub(crate) fn put(&mut self, key: &str, v: Value) {
        self.0.insert(key.to_string(), v);
    }

    /// Sets `fields` from the configuration `c`, in order. `full` is what
    /// [`or_null`] gets for the fields marked with [`Field::or_null`]: whether `c`
    /// is a complete describe result, so a missing field is unset.
    pub(crate) fn read(&mut self, c: &Value, full: bool, fields: &[Field]) {
        for f in fields {
            let v = match f.lookup {
                Lookup::Key(k) => get(c, k),
                Lookup::Any(keys) => get_any(c, keys),
                Lookup::Path(keys) => path(c, keys),
            };
            self.set(f.attr, or_null(full && f.or_null, f.conv.read(v)));
        }
    }

    pub(crate) fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookups_tolerate_casing() {
        let v = json!({"dBInstanceIdentifier": "db1", "IpProtocol": "tcp"});
        assert_eq!(get(&v, "DBInstanceIdentifier"), Some(&json!("db1")));
        assert_eq!(get(&v, "ipProtocol"), Some(&json!("tcp")));
        assert_eq!(get(&v, "missing"), None);
    }

    #[test]
    fn times_normalize_to_utc_seconds() {
        assert_eq!(
            norm_time(&json!("2020-07-11T23:57:46.383Z")).as_deref(),
            Some("2020-07-11T23:57:46Z")
        );
        assert_eq!(
            norm_time(&json!("2020-07-11T23:57:46.383+02:00")).as_deref(),
            Some("2020-07-11T21:57:46Z")
        );
        assert_eq!(
            norm_time(&json!(1594511866383_i64)).as_deref(),
            Some("2020-07-11T23:57:46Z")
        );
        assert_eq!(
            norm_time(&json!("1594511866")).as_deref(),
            Some("2020-07-11T23:57:46Z")
        );
        assert_eq!(norm_time(&json!("yesterday")), None);
    }

    #[test]
    fn policies_decode_from_text_and_url_encoding() {
        let enc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            policy_attr(Some(&json!(enc))),
            Some(json!({"Version": "2012-10-17", "Statement": []}))
        );
        let txt = json!("{\"Statement\":[{\"Effect\":\"Allow\"}]}");
        assert_eq!(
            policy_attr(Some(&txt)),
            Some(json!({"Statement": [{"Effect": "Allow"}]}))
        );
        assert_eq!(policy_attr(Some(&json!(null))), Some(Value::Null));
        assert_eq!(policy_attr(Some(&json!("not a policy"))), None);
        assert_eq!(policy_attr(None), None);
    }

    #[test]
    fn double_encoded_json_is_unwrapped() {
        let once = serde_json::to_string(&json!({"a": 1})).unwrap();
        let twice = serde_json::to_string(&Value::String(once)).unwrap();
        assert_eq!(decode_json_text(Value::String(twice)), json!({"a": 1}));
        assert_eq!(decode_json_text(json!("false")), json!("false"));
    }

    #[test]
    fn fields_read_in_order_with_null_for_omitted() {
        let c = json!({"Name": "n", "size": "12", "nested": {"on": "true"}, "alt": null});
        let fields = [
            Field::key("name", "name", As::Str),
            Field::key("kms", "kmsKeyId", As::NonEmptyStr).or_null(),
            Field::key("gone", "missing", As::Bool),
            Field::key("size", "size", As::Int),
            Field::path("on", &["nested", "on"], As::Bool),
            Field::any("alt", &["nope", "alt"], As::List),
        ];
        let mut full = Attrs::new();
        full.read(&c, true, &fields);
        let v = full.into_value();
        assert_eq!(
            v,
            json!({"name": "n", "kms": null, "size": 12, "on": true, "alt": []})
        );
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "kms", "size", "on", "alt"]);
        let mut partial = Attrs::new();
        partial.read(&c, false, &fields);
        assert_eq!(partial.into_value().get("kms"), None);
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b%zz%2").as_deref(), Some("a b%zz%2"));
    }
}
