//! `AWS::S3::Bucket` and `AWS::S3::AccountPublicAccessBlock`.
//!
//! A bucket's configuration is split over `supplementaryConfiguration` entries,
//! mostly JSON text in Java-bean camelCase. Config always writes `BucketPolicy`,
//! `BucketVersioningConfiguration` and `AccessControlList` for a recorded bucket,
//! and omits `PublicAccessBlockConfiguration`, `ServerSideEncryptionConfiguration`
//! and `BucketLifecycleConfiguration` when the bucket has none (AWS's own
//! change-triggered rules read the omission that way). So in an item carrying the
//! always-written entries, a missing optional entry is "observed: none"; in any
//! other item it is "not observed".

use super::{arn_or, name_of, partition, resource, World};
use crate::parse::ConfigItem;
use crate::value::{get, get_any, path, policy_attr, to_bool, to_str, Attrs};
use serde_json::{json, Value};
use yagura_model::Resource;

pub(super) fn bucket(item: &ConfigItem, _w: &World) -> Resource {
    let name = name_of(item, &["name"]);
    let id = arn_or(item, || format!("arn:{}:s3:::{}", partition(item), name));
    let sup = &item.supplementary;
    let complete = [
        "BucketPolicy",
        "BucketVersioningConfiguration",
        "AccessControlList",
    ]
    .iter()
    .all(|k| get(sup, k).is_some());
    let none_if_complete = || complete.then_some(Value::Null);
    let mut a = Attrs::new();

    a.set(
        "public_access_block",
        match get(sup, "PublicAccessBlockConfiguration") {
            Some(Value::Null) => Some(Value::Null),
            Some(v @ Value::Object(_)) => Some(public_access_block(v)),
            Some(_) => None,
            None => none_if_complete(),
        },
    );
    a.set(
        "policy",
        match get(sup, "BucketPolicy") {
            Some(Value::Null) => Some(Value::Null),
            Some(bp @ Value::Object(_)) => policy_attr(get(bp, "policyText")),
            // Some writers put the policy text directly under the key.
            Some(other) => policy_attr(Some(other)),
            None => None,
        },
    );
    a.set(
        "acl_grants",
        get(sup, "AccessControlList").and_then(acl_grants),
    );
    a.set(
        "encryption",
        match get(sup, "ServerSideEncryptionConfiguration") {
            Some(Value::Null) => Some(Value::Null),
            Some(v) => encryption(v),
            None => none_if_complete(),
        },
    );
    a.set(
        "versioning",
        get(sup, "BucketVersioningConfiguration").and_then(versioning),
    );
    a.set(
        "logging",
        get(sup, "BucketLoggingConfiguration").and_then(logging),
    );
    a.set(
        "ownership",
        get_any(sup, &["BucketOwnershipControls", "OwnershipControls"]).and_then(ownership),
    );
    a.set(
        "lifecycle_rules",
        match get(sup, "BucketLifecycleConfiguration") {
            Some(Value::Null) => Some(json!(0)),
            Some(v) => get(v, "rules")
                .and_then(Value::as_array)
                .map(|r| json!(r.len())),
            None => complete.then(|| json!(0)),
        },
    );
    a.set(
        "object_lock",
        get_any(
            sup,
            &["ObjectLockConfiguration", "BucketObjectLockConfiguration"],
        )
        .and_then(|v| match v {
            Value::Null => Some(Value::Bool(false)),
            _ => get(v, "objectLockEnabled")
                .and_then(to_str)
                .map(|s| Value::Bool(s.eq_ignore_ascii_case("Enabled"))),
        }),
    );

    resource(item, "aws.s3.bucket", id, name, a)
}

/// The four Block Public Access flags. A flag the document leaves out is off, as
/// in the S3 API.
pub(super) fn public_access_block(v: &Value) -> Value {
    let flag = |k: &str| get(v, k).and_then(to_bool).unwrap_or(false);
    json!({
        "block_public_acls": flag("blockPublicAcls"),
        "ignore_public_acls": flag("ignorePublicAcls"),
        "block_public_policy": flag("blockPublicPolicy"),
        "restrict_public_buckets": flag("restrictPublicBuckets"),
    })
}

const GROUP_URIS: &[(&str, &str)] = &[
    (
        "AllUsers",
        "http://acs.amazonaws.com/groups/global/AllUsers",
    ),
    (
        "AuthenticatedUsers",
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
    ),
    (
        "LogDelivery",
        "http://acs.amazonaws.com/groups/s3/LogDelivery",
    ),
];

