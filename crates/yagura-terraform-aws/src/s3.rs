//! `aws_s3_bucket` with its companion resources (and the legacy inline arguments)
//! as one `aws.s3.bucket`.

use crate::args::{arg, block, blocks, bool_or, hoist, known_str, present, str_or, to_str, Attrs};
use crate::index::{Index, One, Target};
use crate::{base, names_of, policy};
use serde_json::{json, Value};
use yagura_model::iac::{unknown_reason, RawResource};
use yagura_model::Resource;

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

pub(crate) const PAB_FLAGS: [&str; 4] = [
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
];

/// The four Block Public Access flags of a public-access-block resource (bucket or
/// account), each `false` when not written.
pub(crate) fn pab_flags(a: &Attrs) -> Value {
    let mut m = serde_json::Map::new();
    for f in PAB_FLAGS {
        m.insert(f.into(), bool_or(a, f, false));
    }
    hoist(Value::Object(m))
}

/// The provider computes the legacy bucket arguments from AWS, so a plan marks
/// them unknown (as `<address>.<argument>`) when they are not written: such a
/// value reads as not written. Companion resources are the current way to set
/// them. Any other unknown (a reference, a variable) is kept.
fn legacy<'a>(r: &'a RawResource, key: &str) -> Option<&'a Value> {
    arg(&r.attributes, key)
        .filter(|v| unknown_reason(v).is_none_or(|why| why != format!("{}.{key}", r.address)))
}

fn grant(kind: &str, uri: Option<&str>, permission: &str) -> Value {
    json!({"grantee_type": kind, "grantee_uri": uri, "permission": permission})
}

fn owner_grant() -> Value {
    grant("CanonicalUser", None, "FULL_CONTROL")
}

/// The grants a canned ACL stands for.
fn canned(acl: &Value) -> Value {
    let Some(name) = acl.as_str() else {
        return acl.clone();
    };
    let mut g = vec![owner_grant()];
    match name {
        "private" | "bucket-owner-read" | "bucket-owner-full-control" | "aws-exec-read" => {}
        "public-read" => g.push(grant("Group", Some(ALL_USERS), "READ")),
        "public-read-write" => {
            g.push(grant("Group", Some(ALL_USERS), "READ"));
            g.push(grant("Group", Some(ALL_USERS), "WRITE"));
        }
        "authenticated-read" => g.push(grant("Group", Some(AUTHENTICATED_USERS), "READ")),
        "log-delivery-write" => {
            g.push(grant("Group", Some(LOG_DELIVERY), "WRITE"));
            g.push(grant("Group", Some(LOG_DELIVERY), "READ_ACP"));
        }
        other => return yagura_model::iac::unknown(format!("acl = \"{other}\"")),
    }
    Value::Array(g)
}

fn grantee(kind: &Value, uri: Option<&Value>) -> (Value, Value) {
    let uri = match uri {
        Some(u) => to_str("uri", u),
        None => Value::Null,
    };
    (to_str("type", kind), uri)
}

/// `aws_s3_bucket_acl`: a canned `acl` or an `access_control_policy` with grants.
fn acl_resource(a: &Attrs) -> Value {
    match block(a, "access_control_policy") {
        Err(m) => m,
        Ok(Some(p)) => {
            let grants = match blocks(p, "grant") {
                Ok(g) => g,
                Err(m) => return m,
            };
            let mut out = Vec::new();
            for g in grants {
                let ge = match block(g, "grantee") {
                    Ok(Some(ge)) => ge,
                    Ok(None) => continue,
                    Err(m) => return m,
                };
                let (kind, uri) = grantee(arg(ge, "type").unwrap_or(&Value::Null), arg(ge, "uri"));
                out.push(json!({"grantee_type": kind, "grantee_uri": uri,
                    "permission": str_or(g, "permission", None)}));
            }
            hoist(Value::Array(out))
        }
        Ok(None) => canned(&str_or(a, "acl", Some("private"))),
    }
}

/// The legacy `acl` and `grant` arguments of `aws_s3_bucket`.
fn acl_legacy(r: &RawResource) -> Value {
    let a = &r.attributes;
    let grants = match legacy(r, "grant") {
        Some(_) => blocks(a, "grant"),
        None => Ok(Vec::new()),
    };
    match grants {
        Err(m) => m,
        Ok(g) if g.is_empty() => {
            let acl = legacy(r, "acl").map_or(json!("private"), |v| to_str("acl", v));
            canned(&acl)
        }
        Ok(g) => {
            let mut out = Vec::new();
            for gr in g {
                let (kind, uri) = grantee(arg(gr, "type").unwrap_or(&Value::Null), arg(gr, "uri"));
                let perms = match arg(gr, "permissions") {
                    Some(Value::Array(p)) => p.clone(),
                    Some(v) => vec![v.clone()],
                    None => vec![],
                };
                for p in perms {
                    out.push(json!({"grantee_type": kind, "grantee_uri": uri,
                        "permission": to_str("permissions", &p)}));
                }
            }
            hoist(Value::Array(out))
        }
    }
}

