//! The collector against hand-written Config files: one account over two regions
//! (a JSON snapshot, a gzipped snapshot, a history file, a non-JSON file) and a
//! folder of damaged inputs.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use yagura_awsconfig::{collect, normalize, parse_file, Collection, SnapshotError};
use yagura_model::{Resource, SourceKind};

const ACCT: &str = "123456789012";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn account() -> Collection {
    collect(&fixtures().join("account")).expect("fixture folder readable")
}

fn find<'a>(c: &'a Collection, kind: &str, id: &str) -> &'a Resource {
    c.resources
        .iter()
        .find(|r| r.kind == kind && r.id == id)
        .unwrap_or_else(|| panic!("no {kind} {id}"))
}

fn attrs(c: &Collection, kind: &str, id: &str) -> Value {
    find(c, kind, id).attributes.clone()
}

fn ec2(kind: &str, id: &str) -> String {
    format!("arn:aws:ec2:us-east-1:{ACCT}:{kind}/{id}")
}

#[test]
fn account_folder_reads_every_file_without_errors() {
    let c = account();
    let errors: Vec<String> = c.errors.iter().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(c.files_read, 3, "two snapshots and one history file");
    assert_eq!(c.items_read, 61 + 5 + 6);
    assert!(c
        .resources
        .iter()
        .all(|r| r.source == SourceKind::AwsConfig));
    let na: Vec<(String, String)> = c
        .not_assessed
        .iter()
        .map(|n| {
            (
                n.target.rsplit('/').next().unwrap_or("").to_string(),
                n.reason.clone(),
            )
        })
        .collect();
    assert_eq!(
        na,
        vec![
            ("ConfigWritabilityCheckFile".into(), "not a JSON file; skipped".into()),
            (
                "AWS::Config::ResourceCompliance".into(),
                "resource type not supported by yagura (1 items)".into()
            ),
            ("AWS::EC2::RouteTable".into(), "resource type not supported by yagura (2 items)".into()),
            (
                "AWS::EC2::Instance".into(),
                "1 resource(s) listed with configurationItemStatus ResourceNotRecorded: their configuration was not recorded"
                    .into()
            ),
        ]
    );
}

#[test]
fn resource_identity_tags_and_location() {
    let c = account();
    let b = find(&c, "aws.s3.bucket", "arn:aws:s3:::good-bucket");
    assert_eq!(b.name, "good-bucket");
    assert_eq!(b.account.as_deref(), Some(ACCT));
    assert_eq!(b.region.as_deref(), Some("us-east-1"));
    assert_eq!(b.tags.get("team").map(String::as_str), Some("data"));
    let loc = b.location.as_ref().expect("location");
    assert!(
        loc.file
            .ends_with("_ConfigSnapshot_20240501T120000Z_7f1c.json"),
        "{}",
        loc.file
    );
    // IAM is global: region `global`, as the live collector reports it.
    let u = find(
        &c,
        "aws.iam.user",
        &format!("arn:aws:iam::{ACCT}:user/alice"),
    );
    assert_eq!(u.region.as_deref(), Some("global"));
    // EC2 names come from the Name tag when there is one.
    assert_eq!(
        find(&c, "aws.ec2.instance", &ec2("instance", "i-good")).name,
        "web-1"
    );
    // Output order is stable: sorted by type, then account, region and id.
    let again = account();
    let ids = |c: &Collection| c.resources.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&c), ids(&again));
}

#[test]
fn s3_buckets() {
    let c = account();
    let all_on = json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true});
    assert_eq!(
        attrs(&c, "aws.s3.bucket", "arn:aws:s3:::good-bucket"),
        json!({
            "public_access_block": all_on,
            "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": ["arn:aws:s3:::good-bucket", "arn:aws:s3:::good-bucket/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]},
            "acl_grants": [{"grantee_type": "CanonicalUser", "grantee_uri": null, "permission": "FULL_CONTROL"}],
            "encryption": {"algorithm": "aws:kms", "kms_key_id": format!("arn:aws:kms:us-east-1:{ACCT}:key/k1"), "bucket_key_enabled": true},
            "versioning": {"status": "Enabled", "mfa_delete": true},
            "logging": {"target_bucket": "log-bucket", "target_prefix": "good/"},
            "lifecycle_rules": 2
        })
    );
    // Misconfigured: public ACL grants (double-encoded ACL), public policy, no
    // block, no default encryption, versioning never enabled, no logging.
    assert_eq!(
        attrs(&c, "aws.s3.bucket", "arn:aws:s3:::public-bucket"),
        json!({
            "public_access_block": null,
            "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public-bucket/*"}]},
            "acl_grants": [
                {"grantee_type": "CanonicalUser", "grantee_uri": null, "permission": "FULL_CONTROL"},
                {"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"},
                {"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "permission": "WRITE_ACP"}
            ],
            "encryption": null,
            "versioning": {"status": null, "mfa_delete": false},
            "logging": null,
            "lifecycle_rules": 0
        })
    );
    // An item without the always-written entries proves nothing about the rest.
    assert_eq!(
        attrs(&c, "aws.s3.bucket", "arn:aws:s3:::partial-bucket"),
        json!({"policy": null})
    );
    // From the gzipped eu-west-1 snapshot.
    assert_eq!(
        attrs(&c, "aws.s3.bucket", "arn:aws:s3:::eu-bucket"),
        json!({
            "public_access_block": all_on,
            "policy": null,
            "acl_grants": [{"grantee_type": "CanonicalUser", "grantee_uri": null, "permission": "FULL_CONTROL"}],
            "encryption": {"algorithm": "AES256", "kms_key_id": null, "bucket_key_enabled": false},
            "versioning": {"status": "Suspended", "mfa_delete": false},
            "logging": null,
            "ownership": "BucketOwnerEnforced",
            "lifecycle_rules": 0
        })
    );
    assert_eq!(
        find(&c, "aws.s3.bucket", "arn:aws:s3:::eu-bucket")
            .region
            .as_deref(),
        Some("eu-west-1")
    );
}

