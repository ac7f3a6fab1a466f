use super::policy::public_access;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-004",
    title: "S3 bucket does not allow public write access",
    severity: Severity::Critical,
    kind: "aws.s3.bucket",
    rationale: "If anyone can write, delete or change permissions in a bucket, attackers can \
        plant malware in content you serve, destroy data, run up storage costs, or take over the \
        bucket's access control.",
    remediation: "Remove WRITE, WRITE_ACP and FULL_CONTROL grants to AllUsers and \
        AuthenticatedUsers (set Object Ownership to BucketOwnerEnforced to disable ACLs), remove \
        bucket policy statements that let Principal \"*\" put, delete or change policies, and \
        turn on Block Public Access.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:SC-7",
        "pci-dss-4.0:1.4.4",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}], "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}, "public_access_block": null}"#,
            r#"{"acl_grants": [], "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]}, "public_access_block": null, "$related": [{"kind": "aws.account", "attributes": {"s3_public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}}}]}"#,
        ],
        fail: &[
            r#"{"acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "permission": "WRITE"}], "policy": null, "public_access_block": null}"#,
            r#"{"acl_grants": [], "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}]}, "public_access_block": null}"#,
        ],
    },
    notes: "Block Public Access neutralizes a public grant: IgnorePublicAcls for ACLs and \
        RestrictPublicBuckets for policies, on the bucket or the account.",
};

/// Representative write and permission-changing operations.
const WRITE_ACTIONS: &[&str] = &[
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutObjectAcl",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:DeleteBucket",
];
const WRITE_PERMISSIONS: &[&str] = &["WRITE", "WRITE_ACP", "FULL_CONTROL"];

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    public_access(r, ctx, "write", WRITE_ACTIONS, WRITE_PERMISSIONS)
}
