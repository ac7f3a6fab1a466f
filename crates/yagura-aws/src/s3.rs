//! S3 buckets: listed once per account, then read in their own region.

use crate::ctx::{list_items, Part, Rc};
use crate::error::{Absent, ApiError};
use crate::util::{opt_str, tag_map};
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
    let s3 = global.s3();
    let buckets = match list_items!(global, "s3", "ListBuckets", s3.list_buckets()).await {
        Ok(b) => b,
        Err(e) => return Part::unlisted(global, "s3", &e),
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

    let mut part = Part::default();
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
    let buckets = reads.into_iter().map(|(name, region)| async move {
        let rc = global.scope.region(&region);
        bucket(&rc, &name).await
    });
    part.merge(Part::join(buckets).await);
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

    let policy = policy
        .map(|o| o.policy)
        .absent_as("NoSuchBucketPolicy", None);
    part.observe_policy(&mut r, "policy", policy);
    part.observe(&mut r, "public_access_block", pab);
    part.observe(&mut r, "encryption", enc);
    let ver = ver.map(|o| {
        json!({
            "status": opt_str(o.status().map(|s| s.as_str())),
            "mfa_delete": o.mfa_delete().is_some_and(|m| m.as_str() == "Enabled"),
        })
    });
    part.observe(&mut r, "versioning", ver);
    let log = log.map(|o| {
        o.logging_enabled().map_or(
            Value::Null,
            |l| json!({"target_bucket": l.target_bucket(), "target_prefix": l.target_prefix()}),
        )
    });
    part.observe(&mut r, "logging", log);
    let acl = acl.map(|o| {
        o.grants()
            .iter()
            .map(|g| {
                let grantee = g.grantee();
                json!({
                    "grantee_type": opt_str(grantee.map(|x| x.r#type().as_str())),
                    "grantee_uri": opt_str(grantee.and_then(|x| x.uri())),
                    "permission": opt_str(g.permission().map(|p| p.as_str())),
                })
            })
            .collect()
    });
    part.observe(&mut r, "acl_grants", acl);
    let own = own
        .map(|o| {
            opt_str(
                o.ownership_controls()
                    .and_then(|c| c.rules().first())
                    .map(|r| r.object_ownership().as_str()),
            )
        })
        .absent_as("OwnershipControlsNotFoundError", Value::Null);
    part.observe(&mut r, "ownership", own);
    let life = life
        .map(|o| json!(o.rules().len()))
        .absent_as("NoSuchLifecycleConfiguration", json!(0));
    part.observe(&mut r, "lifecycle_rules", life);
    let lock = lock
        .map(|o| {
            json!(o
                .object_lock_configuration()
                .and_then(|c| c.object_lock_enabled())
                .is_some_and(|e| e.as_str() == "Enabled"))
        })
        .absent_as("ObjectLockConfigurationNotFoundError", json!(false));
    part.observe(&mut r, "object_lock", lock);
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
    rc.call(
        "s3",
        "GetPublicAccessBlock",
        s3.get_public_access_block().bucket(name).send(),
    )
    .await
    .map(|o| {
        o.public_access_block_configuration()
            .map_or(Value::Null, |c| {
                json!({
                    "block_public_acls": c.block_public_acls().unwrap_or(false),
                    "ignore_public_acls": c.ignore_public_acls().unwrap_or(false),
                    "block_public_policy": c.block_public_policy().unwrap_or(false),
                    "restrict_public_buckets": c.restrict_public_buckets().unwrap_or(false),
                })
            })
    })
    .absent_as("NoSuchPublicAccessBlockConfiguration", Value::Null)
}

/// Reads a bucket's default encryption (used by fixes for before/after).
pub(crate) async fn encryption(rc: &Rc<'_>, name: &str) -> Result<Value, ApiError> {
    let s3 = rc.s3();
    rc.call(
        "s3",
        "GetBucketEncryption",
        s3.get_bucket_encryption().bucket(name).send(),
    )
    .await
    .map(|o| {
        let rule = o
            .server_side_encryption_configuration()
            .and_then(|c| c.rules().first());
        match rule.and_then(|r| r.apply_server_side_encryption_by_default()) {
            Some(d) => json!({
                "algorithm": d.sse_algorithm().as_str(),
                "kms_key_id": d.kms_master_key_id(),
                "bucket_key_enabled": rule.and_then(|r| r.bucket_key_enabled()).unwrap_or(false),
            }),
            None => Value::Null,
        }
    })
    .absent_as(
        "ServerSideEncryptionConfigurationNotFoundError",
        Value::Null,
    )
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