#[test]
fn security_groups_with_history_and_interface_use() {
    let c = account();
    let all_out = json!([{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []}]);
    // The history item captured after the snapshot wins; the older one is ignored.
    assert_eq!(
        attrs(
            &c,
            "aws.ec2.security_group",
            &ec2("security-group", "sg-0a1")
        ),
        json!({
            "group_id": "sg-0a1", "group_name": "web", "vpc_id": "vpc-1", "is_default": false,
            "ingress": [
                {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []},
                {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["203.0.113.0/24"], "cidrs_v6": [], "source_groups": []}
            ],
            "egress": all_out,
            "in_use": true
        })
    );
    // The default group: self-reference and SSH from the IPv6 internet; interfaces
    // were recorded in the region and none uses it.
    assert_eq!(
        attrs(
            &c,
            "aws.ec2.security_group",
            &ec2("security-group", "sg-0b2")
        ),
        json!({
            "group_id": "sg-0b2", "group_name": "default", "vpc_id": "vpc-1", "is_default": true,
            "ingress": [
                {"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": [], "cidrs_v6": [], "source_groups": ["sg-0b2"]},
                {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": [], "cidrs_v6": ["::/0"], "source_groups": []}
            ],
            "egress": all_out,
            "in_use": false
        })
    );
    // PascalCase permissions are read too; use comes from the instance relationship.
    let open = attrs(
        &c,
        "aws.ec2.security_group",
        &ec2("security-group", "sg-0c3"),
    );
    assert_eq!(
        open["ingress"],
        json!([
            {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []},
            {"protocol": "6", "from_port": 3389, "to_port": 3389, "cidrs_v4": ["198.51.100.0/24"], "cidrs_v6": [], "source_groups": []}
        ])
    );
    assert_eq!(open["in_use"], json!(true));
    // No interfaces recorded in eu-west-1: use is unknown, so absent.
    let eu = attrs(
        &c,
        "aws.ec2.security_group",
        &format!("arn:aws:ec2:eu-west-1:{ACCT}:security-group/sg-eu1"),
    );
    assert!(eu.get("in_use").is_none());
    assert_eq!(eu["ingress"][0]["cidrs_v4"], json!(["0.0.0.0/0"]));
}

#[test]
fn network_acls_subnets_vpcs_and_volumes() {
    let c = account();
    assert_eq!(
        attrs(&c, "aws.ec2.network_acl", &ec2("network-acl", "acl-1")),
        json!({
            "network_acl_id": "acl-1", "vpc_id": "vpc-1", "is_default": true,
            "entries": [
                {"rule_number": 100, "protocol": "6", "rule_action": "allow", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": 22, "to_port": 22},
                {"rule_number": 32767, "protocol": "-1", "rule_action": "deny", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null},
                {"rule_number": 101, "protocol": "-1", "rule_action": "allow", "egress": true, "cidr_v4": null, "cidr_v6": "::/0", "from_port": null, "to_port": null}
            ]
        })
    );
    assert_eq!(
        attrs(&c, "aws.ec2.subnet", &ec2("subnet", "subnet-1")),
        json!({"subnet_id": "subnet-1", "vpc_id": "vpc-1", "map_public_ip_on_launch": true, "default_for_az": false})
    );
    // The VPC flow log joins its VPC; the subnet flow log does not.
    assert_eq!(
        attrs(&c, "aws.ec2.vpc", &ec2("vpc", "vpc-1")),
        json!({"vpc_id": "vpc-1", "is_default": false, "cidr_block": "10.0.0.0/16",
               "flow_logs": [{"flow_log_id": "fl-1", "traffic_type": "ALL"}]})
    );
    assert_eq!(
        attrs(&c, "aws.ec2.vpc", &ec2("vpc", "vpc-2")),
        json!({"vpc_id": "vpc-2", "is_default": true, "cidr_block": "172.31.0.0/16", "flow_logs": []})
    );
    // Flow logs were not recorded in eu-west-1.
    let eu = attrs(
        &c,
        "aws.ec2.vpc",
        &format!("arn:aws:ec2:eu-west-1:{ACCT}:vpc/vpc-eu"),
    );
    assert!(eu.get("flow_logs").is_none(), "{eu}");
    assert_eq!(
        attrs(&c, "aws.ec2.volume", &ec2("volume", "vol-enc")),
        json!({"volume_id": "vol-enc", "encrypted": true, "kms_key_id": format!("arn:aws:kms:us-east-1:{ACCT}:key/k1"), "state": "in-use", "attached": true})
    );
    assert_eq!(
        attrs(&c, "aws.ec2.volume", &ec2("volume", "vol-plain")),
        json!({"volume_id": "vol-plain", "encrypted": false, "kms_key_id": null, "state": "available", "attached": false})
    );
}

#[test]
fn instances_and_deletions_from_history() {
    let c = account();
    assert_eq!(
        attrs(&c, "aws.ec2.instance", &ec2("instance", "i-good")),
        json!({
            "instance_id": "i-good", "state": "running",
            "metadata_options": {"http_tokens": "required", "http_endpoint": "enabled", "http_put_response_hop_limit": 1},
            "public_ip": null,
            "iam_instance_profile": format!("arn:aws:iam::{ACCT}:instance-profile/web"),
            "vpc_id": "vpc-1", "subnet_id": "subnet-1", "security_groups": ["sg-0a1"],
            "image_id": "ami-0abcdef1234567890", "launch_time": "2024-01-02T03:04:05Z"
        })
    );
    // An item from before instance metadata options existed: not observed.
    let old = attrs(&c, "aws.ec2.instance", &ec2("instance", "i-old"));
    assert!(old.get("metadata_options").is_none());
    assert_eq!(old["state"], json!("stopped"));
    // Deleted after the snapshot, or created and deleted inside the history window.
    let ids: Vec<&str> = c.resources.iter().map(|r| r.id.as_str()).collect();
    assert!(!ids.contains(&ec2("instance", "i-bad").as_str()));
    assert!(!ids.contains(&ec2("volume", "vol-gone").as_str()));
    // Created after the snapshot.
    assert_eq!(
        attrs(&c, "aws.ec2.instance", &ec2("instance", "i-new"))["metadata_options"]
            ["http_endpoint"],
        json!("disabled")
    );
    // Listed but not recorded: the resource exists, nothing about it is observed.
    assert_eq!(
        attrs(&c, "aws.ec2.instance", &ec2("instance", "i-unrecorded")),
        json!({"instance_id": "i-unrecorded"})
    );
}

#[test]
fn iam_principals_and_policies() {
    let c = account();
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    // No credential facts in Config: password, MFA and keys stay absent.
    assert_eq!(
        attrs(
            &c,
            "aws.iam.user",
            &format!("arn:aws:iam::{ACCT}:user/alice")
        ),
        json!({"user_name": "alice", "created": "2022-02-02T10:00:00Z",
               "attached_policies": ["arn:aws:iam::aws:policy/AWSCloudShellFullAccess"],
               "inline_policies": ["inline-read"], "groups": ["admins"]})
    );
    assert_eq!(
        attrs(
            &c,
            "aws.iam.role",
            &format!("arn:aws:iam::{ACCT}:role/app-role")
        ),
        json!({"role_name": "app-role", "attached_policies": ["arn:aws:iam::aws:policy/AdministratorAccess"], "trust_policy": trust})
    );
    assert_eq!(
        attrs(
            &c,
            "aws.iam.role",
            &format!("arn:aws:iam::{ACCT}:role/support-role")
        )["last_used"],
        json!("2024-04-30T08:00:00Z")
    );
    // The default version (v2), URL-decoded.
    assert_eq!(
        attrs(
            &c,
            "aws.iam.policy",
            &format!("arn:aws:iam::{ACCT}:policy/my-policy")
        ),
        json!({"policy_name": "my-policy", "aws_managed": false, "attachment_count": 1,
               "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}})
    );
}

#[test]
fn kms_cloudtrail_and_rds() {
    let c = account();
    let key = |id: &str| format!("arn:aws:kms:us-east-1:{ACCT}:key/{id}");
    // Rotation status is not in Config items: absent for a key that could rotate.
    assert_eq!(
        attrs(&c, "aws.kms.key", &key("k1")),
        json!({"key_id": "k1", "key_manager": "CUSTOMER", "key_spec": "SYMMETRIC_DEFAULT", "key_state": "Enabled"})
    );
    // Asymmetric and imported keys cannot rotate: null is read, not guessed.
    assert_eq!(
        attrs(&c, "aws.kms.key", &key("k2"))["rotation_enabled"],
        Value::Null
    );
    assert_eq!(
        attrs(
            &c,
            "aws.kms.key",
            &format!("arn:aws:kms:eu-west-1:{ACCT}:key/k-eu")
        )["rotation_enabled"],
        Value::Null
    );
    assert_eq!(
        attrs(&c, "aws.kms.key", &key("k3"))["key_state"],
        json!("PendingDeletion")
    );

    assert_eq!(
        attrs(
            &c,
            "aws.cloudtrail.trail",
            &format!("arn:aws:cloudtrail:us-east-1:{ACCT}:trail/main")
        ),
        json!({
            "trail_name": "main", "home_region": "us-east-1", "is_multi_region": true, "is_organization_trail": false,
            "log_file_validation": true, "kms_key_id": key("k1"), "s3_bucket": "trail-bucket",
            "cloudwatch_log_group_arn": format!("arn:aws:logs:us-east-1:{ACCT}:log-group:trail:*"),
            "management_events": {"read": true, "write": true}, "s3_data_events": {"read": false, "write": false}
        })
    );
    let data = attrs(
        &c,
        "aws.cloudtrail.trail",
        &format!("arn:aws:cloudtrail:us-east-1:{ACCT}:trail/data"),
    );
    assert_eq!(
        data["management_events"],
        json!({"read": false, "write": true})
    );
    assert_eq!(
        data["s3_data_events"],
        json!({"read": false, "write": true})
    );
    assert_eq!(data["kms_key_id"], Value::Null);
    assert_eq!(data["cloudwatch_log_group_arn"], Value::Null);
    // Trail status is not part of the item.
    assert!(data.get("is_logging").is_none() && data.get("latest_cloudwatch_delivery").is_none());

    assert_eq!(
        attrs(
            &c,
            "aws.rds.db_instance",
            &format!("arn:aws:rds:us-east-1:{ACCT}:db:dev-db")
        ),
        json!({
            "db_instance_id": "dev-db", "engine": "postgres", "engine_version": "15.4", "storage_encrypted": false,
            "kms_key_id": null, "publicly_accessible": true, "auto_minor_version_upgrade": false, "multi_az": false,
            "backup_retention_days": 0, "deletion_protection": false, "iam_auth": false, "copy_tags_to_snapshot": false,
            "enhanced_monitoring_interval": 0
        })
    );
    let prod = attrs(
        &c,
        "aws.rds.db_instance",
        &format!("arn:aws:rds:us-east-1:{ACCT}:db:prod-db"),
    );
    assert_eq!(
        (
            prod["iam_auth"].clone(),
            prod["enhanced_monitoring_interval"].clone()
        ),
        (json!(true), json!(60))
    );
    let snap = |id: &str| {
        attrs(
            &c,
            "aws.rds.db_snapshot",
            &format!("arn:aws:rds:us-east-1:{ACCT}:snapshot:{id}"),
        )
    };
    assert_eq!(
        snap("snap-public"),
        json!({"snapshot_id": "snap-public", "encrypted": false, "public": true})
    );
    assert_eq!(
        snap("snap-private"),
        json!({"snapshot_id": "snap-private", "encrypted": true, "public": false})
    );
    assert_eq!(
        snap("snap-unknown"),
        json!({"snapshot_id": "snap-unknown", "encrypted": true})
    );
}

#[test]
fn efs_lambda_elb_ecr_eks() {
    let c = account();
    let efs = |id: &str| {
        attrs(
            &c,
            "aws.efs.file_system",
            &format!("arn:aws:elasticfilesystem:us-east-1:{ACCT}:file-system/{id}"),
        )
    };
    assert_eq!(
        efs("fs-1"),
        json!({"file_system_id": "fs-1", "encrypted": true, "kms_key_id": format!("arn:aws:kms:us-east-1:{ACCT}:key/k1"), "backup_enabled": true})
    );
    assert_eq!(
        efs("fs-2"),
        json!({"file_system_id": "fs-2", "encrypted": false, "kms_key_id": null})
    );

    let fn_arn = |n: &str| format!("arn:aws:lambda:us-east-1:{ACCT}:function:{n}");
    assert_eq!(
        attrs(&c, "aws.lambda.function", &fn_arn("fn-public")),
        json!({
            "function_name": "fn-public", "runtime": "python3.8", "package_type": "Zip", "vpc_id": null,
            "policy": {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "public", "Effect": "Allow", "Principal": "*",
                "Action": "lambda:InvokeFunction", "Resource": fn_arn("fn-public")}]},
            "environment_keys": ["DB_PASSWORD", "STAGE"], "tracing_mode": "PassThrough"
        })
    );
    // Function URLs are not in Config: url_auth_type is absent.
    assert_eq!(
        attrs(&c, "aws.lambda.function", &fn_arn("fn-private")),
        json!({"function_name": "fn-private", "runtime": null, "package_type": "Image", "vpc_id": "vpc-1", "policy": null, "tracing_mode": "Active"})
    );

    let alb = format!(
        "arn:aws:elasticloadbalancing:us-east-1:{ACCT}:loadbalancer/app/web-alb/50dc6c495c0c9188"
    );
    assert_eq!(
        attrs(&c, "aws.elbv2.load_balancer", &alb),
        json!({
            "load_balancer_name": "web-alb", "type": "application", "scheme": "internet-facing",
            "listeners": [
                {"port": 80, "protocol": "HTTP", "ssl_policy": null, "redirects_to_https": true},
                {"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "redirects_to_https": false}
            ],
            "drop_invalid_header_fields": false, "deletion_protection": true, "access_logs_enabled": false,
            "desync_mitigation_mode": "defensive"
        })
    );
    let nlb = format!(
        "arn:aws:elasticloadbalancing:us-east-1:{ACCT}:loadbalancer/net/int-nlb/73e2d6bc24d8a067"
    );
    assert_eq!(
        attrs(&c, "aws.elbv2.load_balancer", &nlb),
        json!({"load_balancer_name": "int-nlb", "type": "network", "scheme": "internal", "listeners": [],
               "deletion_protection": false, "access_logs_enabled": true, "desync_mitigation_mode": null})
    );

    let repo = |n: &str| {
        attrs(
            &c,
            "aws.ecr.repository",
            &format!("arn:aws:ecr:us-east-1:{ACCT}:repository/{n}"),
        )
    };
    assert_eq!(
        repo("app"),
        json!({
            "repository_name": "app", "scan_on_push": true, "image_tag_mutability": "IMMUTABLE", "encryption_type": "KMS",
            "lifecycle_policy": true,
            "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCT}:root")}, "Action": "ecr:BatchGetImage"}]}
        })
    );
    assert_eq!(
        repo("legacy"),
        json!({"repository_name": "legacy", "scan_on_push": false, "image_tag_mutability": "MUTABLE", "encryption_type": "AES256"})
    );

    let eks = |n: &str| {
        attrs(
            &c,
            "aws.eks.cluster",
            &format!("arn:aws:eks:us-east-1:{ACCT}:cluster/{n}"),
        )
    };
    assert_eq!(
        eks("prod"),
        json!({"cluster_name": "prod", "version": "1.27", "endpoint_public_access": true, "public_access_cidrs": ["0.0.0.0/0"],
               "secrets_encryption": false, "logging_enabled": ["api", "audit"]})
    );
    assert_eq!(
        eks("secure"),
        json!({"cluster_name": "secure", "version": "1.29", "endpoint_public_access": false, "public_access_cidrs": [],
               "secrets_encryption": true, "logging_enabled": ["api", "audit", "authenticator", "controllerManager", "scheduler"]})
    );
}