/// A default-encryption rule: `apply_server_side_encryption_by_default` + bucket key.
fn encryption_rule(rule: &Attrs) -> Value {
    let by_default = match block(rule, "apply_server_side_encryption_by_default") {
        Ok(Some(d)) => d,
        Ok(None) => return sse_s3(),
        Err(m) => return m,
    };
    hoist(json!({
        "algorithm": str_or(by_default, "sse_algorithm", None),
        "kms_key_id": present(arg(by_default, "kms_master_key_id"), "kms_master_key_id"),
        "bucket_key_enabled": bool_or(rule, "bucket_key_enabled", false),
    }))
}

/// Since January 2023 S3 encrypts every bucket with SSE-S3 when nothing else is
/// configured, and the API reports it so: the bucket the code creates has it.
fn sse_s3() -> Value {
    json!({"algorithm": "AES256", "kms_key_id": null, "bucket_key_enabled": false})
}

fn encryption(ix: &Index, i: usize, names: &[String], r: &RawResource) -> Value {
    let a = &r.attributes;
    let types = ["aws_s3_bucket_server_side_encryption_configuration"];
    let rules = match ix.one(&types, "bucket", i, names) {
        One::Found(c) => blocks(&c.attributes, "rule"),
        One::Unknown(m) => return m,
        One::None => match legacy(r, "server_side_encryption_configuration") {
            None => Ok(Vec::new()),
            Some(_) => match block(a, "server_side_encryption_configuration") {
                Ok(Some(cfg)) => blocks(cfg, "rule"),
                Ok(None) => Ok(Vec::new()),
                Err(m) => Err(m),
            },
        },
    };
    match rules {
        Err(m) => m,
        Ok(r) => r.first().map_or_else(sse_s3, |rule| encryption_rule(rule)),
    }
}

fn versioning(ix: &Index, i: usize, names: &[String], r: &RawResource) -> Value {
    let a = &r.attributes;
    let never = json!({"status": null, "mfa_delete": false});
    match ix.one(&["aws_s3_bucket_versioning"], "bucket", i, names) {
        One::Unknown(m) => m,
        One::Found(c) => match block(&c.attributes, "versioning_configuration") {
            Err(m) => m,
            Ok(None) => never,
            Ok(Some(v)) => {
                let status = match str_or(v, "status", None) {
                    Value::String(s) if s == "Disabled" => Value::Null,
                    other => other,
                };
                let mfa = match str_or(v, "mfa_delete", Some("Disabled")) {
                    Value::String(s) => json!(s == "Enabled"),
                    other => other,
                };
                hoist(json!({"status": status, "mfa_delete": mfa}))
            }
        },
        One::None => match legacy(r, "versioning").map(|_| block(a, "versioning")) {
            Some(Err(m)) => m,
            Some(Ok(Some(v))) => {
                // A bucket the code creates was never versioned before, so `false`
                // means "never enabled" rather than "suspended".
                let status = match bool_or(v, "enabled", false) {
                    Value::Bool(true) => json!("Enabled"),
                    Value::Bool(false) => Value::Null,
                    other => other,
                };
                hoist(json!({"status": status, "mfa_delete": bool_or(v, "mfa_delete", false)}))
            }
            _ => never,
        },
    }
}

/// The name of the bucket a logging target refers to, when it can be told.
fn bucket_name(ix: &Index, from: &RawResource, v: Option<&Value>) -> Value {
    match ix.target(v, from) {
        Target::Res(j) => match known_str(&ix.raw[j].attributes, "bucket") {
            Some(n) => json!(n),
            None => present(v, "target_bucket"),
        },
        _ => present(v, "target_bucket"),
    }
}

fn logging(ix: &Index, i: usize, names: &[String], r: &RawResource) -> Value {
    let (from, cfg) = match ix.one(&["aws_s3_bucket_logging"], "bucket", i, names) {
        One::Unknown(m) => return m,
        One::Found(c) => (c, Some(&c.attributes)),
        One::None => match legacy(r, "logging").map(|_| block(&r.attributes, "logging")) {
            Some(Err(m)) => return m,
            Some(Ok(l)) => (r, l),
            None => (r, None),
        },
    };
    match cfg {
        None => Value::Null,
        Some(l) => json!({
            "target_bucket": bucket_name(ix, from, arg(l, "target_bucket")),
            "target_prefix": str_or(l, "target_prefix", Some("")),
        }),
    }
}

