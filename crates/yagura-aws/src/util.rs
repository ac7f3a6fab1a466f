//! Small conversions from SDK types to the normalized JSON attribute values.

use chrono::SecondsFormat;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// An SDK timestamp as an RFC 3339 string in UTC.
pub(crate) fn time(t: &aws_smithy_types::DateTime) -> Value {
    match chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()) {
        Some(dt) => Value::String(dt.to_rfc3339_opts(SecondsFormat::Secs, true)),
        None => Value::Null,
    }
}

/// An optional timestamp: `null` when the service reported none.
pub(crate) fn opt_time(t: Option<&aws_smithy_types::DateTime>) -> Value {
    t.map(time).unwrap_or(Value::Null)
}

/// An optional string: `null` when the service reported none.
pub(crate) fn opt_str(s: Option<&str>) -> Value {
    s.map(|s| Value::String(s.to_string()))
        .unwrap_or(Value::Null)
}

/// A list of strings.
pub(crate) fn strs<'a>(it: impl IntoIterator<Item = &'a str>) -> Value {
    Value::Array(
        it.into_iter()
            .map(|s| Value::String(s.to_string()))
            .collect(),
    )
}

/// Parses a policy document as AWS returns it: plain JSON (S3, SQS, SNS, KMS, …) or
/// URL-encoded JSON (IAM policy versions and trust policies).
pub(crate) fn parse_policy(raw: &str) -> Result<Value, String> {
    if let Ok(v) = serde_json::from_str::<Value>(raw) {
        return Ok(v);
    }
    let decoded = percent_decode(raw)
        .ok_or_else(|| "policy document is neither JSON nor URL-encoded".to_string())?;
    serde_json::from_str::<Value>(&decoded)
        .map_err(|e| format!("policy document is not valid JSON: {e}"))
}

/// RFC 3986 percent-decoding (IAM does not use `+` for spaces).
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Builds a tag map from key/value pairs, skipping pairs without a key.
pub(crate) fn tag_map<'a>(
    pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| k.map(|k| (k.to_string(), v.unwrap_or("").to_string())))
        .collect()
}

/// Groups the entries `entry` makes of `items` by the resource each belongs to (the
/// key it returns with it); items it returns `None` for are skipped.
pub(crate) fn group_by<T>(
    items: impl IntoIterator<Item = T>,
    entry: impl Fn(&T) -> Option<(&str, Value)>,
) -> HashMap<String, Vec<Value>> {
    let mut groups: HashMap<String, Vec<Value>> = HashMap::new();
    for item in items {
        if let Some((key, value)) = entry(&item) {
            groups.entry(key.to_string()).or_default().push(value);
        }
    }
    groups
}

/// The region-independent partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`).
pub(crate) fn partition_of(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    match (parts.next(), parts.next()) {
        (Some("arn"), Some(p)) if !p.is_empty() => Some(p),
        _ => None,
    }
}

/// Strips the `:*` suffix CloudWatch Logs puts on log-group ARNs.
pub(crate) fn log_group_arn(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

/// Normalizes an IP protocol to the names security-group rules use in the model.
pub(crate) fn ip_protocol(p: &str) -> String {
    match p {
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "1" => "icmp".into(),
        "58" => "icmpv6".into(),
        "all" => "-1".into(),
        other => other.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn policies_plain_and_url_encoded() {
        let plain = r#"{"Version":"2012-10-17","Statement":[]}"#;
        assert_eq!(
            parse_policy(plain).unwrap(),
            json!({"Version": "2012-10-17", "Statement": []})
        );
        let enc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%20c%22%7D%5D%7D";
        assert_eq!(
            parse_policy(enc).unwrap(),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b c"}]})
        );
        assert!(parse_policy("%ZZ").is_err());
        assert!(parse_policy("not json").is_err());
        assert_eq!(percent_decode("%E2%9C%93").as_deref(), Some("\u{2713}"));
        assert_eq!(percent_decode("%4"), None);
    }

    #[test]
    fn times_are_rfc3339_utc() {
        let t = aws_smithy_types::DateTime::from_secs(1_700_000_000);
        assert_eq!(time(&t), json!("2023-11-14T22:13:20Z"));
        assert_eq!(opt_time(None), Value::Null);
    }

    #[test]
    fn small_helpers() {
        assert_eq!(partition_of("arn:aws-cn:iam::1:root"), Some("aws-cn"));
        assert_eq!(partition_of("nope"), None);
        assert_eq!(
            log_group_arn("arn:aws:logs:r:1:log-group:g:*"),
            "arn:aws:logs:r:1:log-group:g"
        );
        assert_eq!(ip_protocol("6"), "tcp");
        assert_eq!(ip_protocol("-1"), "-1");
        let tags = tag_map([(Some("a"), Some("1")), (None, Some("x")), (Some("b"), None)]);
        assert_eq!(tags.get("a").map(String::as_str), Some("1"));
        assert_eq!(tags.get("b").map(String::as_str), Some(""));
        assert_eq!(tags.len(), 2);
        let groups = group_by(["a:1", "b:2", "a:3", "skip"], |s| {
            s.split_once(':').map(|(k, v)| (k, Value::from(v)))
        });
        assert_eq!(groups.len(), 2);
        assert_eq!(groups["a"], vec![json!("1"), json!("3")]);
        assert_eq!(groups["b"], vec![json!("2")]);
    }
}