#[test]
fn messaging_data_secrets_logs_alarms() {
    let c = account();
    let topic = |n: &str| {
        attrs(
            &c,
            "aws.sns.topic",
            &format!("arn:aws:sns:us-east-1:{ACCT}:{n}"),
        )
    };
    assert_eq!(topic("alerts")["kms_key_id"], json!("alias/aws/sns"));
    assert_eq!(
        topic("alerts")["policy"]["Statement"][0]["Principal"],
        json!({"AWS": "*"})
    );
    assert_eq!(
        topic("plain"),
        json!({"topic_name": "plain", "kms_key_id": null})
    );

    let queue = |n: &str| {
        attrs(
            &c,
            "aws.sqs.queue",
            &format!("arn:aws:sqs:us-east-1:{ACCT}:{n}"),
        )
    };
    assert_eq!(
        queue("orders"),
        json!({"queue_name": "orders", "url": format!("https://sqs.us-east-1.amazonaws.com/{ACCT}/orders"),
               "kms_key_id": null, "sqs_managed_sse": true, "policy": null})
    );
    assert_eq!(queue("open")["sqs_managed_sse"], json!(false));
    assert_eq!(queue("open")["kms_key_id"], json!("alias/aws/sqs"));
    assert_eq!(
        queue("open")["policy"]["Statement"][0]["Principal"],
        json!("*")
    );

    let table = |n: &str| {
        attrs(
            &c,
            "aws.dynamodb.table",
            &format!("arn:aws:dynamodb:us-east-1:{ACCT}:table/{n}"),
        )
    };
    assert_eq!(
        table("orders"),
        json!({"table_name": "orders", "pitr_enabled": true, "deletion_protection": true, "sse_type": "KMS",
               "kms_key_id": format!("arn:aws:kms:us-east-1:{ACCT}:key/k1")})
    );
    assert_eq!(
        table("cache"),
        json!({"table_name": "cache", "pitr_enabled": false, "deletion_protection": false, "sse_type": null, "kms_key_id": null})
    );

    let secret = |n: &str| {
        attrs(
            &c,
            "aws.secretsmanager.secret",
            &format!("arn:aws:secretsmanager:us-east-1:{ACCT}:secret:{n}"),
        )
    };
    assert_eq!(
        secret("db-creds-AbCdEf"),
        json!({"secret_name": "db-creds", "rotation_enabled": true, "rotation_days": 30, "last_rotated": "2024-04-15T00:00:00Z",
               "last_accessed": "2024-05-01T00:00:00Z", "created": "2023-01-01T00:00:00Z",
               "kms_key_id": format!("arn:aws:kms:us-east-1:{ACCT}:key/k1")})
    );
    assert_eq!(
        secret("api-key-GhIjKl"),
        json!({"secret_name": "api-key", "rotation_enabled": false, "rotation_days": null, "last_rotated": null,
               "last_accessed": null, "created": "2023-02-01T00:00:00Z", "kms_key_id": null})
    );

    // Log-group ids drop the ":*" suffix; metric filters are not in Config.
    assert_eq!(
        attrs(
            &c,
            "aws.logs.log_group",
            &format!("arn:aws:logs:us-east-1:{ACCT}:log-group:/aws/lambda/fn-public")
        ),
        json!({"log_group_name": "/aws/lambda/fn-public", "retention_days": 30, "kms_key_id": format!("arn:aws:kms:us-east-1:{ACCT}:key/k1")})
    );
    assert_eq!(
        attrs(
            &c,
            "aws.logs.log_group",
            &format!("arn:aws:logs:us-east-1:{ACCT}:log-group:app-logs")
        ),
        json!({"log_group_name": "app-logs", "retention_days": null, "kms_key_id": null})
    );
    assert_eq!(
        attrs(
            &c,
            "aws.cloudwatch.alarm",
            &format!("arn:aws:cloudwatch:us-east-1:{ACCT}:alarm:root-usage")
        ),
        json!({"alarm_name": "root-usage", "metric_name": "RootAccountUsage", "namespace": "CloudTrailMetrics",
               "actions_enabled": true, "alarm_actions": [format!("arn:aws:sns:us-east-1:{ACCT}:alerts")]})
    );
}

