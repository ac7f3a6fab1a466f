use super::trails::{name, trail_bucket};
use crate::aws::s3::policy::{ALL_USERS_URI, AUTHENTICATED_USERS_URI};
use crate::util::policy_is_public;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-008",
    title: "The CloudTrail S3 bucket is not publicly accessible",
    severity: Severity::Critical,
    kind: "aws.cloudtrail.trail",
    rationale: "CloudTrail logs describe the whole account: users, resources, IP addresses and \
        errors. A public log bucket hands that map to anyone, and a writable one lets them \
        forge or erase the audit trail.",
    remediation: "Remove bucket policy statements and ACL grants for everyone (`*`, AllUsers, \
        AuthenticatedUsers) on the trail's bucket and enable all four Block Public Access \
        settings on it.",
    frameworks: &[
        "nist-800-53-r5:AU-9",
        "nist-800-53-r5:AC-3",
        "pci-dss-4.0:10.3.2",
        "pci-dss-4.0:1.4.4",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"trail_name": "main", "s3_bucket": "fixture-related-0", "$related": [{"kind": "aws.s3.bucket", "attributes": {"public_access_block": null, "ownership": "BucketOwnerEnforced", "acl_grants": [], "policy": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail/*"}]}}}]}"#,
            r#"{"trail_name": "main", "s3_bucket": "fixture-related-0", "$related": [{"kind": "aws.s3.bucket", "attributes": {"public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}, "ownership": "ObjectWriter", "acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}], "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::trail/*"}]}}}]}"#,
        ],
        fail: &[
            r#"{"trail_name": "main", "s3_bucket": "fixture-related-0", "$related": [{"kind": "aws.s3.bucket", "attributes": {"public_access_block": null, "ownership": "BucketOwnerEnforced", "acl_grants": [], "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::trail/*"}]}}}]}"#,
            r#"{"trail_name": "main", "s3_bucket": "fixture-related-0", "$related": [{"kind": "aws.s3.bucket", "attributes": {"public_access_block": null, "ownership": "ObjectWriter", "acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "permission": "READ"}], "policy": null}}]}"#,
        ],
    },
    notes: "Fixtures name the bucket by the fixture resource's name (`fixture-related-0`); a \
        bucket outside the inventory is NOT_ASSESSED.",
};

const PUBLIC_GROUPS: [&str; 2] = [ALL_USERS_URI, AUTHENTICATED_USERS_URI];

/// A Block Public Access setting, from the bucket or its account.
fn blocked(bucket: &Resource, ctx: &Ctx, setting: &str) -> bool {
    let on =
        |v: Option<&Value>| v.and_then(|p| p.get(setting)).and_then(Value::as_bool) == Some(true);
    on(bucket.attributes.get("public_access_block"))
        || ctx
            .inventory
            .related("aws.account", bucket)
            .any(|a| on(a.attributes.get("s3_public_access_block")))
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let (bucket, b) = match trail_bucket(r, ctx.inventory) {
        Ok(found) => found,
        Err(o) => return o,
    };
    let mut exposures = Vec::new();
    // RestrictPublicBuckets neutralises a public policy; IgnorePublicAcls and
    // BucketOwnerEnforced ownership neutralise ACL grants.
    if !blocked(b, ctx, "restrict_public_buckets") {
        match b.attr("policy").value() {
            Ok(p) if policy_is_public(p) => {
                exposures.push("its bucket policy allows everyone".to_string())
            }
            Ok(_) => {}
            Err(e) => return Outcome::NotAssessed(format!("bucket {bucket}: {e}")),
        }
    }
    let acls_disabled = b.attr("ownership").str().ok().flatten() == Some("BucketOwnerEnforced");
    if !acls_disabled && !blocked(b, ctx, "ignore_public_acls") {
        let grants = match b.attr("acl_grants").array() {
            Ok(g) => g,
            Err(e) => return Outcome::NotAssessed(format!("bucket {bucket}: {e}")),
        };
        for g in grants {
            let uri = g.get("grantee_uri").and_then(Value::as_str).unwrap_or("");
            if PUBLIC_GROUPS.contains(&uri) {
                let who = uri.rsplit('/').next().unwrap_or(uri);
                let perm = g.get("permission").and_then(Value::as_str).unwrap_or("?");
                exposures.push(format!("its ACL grants {perm} to {who}"));
            }
        }
    }
    if exposures.is_empty() {
        Outcome::Pass(format!(
            "bucket {bucket} of trail {} is not publicly accessible",
            name(r)
        ))
    } else {
        Outcome::Fail(format!(
            "bucket {bucket} of trail {} is public: {}",
            name(r),
            exposures.join("; ")
        ))
    }
}
