use super::policy::public_access;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-003",
    title: "S3 bucket does not allow public read access",
    severity: Severity::High,
    kind: "aws.s3.bucket",
    rationale: "A bucket ACL grant to AllUsers or AuthenticatedUsers, or a bucket policy that \
        allows reads to any principal, lets anyone on the internet list or download the data. \
        Accidental public buckets are one of the most common causes of cloud data leaks.",
    remediation: "Remove ACL grants to the AllUsers and AuthenticatedUsers groups (better: set \
        Object Ownership to BucketOwnerEnforced so ACLs are ignored), drop or narrow bucket \
        policy statements with Principal \"*\", and turn on Block Public Access. Serve public \
        content through CloudFront with origin access control instead.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-21",
        "nist-800-53-r5:SC-7",
        "pci-dss-4.0:1.4.4",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"acl_grants": [{"grantee_type": "CanonicalUser", "grantee_uri": null, "permission": "FULL_CONTROL"}], "policy": null, "public_access_block": null}"#,
            r#"{"acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}], "policy": null, "public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}}"#,
            r#"{"acl_grants": [], "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}, "public_access_block": null}"#,
        ],
        fail: &[
            r#"{"acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}], "policy": null, "public_access_block": null}"#,
            r#"{"acl_grants": [], "policy": {"Statement": [{"Sid": "Site", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}, "public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": false, "restrict_public_buckets": false}}"#,
        ],
    },
    notes: "Block Public Access neutralizes a public grant: IgnorePublicAcls for ACLs and \
        RestrictPublicBuckets for policies, on the bucket or the account.",
};

/// Representative read operations; a public statement matching any of them exposes data.
const READ_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketVersions",
];
const READ_PERMISSIONS: &[&str] = &["READ", "READ_ACP", "FULL_CONTROL"];

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    public_access(r, ctx, "read", READ_ACTIONS, READ_PERMISSIONS)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::aws::s3::testutil::run;
    use yagura_model::Outcome;

    #[test]
    fn unknown_block_public_access_is_not_assessed() {
        let o = run(
            &CHECK,
            r#"{"acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}], "policy": null}"#,
        );
        assert!(matches!(o, Outcome::NotAssessed(_)), "{o:?}");
    }

    #[test]
    fn write_only_grants_are_not_reads() {
        let o = run(
            &CHECK,
            r#"{"acl_grants": [{"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "WRITE"}], "policy": null, "public_access_block": null}"#,
        );
        assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
    }
}