#[test]
fn account_and_region_resources() {
    let c = account();
    let regions: Vec<&Resource> = c
        .resources
        .iter()
        .filter(|r| r.kind == "aws.region")
        .collect();
    assert_eq!(regions.len(), 2);
    assert_eq!(
        attrs(
            &c,
            "aws.region",
            &format!("arn:aws:ec2:us-east-1:{ACCT}:region-settings")
        ),
        json!({"observed": ["cloudtrail", "cloudwatch", "dynamodb", "ec2", "ecr", "efs", "eks", "elbv2", "kms",
                            "lambda", "logs", "rds", "s3", "secretsmanager", "sns", "sqs"]})
    );
    assert_eq!(
        attrs(
            &c,
            "aws.region",
            &format!("arn:aws:ec2:eu-west-1:{ACCT}:region-settings")
        ),
        json!({"observed": ["ec2", "kms", "s3"]})
    );
    let acct = find(&c, "aws.account", &format!("arn:aws:iam::{ACCT}:root"));
    assert_eq!(acct.account.as_deref(), Some(ACCT));
    // Regional services count for the account only when every region recorded
    // them; the us-east-1 block (captured later) beats the eu-west-1 one.
    assert_eq!(
        acct.attributes,
        json!({
            "observed": ["ec2", "iam", "kms", "s3"],
            "support_policy_attached": true,
            "cloudshell_full_access_attachments": 2,
            "s3_public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": false}
        })
    );
}