/// ACL grants in the S3 API's vocabulary. Config writes group grantees as bare
/// names (`"AllUsers"`) or URI objects, and permissions as `FullControl`, `ReadAcp` …
fn acl_grants(acl: &Value) -> Option<Value> {
    let list = [
        get(acl, "grantList"),
        get(acl, "grantSet"),
        get(acl, "grants"),
    ]
    .into_iter()
    .flatten()
    .find_map(Value::as_array)?;
    let grants = list
        .iter()
        .map(|g| {
            let (kind, uri) = grantee(get(g, "grantee").unwrap_or(&Value::Null));
            json!({
                "grantee_type": kind,
                "grantee_uri": uri,
                "permission": get(g, "permission").and_then(to_str).map(permission),
            })
        })
        .collect();
    Some(Value::Array(grants))
}

fn grantee(g: &Value) -> (&'static str, Value) {
    let group_uri = |s: &str| -> Option<String> {
        if s.starts_with("http://") || s.starts_with("https://") {
            return Some(s.to_string());
        }
        GROUP_URIS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|(_, u)| u.to_string())
    };
    match g {
        Value::String(s) => match group_uri(s) {
            Some(u) => ("Group", Value::String(u)),
            None => ("CanonicalUser", Value::Null),
        },
        Value::Object(_) => {
            if let Some(u) = get_any(g, &["uri", "URI"]).and_then(to_str) {
                return (
                    "Group",
                    group_uri(u).map(Value::String).unwrap_or(Value::Null),
                );
            }
            let type_id = get(g, "typeIdentifier").and_then(to_str).unwrap_or("");
            let ident = get(g, "identifier").and_then(to_str);
            if type_id.eq_ignore_ascii_case("uri") {
                return (
                    "Group",
                    ident
                        .and_then(group_uri)
                        .map(Value::String)
                        .unwrap_or(Value::Null),
                );
            }
            if get(g, "emailAddress").is_some() || type_id.eq_ignore_ascii_case("emailAddress") {
                return ("AmazonCustomerByEmail", Value::Null);
            }
            ("CanonicalUser", Value::Null)
        }
        _ => ("CanonicalUser", Value::Null),
    }
}

fn permission(p: &str) -> String {
    match p {
        "FullControl" => "FULL_CONTROL".into(),
        "Read" => "READ".into(),
        "Write" => "WRITE".into(),
        "ReadAcp" => "READ_ACP".into(),
        "WriteAcp" => "WRITE_ACP".into(),
        other => other.to_ascii_uppercase(),
    }
}

fn encryption(v: &Value) -> Option<Value> {
    let rules = get(v, "rules")?.as_array()?;
    let Some(rule) = rules.first() else {
        return Some(Value::Null);
    };
    let default = get(rule, "applyServerSideEncryptionByDefault")?;
    let algorithm = get(default, "sseAlgorithm").and_then(to_str)?;
    Some(json!({
        "algorithm": algorithm,
        "kms_key_id": get_any(default, &["kmsMasterKeyID", "kmsMasterKeyId"]).and_then(to_str).filter(|s| !s.is_empty()),
        "bucket_key_enabled": get(rule, "bucketKeyEnabled").and_then(to_bool).unwrap_or(false),
    }))
}

fn versioning(v: &Value) -> Option<Value> {
    if !v.is_object() {
        return None;
    }
    // Config says "Off" for a bucket that never had versioning.
    let status = match get(v, "status").and_then(to_str) {
        Some(s) if s.eq_ignore_ascii_case("Enabled") => json!("Enabled"),
        Some(s) if s.eq_ignore_ascii_case("Suspended") => json!("Suspended"),
        _ => Value::Null,
    };
    let mfa = get(v, "isMfaDeleteEnabled")
        .and_then(|m| to_bool(m).or_else(|| to_str(m).map(|s| s.eq_ignore_ascii_case("Enabled"))))
        .unwrap_or(false);
    Some(json!({"status": status, "mfa_delete": mfa}))
}

fn logging(v: &Value) -> Option<Value> {
    match v {
        Value::Null => Some(Value::Null),
        Value::Object(_) => match get(v, "destinationBucketName").and_then(to_str) {
            Some(b) if !b.is_empty() => Some(json!({
                "target_bucket": b,
                "target_prefix": get(v, "logFilePrefix").and_then(to_str).unwrap_or(""),
            })),
            _ => Some(Value::Null),
        },
        _ => None,
    }
}

fn ownership(v: &Value) -> Option<Value> {
    if v.is_null() {
        return Some(Value::Null);
    }
    let rules = path(v, &["ownershipControls", "rules"])
        .or_else(|| get(v, "rules"))?
        .as_array()?;
    Some(
        rules
            .first()
            .and_then(|r| get(r, "objectOwnership"))
            .and_then(to_str)
            .map(|s| Value::String(s.to_string()))
            .unwrap_or(Value::Null),
    )
}
