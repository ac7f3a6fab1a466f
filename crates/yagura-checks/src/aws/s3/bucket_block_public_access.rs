use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-001",
    title: "S3 bucket blocks public access",
    severity: Severity::High,
    kind: "aws.s3.bucket",
    rationale: "Block Public Access overrides any ACL or bucket policy that would make objects \
        public. Without all four settings, one careless grant exposes the data to the internet.",
    remediation: "Enable all four Block Public Access settings on the bucket (or on the account): \
        `aws s3api put-public-access-block --bucket NAME --public-access-block-configuration \
        BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.",
    frameworks: &["cis-aws-3.0:2.1.4", "nist-800-53-r5:AC-3", "nist-800-53-r5:SC-7", "pci-dss-4.0:1.4.1"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}}"#,
            r#"{"public_access_block": null, "$related": [{"kind": "aws.account", "attributes": {"s3_public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}}}]}"#,
        ],
        fail: &[
            r#"{"public_access_block": null}"#,
            r#"{"public_access_block": {"block_public_acls": true, "ignore_public_acls": false, "block_public_policy": true, "restrict_public_buckets": true}}"#,
        ],
    },
    notes: "",
};

const SETTINGS: [&str; 4] = [
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
];

fn all_on(v: &serde_json::Value) -> bool {
    SETTINGS
        .iter()
        .all(|k| v.get(k).and_then(|x| x.as_bool()) == Some(true))
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let bucket = match r.attr("public_access_block").value() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if all_on(bucket) {
        return Outcome::Pass("all four Block Public Access settings are on for the bucket".into());
    }
    // The account-level block applies to every bucket in the account.
    let account_blocks = ctx.inventory.related("aws.account", r).any(|a| {
        a.attributes
            .get("s3_public_access_block")
            .is_some_and(all_on)
    });
    if account_blocks {
        return Outcome::Pass("the account-level Block Public Access settings are all on".into());
    }
    let off: Vec<&str> = SETTINGS
        .iter()
        .copied()
        .filter(|k| bucket.get(k).and_then(|x| x.as_bool()) != Some(true))
        .collect();
    Outcome::Fail(format!(
        "Block Public Access settings off: {}",
        off.join(", ")
    ))
}