#[test]
fn damaged_inputs_are_reported_and_the_rest_is_kept() {
    let dir = fixtures().join("damaged");
    let c = collect(&dir).expect("folder readable");
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut by_file: Vec<(String, &SnapshotError)> =
        c.errors.iter().map(|e| (name_of(e.path()), e)).collect();
    by_file.sort_by(|a, b| a.0.cmp(&b.0));
    let summary: Vec<String> = by_file.iter().map(|(f, e)| format!("{f}: {e}")).collect();
    assert_eq!(by_file.len(), 6, "{summary:#?}");

    // Item-level problems: the broken `configuration`, an item without a type, a null.
    let items: Vec<(usize, &str)> = by_file
        .iter()
        .filter_map(|(_, e)| match e {
            SnapshotError::Item {
                index, resource_id, ..
            } => Some((*index, resource_id.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        items,
        vec![(0, "bad-config"), (1, "no-type"), (2, "?")],
        "{summary:#?}"
    );
    let first = by_file
        .iter()
        .find(|(f, _)| f == "bad-items.json")
        .map(|(_, e)| e.to_string());
    assert_eq!(
        first.as_deref().map(|s| s.split("bad-items.json: ").nth(1).unwrap_or("")),
        Some("configurationItems[0] (AWS::S3::Bucket bad-config): `configuration` is text that is not a JSON object; its attributes are treated as not observed")
    );

    let not_json = by_file
        .iter()
        .find(|(f, _)| f == "not-json.json")
        .map(|(_, e)| e);
    assert!(matches!(
        not_json,
        Some(SnapshotError::NotJson { empty: false, .. })
    ));

    // The truncated JSON keeps the two complete items and says where it broke.
    let trunc = by_file
        .iter()
        .find(|(f, _)| f == "truncated.json")
        .map(|(_, e)| e)
        .expect("truncated.json error");
    match trunc {
        SnapshotError::Json {
            item,
            items_kept,
            line,
            column,
            ..
        } => {
            assert_eq!((*item, *items_kept), (Some(2), 2));
            assert!(*line > 1 && *column > 0);
        }
        other => panic!("expected a JSON error, got {other}"),
    }
    let text = trunc.to_string();
    assert!(
        text.contains("truncated.json: invalid JSON at line "),
        "{text}"
    );
    assert!(
        text.contains("(in configurationItems[2])")
            && text.contains("kept 2 configuration item(s)"),
        "{text}"
    );

    // The cut gzip stream keeps what was decoded before the cut.
    let gz = by_file
        .iter()
        .find(|(f, _)| f == "truncated.json.gz")
        .map(|(_, e)| e)
        .expect("gzip error");
    let kept = match gz {
        SnapshotError::Gzip { items_kept, .. } => *items_kept,
        other => panic!("expected a gzip error, got {other}"),
    };
    assert!(kept > 0 && kept < 60, "kept {kept}");
    let gz_buckets = c
        .resources
        .iter()
        .filter(|r| r.name.starts_with("gz-"))
        .count();
    assert_eq!(gz_buckets, kept);

    let names: Vec<&str> = c
        .resources
        .iter()
        .filter(|r| r.kind == "aws.s3.bucket")
        .map(|r| r.name.as_str())
        .collect();
    for expected in [
        "trunc-a",
        "trunc-b",
        "from-gzip",
        "known-bucket",
        "fine-bucket",
        "bad-config",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(!names.contains(&"trunc-c"));
    // The item whose configuration was unreadable still exists, with nothing observed.
    assert_eq!(
        attrs(&c, "aws.s3.bucket", "arn:aws:s3:::bad-config"),
        json!({})
    );

    let na: Vec<(String, String)> = c
        .not_assessed
        .iter()
        .map(|n| {
            (
                n.target.rsplit('/').next().unwrap_or("").to_string(),
                n.reason.clone(),
            )
        })
        .collect();
    assert!(
        na.contains(&("notes.txt".into(), "not a JSON file; skipped".into())),
        "{na:?}"
    );
    assert!(na.contains(&(
        "cloudtrail-log.json".into(),
        "JSON but not an AWS Config snapshot or history file; skipped".into()
    )));
    assert!(na.contains(&(
        "AWS::Foo::Bar".into(),
        "resource type not supported by yagura (2 items)".into()
    )));
    assert!(na.contains(&(
        "AWS::EC2::RouteTable".into(),
        "resource type not supported by yagura (1 items)".into()
    )));
    // truncated.json, truncated.json.gz, gzip-without-gz-name.json, unknown-types.json, bad-items.json.
    assert_eq!(c.files_read, 5);
}

#[test]
fn single_files_and_unreadable_paths() {
    let dir = fixtures().join("damaged");
    assert!(matches!(
        collect(&dir.join("does-not-exist")),
        Err(SnapshotError::Io { .. })
    ));
    // Asked for explicitly, a file that is not Config data is an error, not a note.
    let c = collect(&dir.join("cloudtrail-log.json")).expect("readable");
    assert!(matches!(
        c.errors.as_slice(),
        [SnapshotError::NotConfigFile { .. }]
    ));
    let c = collect(&dir.join("notes.txt")).expect("readable");
    assert!(matches!(
        c.errors.as_slice(),
        [SnapshotError::NotJson { .. }]
    ));

    // Gzip is found by its magic bytes, whatever the name says.
    let items = parse_file(&dir.join("gzip-without-gz-name.json")).expect("parses");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].resource_id, "from-gzip");
    assert!(matches!(
        parse_file(&dir.join("truncated.json")),
        Err(SnapshotError::Json { .. })
    ));
    assert!(matches!(
        parse_file(&dir.join("truncated.json.gz")),
        Err(SnapshotError::Gzip { .. })
    ));
    assert!(matches!(
        parse_file(&dir.join("cloudtrail-log.json")),
        Err(SnapshotError::NotConfigFile { .. })
    ));
    assert!(matches!(
        parse_file(&dir.join("notes.txt")),
        Err(SnapshotError::NotJson { .. })
    ));
}

fn write(dir: &Path, name: &str, doc: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec(doc).unwrap()).unwrap();
    p
}

#[test]
fn api_shaped_items_with_configuration_as_text() {
    // `get-resource-config-history` output: lower-case `arn`, `accountId`, and the
    // configuration and supplementary values as JSON text.
    let tmp = tempfile::tempdir().unwrap();
    let cfg = json!({"groupId": "sg-9", "groupName": "api", "vpcId": "vpc-9",
        "ipPermissions": [{"ipProtocol": "tcp", "fromPort": 3389, "toPort": 3389, "ipRanges": ["0.0.0.0/0"], "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}],
        "ipPermissionsEgress": []});
    let doc = json!({"configurationItems": [{
        "version": "1.3", "accountId": "999999999999", "configurationItemCaptureTime": 1714564800.123,
        "configurationItemStatus": "OK", "arn": "arn:aws-cn:ec2:cn-north-1:999999999999:security-group/sg-9",
        "resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-9", "awsRegion": "cn-north-1",
        "tags": {}, "relationships": [], "configuration": serde_json::to_string(&cfg).unwrap(),
        "supplementaryConfiguration": {}
    }]});
    let p = write(tmp.path(), "history.json", &doc);
    let c = collect(&p).unwrap();
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    let sg = find(
        &c,
        "aws.ec2.security_group",
        "arn:aws-cn:ec2:cn-north-1:999999999999:security-group/sg-9",
    );
    assert_eq!(sg.account.as_deref(), Some("999999999999"));
    assert_eq!(
        sg.attributes["ingress"],
        json!([{"protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []}])
    );
    assert_eq!(sg.attributes["egress"], json!([]));
    // Interfaces were not recorded anywhere: use stays unknown.
    assert!(sg.attributes.get("in_use").is_none());
}

fn pab_item(status: &str, time: &str, restrict: bool) -> Value {
    json!({"resourceType": "AWS::S3::AccountPublicAccessBlock", "resourceId": "555555555555", "awsAccountId": "555555555555",
    "awsRegion": "us-west-2", "configurationItemStatus": status, "configurationItemCaptureTime": time,
    "configuration": if status == "ResourceDeleted" { Value::Null } else {
        json!({"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": restrict})
    }})
}

#[test]
fn account_block_deleted_later_is_observed_unset() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "a.json",
        &json!({"configurationItems": [pab_item("OK", "2024-01-01T00:00:00Z", true)]}),
    );
    write(
        tmp.path(),
        "b.json",
        &json!({"configurationItems": [pab_item("ResourceDeleted", "2024-02-01T00:00:00Z", true)]}),
    );
    let c = collect(tmp.path()).unwrap();
    let acct = find(&c, "aws.account", "arn:aws:iam::555555555555:root");
    assert_eq!(acct.attributes["s3_public_access_block"], Value::Null);
    // The deletion still proves S3 was recorded in the region.
    assert_eq!(acct.attributes["observed"], json!(["s3"]));
    // Nothing about IAM was recorded: no IAM-derived account facts.
    assert!(acct.attributes.get("support_policy_attached").is_none());
    assert!(acct
        .attributes
        .get("cloudshell_full_access_attachments")
        .is_none());

    // Same timestamps in the other order: the later capture wins, not the later file.
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "a.json",
        &json!({"configurationItems": [pab_item("OK", "2024-03-01T00:00:00Z", false)]}),
    );
    write(
        tmp.path(),
        "b.json",
        &json!({"configurationItems": [pab_item("ResourceDeleted", "2024-02-01T00:00:00Z", true)]}),
    );
    let c = collect(tmp.path()).unwrap();
    let acct = find(&c, "aws.account", "arn:aws:iam::555555555555:root");
    assert_eq!(
        acct.attributes["s3_public_access_block"]["restrict_public_buckets"],
        json!(false)
    );
}

#[test]
fn not_recorded_items_do_not_count_as_observed() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "nr.json",
        &json!({"configurationItems": [{"resourceType": "AWS::RDS::DBInstance", "resourceId": "db-X", "resourceName": "x",
            "awsAccountId": "444444444444", "awsRegion": "us-east-2", "configurationItemStatus": "ResourceNotRecorded",
            "configuration": null}]}),
    );
    let c = collect(tmp.path()).unwrap();
    let region = find(
        &c,
        "aws.region",
        "arn:aws:ec2:us-east-2:444444444444:region-settings",
    );
    assert_eq!(region.attributes["observed"], json!([]));
    let db = find(
        &c,
        "aws.rds.db_instance",
        "arn:aws:rds:us-east-2:444444444444:db:x",
    );
    assert_eq!(db.attributes, json!({"db_instance_id": "x"}));
}

#[test]
fn synthetic_snapshot_round_trips() {
    let doc = yagura_awsconfig::generate_synthetic_snapshot(3000, 42);
    assert_eq!(
        doc,
        yagura_awsconfig::generate_synthetic_snapshot(3000, 42),
        "deterministic"
    );
    assert_ne!(doc, yagura_awsconfig::generate_synthetic_snapshot(3000, 43));
    let items = doc["configurationItems"].as_array().unwrap();
    assert_eq!(items.len(), 3000);

    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "synthetic.json", &doc);
    let c = collect(&p).unwrap();
    assert!(
        c.errors.is_empty(),
        "{:?}",
        c.errors.first().map(ToString::to_string)
    );
    assert_eq!(c.items_read, 3000);
    // Every item is a distinct resource; joined types (interfaces, flow logs, IAM
    // groups, account blocks) and unsupported ones do not become resources.
    let joined_or_unknown = items
        .iter()
        .filter(|i| {
            matches!(
                i["resourceType"].as_str(),
                Some(
                    "AWS::EC2::NetworkInterface"
                        | "AWS::EC2::FlowLog"
                        | "AWS::IAM::Group"
                        | "AWS::S3::AccountPublicAccessBlock"
                        | "AWS::EC2::RouteTable"
                        | "AWS::Config::ResourceCompliance"
                )
            )
        })
        .count();
    let scopes = c
        .resources
        .iter()
        .filter(|r| r.kind == "aws.account" || r.kind == "aws.region")
        .count();
    assert_eq!(scopes, 2 + 2 * 3);
    assert_eq!(c.resources.len() - scopes, 3000 - joined_or_unknown);
    // Both compliant and misconfigured resources are present.
    let buckets: Vec<&Resource> = c
        .resources
        .iter()
        .filter(|r| r.kind == "aws.s3.bucket")
        .collect();
    assert!(buckets
        .iter()
        .any(|b| b.attributes["public_access_block"].is_null()));
    assert!(buckets
        .iter()
        .any(|b| b.attributes["public_access_block"].is_object()));
    let unknown: Vec<&str> = c.not_assessed.iter().map(|n| n.target.as_str()).collect();
    assert_eq!(
        unknown,
        vec!["AWS::Config::ResourceCompliance", "AWS::EC2::RouteTable"]
    );

    // The same items through `normalize` give the same resources.
    let parsed = parse_file(&p).unwrap();
    let (resources, _) = normalize(parsed);
    assert_eq!(resources.len(), c.resources.len());
}