fn ownership(ix: &Index, i: usize, names: &[String]) -> Value {
    match ix.one(&["aws_s3_bucket_ownership_controls"], "bucket", i, names) {
        One::Unknown(m) => m,
        One::Found(c) => match block(&c.attributes, "rule") {
            Ok(Some(rule)) => str_or(rule, "object_ownership", None),
            Ok(None) => Value::Null,
            Err(m) => m,
        },
        // S3 disables ACLs (BucketOwnerEnforced) on every new bucket since April 2023.
        One::None => json!("BucketOwnerEnforced"),
    }
}

fn lifecycle_rules(ix: &Index, i: usize, names: &[String], r: &RawResource) -> Value {
    let a = &r.attributes;
    let rules = match ix.one(
        &["aws_s3_bucket_lifecycle_configuration"],
        "bucket",
        i,
        names,
    ) {
        One::Unknown(m) => return m,
        One::Found(c) => blocks(&c.attributes, "rule"),
        One::None => match legacy(r, "lifecycle_rule") {
            Some(_) => blocks(a, "lifecycle_rule"),
            None => Ok(Vec::new()),
        },
    };
    rules.map_or_else(|m| m, |r| json!(r.len()))
}

fn object_lock(ix: &Index, i: usize, names: &[String], r: &RawResource) -> Value {
    let a = &r.attributes;
    match ix.one(
        &["aws_s3_bucket_object_lock_configuration"],
        "bucket",
        i,
        names,
    ) {
        One::Found(_) => json!(true),
        One::Unknown(m) => m,
        One::None => {
            if let Some(Ok(Some(cfg))) = legacy(r, "object_lock_configuration")
                .map(|_| block(a, "object_lock_configuration"))
            {
                if let Value::String(s) = str_or(cfg, "object_lock_enabled", None) {
                    return json!(s == "Enabled");
                }
            }
            bool_or(a, "object_lock_enabled", false)
        }
    }
}

fn policy(ix: &Index, i: usize, names: &[String], r: &RawResource) -> Value {
    match ix.one(&["aws_s3_bucket_policy"], "bucket", i, names) {
        One::Found(c) => policy::document(ix, c, arg(&c.attributes, "policy")),
        One::Unknown(m) => m,
        One::None => policy::document(ix, r, legacy(r, "policy")),
    }
}

fn acl_grants(ix: &Index, i: usize, names: &[String], r: &RawResource) -> Value {
    match ix.one(&["aws_s3_bucket_acl"], "bucket", i, names) {
        One::Found(c) => acl_resource(&c.attributes),
        One::Unknown(m) => m,
        One::None => acl_legacy(r),
    }
}

pub(crate) fn adapt(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_s3_bucket"]) {
        let a = &r.attributes;
        let name = known_str(a, "bucket");
        let names = names_of(r);
        let arn = name.map(|n| format!("arn:{}:s3:::{n}", crate::partition(r)));
        let mut res = base(r, "aws.s3.bucket", name, arn);
        let pab = match ix.one(&["aws_s3_bucket_public_access_block"], "bucket", i, &names) {
            One::Found(c) => pab_flags(&c.attributes),
            One::Unknown(m) => m,
            // Since April 2023 S3 turns all four settings on for every new bucket,
            // as the live collector then reads them (and as for encryption and
            // ownership below): code that wants a public bucket must say so.
            One::None => crate::s3::new_bucket_public_access_block(),
        };
        res.set("public_access_block", pab);
        res.set("policy", policy(ix, i, &names, r));
        res.set("acl_grants", acl_grants(ix, i, &names, r));
        res.set("encryption", encryption(ix, i, &names, r));
        res.set("versioning", versioning(ix, i, &names, r));
        res.set("logging", logging(ix, i, &names, r));
        res.set("ownership", ownership(ix, i, &names));
        res.set("lifecycle_rules", lifecycle_rules(ix, i, &names, r));
        res.set("object_lock", object_lock(ix, i, &names, r));
        out.push(res);
    }
}

/// The Block Public Access settings S3 gives a new bucket.
pub(crate) fn new_bucket_public_access_block() -> Value {
    serde_json::json!({
        "block_public_acls": true,
        "ignore_public_acls": true,
        "block_public_policy": true,
        "restrict_public_buckets": true,
    })
}
