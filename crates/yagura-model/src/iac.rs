//! The contract between IaC parsers (Terraform, CloudFormation) and the adapters
//! that turn provider resources into normalized [`crate::Resource`]s.
//!
//! A parser evaluates what it can and hands over [`RawResource`]s whose
//! `attributes` are plain JSON, except that a value it cannot know before deploy
//! (a computed attribute, a variable without a value, an `Fn::ImportValue`) is the
//! marker object `{"$unknown": "<expression>"}`. A reference to another resource
//! whose value is unknown also carries `"$ref": "<address>"` so adapters can join
//! resources (a public-access block to its bucket) without knowing the value.
//!
//! Adapters never turn an unknown into a guess: they copy the marker (or leave the
//! key out) and [`crate::Attr`] reports it as missing, which makes the check
//! NOT_ASSESSED with the expression named in the reason.

use crate::{Location, SourceKind};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The key of the unknown-value marker object.
pub const UNKNOWN_KEY: &str = "$unknown";
/// The key, beside [`UNKNOWN_KEY`], naming the resource an unknown value comes from.
pub const REF_KEY: &str = "$ref";

/// A value that is unknown until apply; `expr` is the source text that produced it.
pub fn unknown(expr: impl Into<String>) -> Value {
    json!({ UNKNOWN_KEY: expr.into() })
}

/// An unknown value read from another resource's attribute (`aws_s3_bucket.b.id`).
pub fn unknown_ref(expr: impl Into<String>, address: impl Into<String>) -> Value {
    json!({ UNKNOWN_KEY: expr.into(), REF_KEY: address.into() })
}

pub fn is_unknown(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.contains_key(UNKNOWN_KEY))
}

/// The expression behind an unknown value, if `v` is one.
pub fn unknown_reason(v: &Value) -> Option<&str> {
    match v {
        Value::Object(m) => m.get(UNKNOWN_KEY).and_then(Value::as_str),
        _ => None,
    }
}

/// The address of the resource an unknown value refers to, if any.
pub fn unknown_ref_address(v: &Value) -> Option<&str> {
    match v {
        Value::Object(m) if m.contains_key(UNKNOWN_KEY) => m.get(REF_KEY).and_then(Value::as_str),
        _ => None,
    }
}

/// True when `v` or anything inside it is unknown.
pub fn contains_unknown(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key(UNKNOWN_KEY) || m.values().any(contains_unknown),
        Value::Array(a) => a.iter().any(contains_unknown),
        _ => false,
    }
}

/// One resource as written in code, after the parser evaluated its expressions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawResource {
    /// `Terraform` (HCL and plan JSON) or `CloudFormation`.
    pub source: SourceKind,
    /// The provider type: `aws_s3_bucket`, `AWS::S3::Bucket`, `azurerm_storage_account`.
    pub type_name: String,
    /// The name in code: the Terraform local name or the CloudFormation logical id.
    pub name: String,
    /// Unique within one scan: `module.net.aws_security_group.web["a"]`, or the
    /// logical id prefixed with the template file for CloudFormation.
    pub address: String,
    /// Evaluated arguments. Nested blocks (Terraform) are arrays of objects, one per
    /// block, even when the provider allows only one. Unknowns as described above.
    pub attributes: Map<String, Value>,
    /// The resource's block (Terraform) or its entry under `Resources` (CloudFormation).
    pub location: Location,
    /// Provider settings that apply to it, when known: `region`, `account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// A problem that stopped part of a file from being read. The rest is still scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseIssue {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

impl std::fmt::Display for ParseIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource;

    #[test]
    fn unknown_values_are_missing_with_their_expression() {
        let mut r = Resource::new("aws.s3.bucket", "b", "b");
        r.attributes = json!({
            "versioning": {"status": unknown("var.status")},
            "policy": unknown_ref("aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p"),
            "logging": null
        });
        let e = r.attr("versioning.status").str().unwrap_err();
        assert_eq!(e.unknown.as_deref(), Some("var.status"));
        assert!(e.to_string().contains("unknown until apply"));
        assert!(r.attr("policy").value().is_err());
        assert!(r.attr("policy.Statement").value().is_err());
        assert!(!r.attr("policy").is_observed());
        assert_eq!(r.attr("logging").value(), Ok(&Value::Null));
        assert!(contains_unknown(&r.attributes));
        assert_eq!(
            unknown_ref_address(&r.attributes["policy"]),
            Some("data.aws_iam_policy_document.p")
        );
    }
}

/// Deepest `[`/`{` nesting YAML or JSON parsers are asked to read. serde_yaml reads
/// a whole flow collection before applying its own limit of 128, which takes
/// minutes on 100,000 levels; no manifest or template nests anywhere near this.
pub const MAX_FLOW_DEPTH: usize = 128;

/// The 1-based line where `[`/`{` nesting first exceeds `limit`, skipping quoted
/// strings and `#` comments: a linear pre-check before a parser that is not linear
/// in depth.
pub fn flow_depth_exceeded(text: &str, limit: usize) -> Option<u32> {
    let (mut depth, mut line) = (0usize, 1u32);
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let mut prev = b'\n';
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            comment = false;
            // YAML quoted scalars may span lines; JSON strings may not, so a quote
            // left open at a newline in JSON is malformed anyway.
        } else if comment {
        } else if let Some(q) = quote {
            if b == b'\\' && q == b'"' {
                i += 1;
            } else if b == q {
                quote = None;
            }
        } else {
            match b {
                b'"' | b'\'' => quote = Some(b),
                b'#' if prev.is_ascii_whitespace() => comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(line);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = b;
        i += 1;
    }
    None
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    #[test]
    fn flow_depth_skips_strings_and_comments() {
        assert_eq!(flow_depth_exceeded("a: [[1], {b: [2]}]\n", 3), None);
        assert_eq!(flow_depth_exceeded("a: 1\nb: [[[[x]]]]\n", 3), Some(2));
        assert_eq!(
            flow_depth_exceeded("a: \"[[[[[\" # [[[[[\nb: '{{{{'\n", 2),
            None
        );
        let deep = format!("x: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(flow_depth_exceeded(&deep, MAX_FLOW_DEPTH), Some(1));
    }
}