#[test]
fn one_resource_per_id_across_regions() {
    let tmp = tempfile::tempdir().unwrap();
    let trail = |region: &str| {
        json!({"resourceType": "AWS::CloudTrail::Trail", "resourceId": "org", "awsAccountId": "333333333333",
            "awsRegion": region, "configurationItemStatus": "OK", "configurationItemCaptureTime": "2024-01-01T00:00:00Z",
            "ARN": "arn:aws:cloudtrail:us-east-1:333333333333:trail/org",
            "configuration": {"name": "org", "homeRegion": "us-east-1", "isMultiRegionTrail": true,
                "trailARN": "arn:aws:cloudtrail:us-east-1:333333333333:trail/org"}})
    };
    let bucket = |region: &str, time: &str, versioning: &str| {
        json!({"resourceType": "AWS::S3::Bucket", "resourceId": "twice", "awsAccountId": "333333333333",
            "awsRegion": region, "configurationItemStatus": "OK", "configurationItemCaptureTime": time,
            "ARN": "arn:aws:s3:::twice", "configuration": {"name": "twice"},
            "supplementaryConfiguration": {"BucketVersioningConfiguration": {"status": versioning, "isMfaDeleteEnabled": null}}})
    };
    write(
        tmp.path(),
        "items.json",
        &json!({"configurationItems": [trail("eu-west-1"), trail("us-east-1"),
            bucket("us-east-1", "2024-03-01T00:00:00Z", "Enabled"), bucket("us-west-2", "2024-01-01T00:00:00Z", "Off")]}),
    );
    let c = collect(tmp.path()).unwrap();
    let trails: Vec<&Resource> = c
        .resources
        .iter()
        .filter(|r| r.kind == "aws.cloudtrail.trail")
        .collect();
    assert_eq!(trails.len(), 1);
    assert_eq!(trails[0].region.as_deref(), Some("us-east-1"));
    let buckets: Vec<&Resource> = c
        .resources
        .iter()
        .filter(|r| r.kind == "aws.s3.bucket")
        .collect();
    assert_eq!(buckets.len(), 1);
    assert_eq!(
        buckets[0].attributes["versioning"]["status"],
        json!("Enabled")
    );
}

#[test]
fn lambda_in_subnets_without_a_vpc_id_is_not_guessed() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "fn.json",
        &json!({"configurationItems": [{"resourceType": "AWS::Lambda::Function", "resourceId": "f", "awsAccountId": "333333333333",
            "awsRegion": "us-east-1", "configurationItemStatus": "OK",
            "configuration": {"functionName": "f", "runtime": "nodejs20.x", "vpcConfig": {"subnetIds": ["subnet-1"], "securityGroupIds": []}}}]}),
    );
    let c = collect(tmp.path()).unwrap();
    let f = find(
        &c,
        "aws.lambda.function",
        "arn:aws:lambda:us-east-1:333333333333:function:f",
    );
    assert!(f.attributes.get("vpc_id").is_none(), "{}", f.attributes);
    assert_eq!(f.attributes["policy"], Value::Null);
}
