//! S3 buckets: listed once per account, then read in their own region.

use crate::ctx::{Part, Rc};
use crate::error::ApiError;
use crate::util::{opt_str, parse_policy, tag_map};
use futures::future::join_all;
use serde_json::{json, Value};

/// The region of a bucket from its `LocationConstraint` (empty means us-east-1,
/// `EU` is the legacy name of eu-west-1).
pub(crate) fn location_region(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".into(),
        Some("EU") => "eu-west-1".into(),
        Some(r) => r.to_string(),
    }
}

/// Lists the buckets and reads those in `regions`. `s3` is complete when the list
/// and every bucket's region were read.
pub(crate) async fn collect(global: &Rc<'_>, regions: &[String]) -> Part {
    let mut part = Part::default();
    let s3 = global.s3();
    let buckets = match global
        .call(
            "s3",
            "ListBuckets",
            s3.list_buckets()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        Ok(b) => b,
        Err(e) => {
            part.service_failed(global, &e);
            part.mark("s3", false);
            return part;
        }
    };
    let located = join_all(
        buckets
            .into_iter()
            .filter_map(|b| b.name.clone().map(|n| (n, b)))
            .map(|(name, b)| {
                let s3 = &s3;
                async move {
                    // Newer endpoints return the region in the listing; otherwise ask.
                    if let Some(r) = b.bucket_region() {
                        return (name, Ok(r.to_string()));
                    }
                    let loc = global
                        .call(
                            "s3",
                            "GetBucketLocation",
                            s3.get_bucket_location().bucket(&name).send(),
                        )
                        .await
                        .map(|o| location_region(o.location_constraint().map(|c| c.as_str())));
                    (name, loc)
                }
            }),
    )
    .await;

    let mut complete = true;
    let mut reads = Vec::new();
    for (name, loc) in located {
        let arn = format!("arn:{}:s3:::{name}", global.scope.partition);
        match loc {
            Ok(region) if regions.contains(&region) => reads.push((name, region)),
            Ok(region) => {
                tracing::debug!(bucket = %name, %region, "bucket outside the scanned regions")
            }
            Err(e) => {
                complete = false;
                part.not_assessed.push(yagura_model::NotAssessedTarget {
                    target: arn,
                    reason: format!(
                        "bucket region unknown, bucket not read: {}: {}",
                        e.call(),
                        e.describe()
                    ),
                });
            }
        }
    }
    let parts = join_all(reads.into_iter().map(|(name, region)| async move {
        let rc = global.scope.region(&region);
        bucket(&rc, &name).await
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("s3", complete);
    part
}

async fn bucket(rc: &Rc<'_>, name: &str) -> Part {
    let s3 = rc.s3();
    let mut part = Part::default();
    let arn = format!("arn:{}:s3:::{name}", rc.scope.partition);
    let mut r = rc.resource("aws.s3.bucket", &arn, name);

    let (policy, pab, enc, ver, log, acl, own, life, lock, tags) = tokio::join!(
        rc.call(
            "s3",
            "GetBucketPolicy",
            s3.get_bucket_policy().bucket(name).send()
        ),
        public_access_block(rc, name),
        encryption(rc, name),
        rc.call(
            "s3",
            "GetBucketVersioning",
            s3.get_bucket_versioning().bucket(name).send()
        ),
        rc.call(
            "s3",
            "GetBucketLogging",
            s3.get_bucket_logging().bucket(name).send()
        ),
        rc.call(
            "s3",
            "GetBucketAcl",
            s3.get_bucket_acl().bucket(name).send()
        ),
        rc.call(
            "s3",
            "GetBucketOwnershipControls",
            s3.get_bucket_ownership_controls().bucket(name).send()
        ),
        rc.call(
            "s3",
            "GetBucketLifecycleConfiguration",
            s3.get_bucket_lifecycle_configuration().bucket(name).send()
        ),
        rc.call(
            "s3",
            "GetObjectLockConfiguration",
            s3.get_object_lock_configuration().bucket(name).send()
        ),
        rc.call(
            "s3",
            "GetBucketTagging",
            s3.get_bucket_tagging().bucket(name).send()
        ),
    );

    match policy {
        Ok(o) => match o.policy().map(parse_policy) {
            Some(Ok(doc)) => r.set("policy", doc),
            Some(Err(why)) => part.attr_invalid(&arn, "policy", &why),
            None => r.set("policy", Value::Null),
        },
        Err(e) if e.is("NoSuchBucketPolicy") => r.set("policy", Value::Null),
        Err(e) => part.attr_failed(&arn, "policy", &e),
    }
    match pab {
        Ok(v) => r.set("public_access_block", v),
        Err(e) => part.attr_failed(&arn, "public_access_block", &e),
    }
    match enc {
        Ok(v) => r.set("encryption", v),
        Err(e) => part.attr_failed(&arn, "encryption", &e),
    }
    match ver {
        Ok(o) => r.set(
            "versioning",
            json!({
                "status": opt_str(o.status().map(|s| s.as_str())),
                "mfa_delete": o.mfa_delete().is_some_and(|m| m.as_str() == "Enabled"),
            }),
        ),
        Err(e) => part.attr_failed(&arn, "versioning", &e),
    }
    match log {
        Ok(o) => r.set(
            "logging",
            o.logging_enabled().map_or(
                Value::Null,
                |l| json!({"target_bucket": l.target_bucket(), "target_prefix": l.target_prefix()}),
            ),
        ),
        Err(e) => part.attr_failed(&arn, "logging", &e),
    }
    match acl {
        Ok(o) => {
            let grants: Vec<Value> = o
                .grants()
                .iter()
                .map(|g| {
                    let grantee = g.grantee();
                    json!({
                        "grantee_type": opt_str(grantee.map(|x| x.r#type().as_str())),
                        "grantee_uri": opt_str(grantee.and_then(|x| x.uri())),
                        "permission": opt_str(g.permission().map(|p| p.as_str())),
                    })
                })
                .collect();
            r.set("acl_grants", Value::Array(grants));
        }
        Err(e) => part.attr_failed(&arn, "acl_grants", &e),
    }
    match own {
        Ok(o) => r.set(
            "ownership",
            opt_str(
                o.ownership_controls()
                    .and_then(|c| c.rules().first())
                    .map(|r| r.object_ownership().as_str()),
            ),
        ),
        Err(e) if e.is("OwnershipControlsNotFoundError") => r.set("ownership", Value::Null),
        Err(e) => part.attr_failed(&arn, "ownership", &e),
    }
    match life {
        Ok(o) => r.set("lifecycle_rules", json!(o.rules().len())),
        Err(e) if e.is("NoSuchLifecycleConfiguration") => r.set("lifecycle_rules", json!(0)),
        Err(e) => part.attr_failed(&arn, "lifecycle_rules", &e),
    }
    match lock {
        Ok(o) => r.set(
            "object_lock",
            json!(o
                .object_lock_configuration()
                .and_then(|c| c.object_lock_enabled())
                .is_some_and(|e| e.as_str() == "Enabled")),
        ),
        Err(e) if e.is("ObjectLockConfigurationNotFoundError") => {
            r.set("object_lock", json!(false))
        }
        Err(e) => part.attr_failed(&arn, "object_lock", &e),
    }
    match tags {
        Ok(o) => r.tags = tag_map(o.tag_set().iter().map(|t| (Some(t.key()), Some(t.value())))),
        Err(e) if e.is("NoSuchTagSet") => {}
        // Tags are metadata, not an attribute checks read; note the gap and go on.
        Err(e) => part.attr_failed(&arn, "tags", &e),
    }
    part.resources.push(r);
    part
}

/// Reads a bucket's Block Public Access settings (used by fixes for before/after).
pub(crate) async fn public_access_block(rc: &Rc<'_>, name: &str) -> Result<Value, ApiError> {
    let s3 = rc.s3();
    match rc
        .call(
            "s3",
            "GetPublicAccessBlock",
            s3.get_public_access_block().bucket(name).send(),
        )
        .await
    {
        Ok(o) => Ok(o
            .public_access_block_configuration()
            .map_or(Value::Null, |c| {
                json!({
                    "block_public_acls": c.block_public_acls().unwrap_or(false),
                    "ignore_public_acls": c.ignore_public_acls().unwrap_or(false),
                    "block_public_policy": c.block_public_policy().unwrap_or(false),
                    "restrict_public_buckets": c.restrict_public_buckets().unwrap_or(false),
                })
            })),
        Err(e) if e.is("NoSuchPublicAccessBlockConfiguration") => Ok(Value::Null),
        Err(e) => Err(e),
    }
}

/// Reads a bucket's default encryption (used by fixes for before/after).
pub(crate) async fn encryption(rc: &Rc<'_>, name: &str) -> Result<Value, ApiError> {
    let s3 = rc.s3();
    match rc
        .call(
            "s3",
            "GetBucketEncryption",
            s3.get_bucket_encryption().bucket(name).send(),
        )
        .await
    {
        Ok(o) => {
            let rule = o
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first());
            Ok(
                match rule.and_then(|r| r.apply_server_side_encryption_by_default()) {
                    Some(d) => json!({
                        "algorithm": d.sse_algorithm().as_str(),
                        "kms_key_id": d.kms_master_key_id(),
                        "bucket_key_enabled": rule.and_then(|r| r.bucket_key_enabled()).unwrap_or(false),
                    }),
                    None => Value::Null,
                },
            )
        }
        Err(e) if e.is("ServerSideEncryptionConfigurationNotFoundError") => Ok(Value::Null),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_regions() {
        assert_eq!(location_region(None), "us-east-1");
        assert_eq!(location_region(Some("")), "us-east-1");
        assert_eq!(location_region(Some("EU")), "eu-west-1");
        assert_eq!(location_region(Some("ap-south-1")), "ap-south-1");
    }
}
