//! End-to-end tests against moto in server mode: `tests/seed.py` creates compliant
//! and misconfigured resources in two regions, the collector reads them back, and
//! fixes are applied and read back again.
//!
//! Skipped (with the reason printed) when `moto_server` is not on PATH or Python
//! cannot import boto3.
//!
//! What moto (5.x) cannot serve to the Rust SDK — the checks that read these are
//! covered by snapshot fixtures only, and the tests assert the collector reports
//! the gaps as not assessed:
//! - IAM Access Analyzer (no backend: ListAnalyzers answers HTTP 500);
//! - CloudWatch DescribeAlarms (the SDK speaks Smithy RPC v2 CBOR; moto answers 404);
//! - S3 GetBucketVersioning (moto's XML root element does not parse), so
//!   `versioning` (and MFA delete) stays absent;
//! - the root row of the IAM credential report (root last-used times);
//! - Lambda ListFunctionUrlConfigs (404; the collector falls back to
//!   GetFunctionUrlConfig for the unqualified function);
//! - ELBv2 `access_logs.s3.enabled` and `routing.http.desync_mitigation_mode`
//!   unless set explicitly;
//! - Security Hub is never enabled, and AssumeRole never fails.

use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;
use yagura_aws::{fix, AwsScanOptions, Collection, Credentials, ProgressEvent};
use yagura_model::Resource;
use yagura_testkit::Moto;

const ACCOUNT: &str = "123456789012";
const R1: &str = "us-east-1";
const R2: &str = "eu-west-1";

fn seed(moto: &Moto) -> Value {
    seed_mode(moto, None)
}

fn seed_mode(moto: &Moto, mode: Option<&str>) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/seed.py");
    let args: Vec<&str> = mode.into_iter().collect();
    moto.seed(&script, &args).unwrap_or_else(|e| panic!("{e}"))
}

fn opts(url: &str, regions: &[&str]) -> AwsScanOptions {
    AwsScanOptions {
        endpoint_url: Some(url.to_string()),
        region: Some(R1.into()),
        regions: Some(regions.iter().map(|r| r.to_string()).collect()),
        credentials: Some(Credentials::new(
            "testing",
            "testing",
            None,
            None,
            "moto-test",
        )),
        // moto answers some unsupported APIs with HTTP 500; do not wait on retries.
        max_attempts: 2,
        ..AwsScanOptions::default()
    }
}

fn find<'a>(c: &'a Collection, kind: &str, id: &str) -> &'a Resource {
    c.resources
        .iter()
        .find(|r| r.kind == kind && r.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = c
                .resources
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.id.as_str())
                .collect();
            panic!("no {kind} {id}; have {ids:?}")
        })
}

fn find_named<'a>(c: &'a Collection, kind: &str, region: &str, name: &str) -> &'a Resource {
    c.resources
        .iter()
        .find(|r| r.kind == kind && r.name == name && r.region.as_deref() == Some(region))
        .unwrap_or_else(|| panic!("no {kind} named {name} in {region}"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn reasons_for<'a>(c: &'a Collection, target: &str) -> Vec<&'a str> {
    c.not_assessed
        .iter()
        .filter(|t| t.target == target)
        .map(|t| t.reason.as_str())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collects_normalized_resources_from_moto() {
    let Some(moto) = Moto::start_or_skip("collects_normalized_resources_from_moto") else {
        return;
    };
    let ids = seed(&moto);
    let events = Mutex::new(Vec::new());
    let started = Instant::now();
    let c = yagura_aws::collect(&opts(moto.url(), &[R1, R2]), &|e| {
        events.lock().unwrap().push(e)
    })
    .await
    .expect("collect");
    println!(
        "collected {} resources with {} calls in {:?}",
        c.resources.len(),
        c.api_calls,
        started.elapsed()
    );

    assert_eq!(c.accounts, vec![ACCOUNT]);
    assert_eq!(c.regions, vec![R2, R1]);
    assert!(c.api_calls > 50, "api_calls = {}", c.api_calls);
    for r in &c.resources {
        assert_eq!(r.account.as_deref(), Some(ACCOUNT), "{}", r.id);
        assert!(r.region.is_some(), "{} has no region", r.id);
    }

    // Progress: one start, then as many finished tasks as announced.
    let events = events.into_inner().unwrap();
    let announced: usize = events
        .iter()
        .map(|e| match e {
            ProgressEvent::AccountStarted { tasks, .. } => *tasks,
            _ => 0,
        })
        .sum();
    let finished = events
        .iter()
        .filter(|e| matches!(e, ProgressEvent::TaskFinished { .. }))
        .count();
    assert_eq!(announced, 3 + 2 * 16);
    assert_eq!(finished, announced);

    // ---- account and region settings ----
    let acct_id = format!("arn:aws:iam::{ACCOUNT}:root");
    let acct = find(&c, "aws.account", &acct_id);
    let mut a = acct.attributes.clone();
    let regions = a
        .as_object_mut()
        .unwrap()
        .remove("regions")
        .expect("regions observed");
    let regions: Vec<&str> = regions.as_array().unwrap().iter().map(s).collect();
    assert!(regions.contains(&R1) && regions.contains(&R2));
    assert!(
        !regions.contains(&"ap-east-1"),
        "not-opted-in regions are not enabled"
    );
    let observed = a.as_object_mut().unwrap().remove("observed").unwrap();
    assert_eq!(
        a,
        json!({
            "password_policy": {
                "minimum_length": 8, "require_symbols": false, "require_numbers": true,
                "require_uppercase": true, "require_lowercase": true, "allow_users_to_change": true,
                "max_age_days": 180, "reuse_prevention": null, "hard_expiry": false
            },
            // moto's credential report has no root row: the last-used fields stay absent.
            "root": {"mfa_enabled": false, "access_keys_active": false, "hardware_mfa": false},
            "support_policy_attached": true,
            "cloudshell_full_access_attachments": 0,
            "s3_public_access_block": null
        })
    );
    assert!(reasons_for(&c, &acct_id)
        .iter()
        .any(|r| r.contains("root.password_last_used") && r.contains("no root account row")));
    let observed: Vec<&str> = observed.as_array().unwrap().iter().map(s).collect();
    for svc in [
        "iam",
        "s3",
        "ec2",
        "kms",
        "cloudtrail",
        "rds",
        "sns",
        "sqs",
        "lambda",
    ] {
        assert!(
            observed.contains(&svc),
            "{svc} missing from account observed {observed:?}"
        );
    }

    let region1 = find(
        &c,
        "aws.region",
        &format!("arn:aws:ec2:{R1}:{ACCOUNT}:region-settings"),
    );
    let region2 = find(
        &c,
        "aws.region",
        &format!("arn:aws:ec2:{R2}:{ACCOUNT}:region-settings"),
    );
    assert_eq!(
        region1.attributes["ebs_encryption_by_default"],
        json!(false)
    );
    assert_eq!(region2.attributes["ebs_encryption_by_default"], json!(true));
    assert_eq!(
        region1.attributes["config_recorders"],
        json!([{"name": "default", "recording": true, "all_supported": true,
                "include_global_resource_types": true, "last_status": "PENDING"}])
    );
    assert_eq!(region2.attributes["config_recorders"], json!([]));
    assert_eq!(region1.attributes["security_hub_enabled"], json!(false));

    // Unsupported APIs are not-assessed targets, never failures, and their service
    // is then missing from `observed` (and present otherwise).
    for (region_res, region) in [(region1, R1), (region2, R2)] {
        let target = format!("aws:{ACCOUNT}:{region}:accessanalyzer");
        let reasons = reasons_for(&c, &target);
        assert!(
            reasons.iter().any(|r| r.contains("ListAnalyzers") && r.contains("not supported by the endpoint")),
            "{target}: {reasons:?}"
        );
        assert!(region_res.attributes.get("access_analyzers").is_none());
        let obs: Vec<&str> = region_res.attributes["observed"]
            .as_array()
            .unwrap()
            .iter()
            .map(s)
            .collect();
        for svc in [
            "accessanalyzer",
            "cloudtrail",
            "cloudwatch",
            "config",
            "dynamodb",
            "ec2",
            "ecr",
            "efs",
            "eks",
            "elbv2",
            "kms",
            "lambda",
            "logs",
            "rds",
            "secretsmanager",
            "securityhub",
            "sns",
            "sqs",
        ] {
            let failed = !reasons_for(&c, &format!("aws:{ACCOUNT}:{region}:{svc}")).is_empty();
            assert_eq!(
                obs.contains(&svc),
                !failed,
                "{svc} in {region}: observed {obs:?}"
            );
            if failed {
                assert!(
                    !observed.contains(&svc),
                    "{svc} failed in {region} but the account observes it"
                );
            }
        }
    }

    // ---- S3 ----
    let open = find(&c, "aws.s3.bucket", "arn:aws:s3:::yagura-open");
    assert_eq!(open.region.as_deref(), Some(R1));
    let mut open_attrs = open.attributes.clone();
    // moto's GetBucketVersioning answer does not parse: absent and recorded.
    assert!(open_attrs
        .as_object_mut()
        .unwrap()
        .remove("versioning")
        .is_none());
    assert!(reasons_for(&c, "arn:aws:s3:::yagura-open")
        .iter()
        .any(|r| r.contains("`versioning` not observed") && r.contains("GetBucketVersioning")));
    assert_eq!(
        open_attrs,
        json!({
            "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::yagura-open/*"}]},
            "public_access_block": null,
            "encryption": null,
            "logging": null,
            "acl_grants": [
                {"grantee_type": "CanonicalUser", "grantee_uri": null, "permission": "FULL_CONTROL"},
                {"grantee_type": "Group", "grantee_uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}
            ],
            "ownership": null,
            "lifecycle_rules": 0,
            "object_lock": false
        })
    );
    let locked = find(&c, "aws.s3.bucket", "arn:aws:s3:::yagura-locked");
    assert_eq!(locked.tags.get("team").map(String::as_str), Some("data"));
    assert_eq!(
        locked.attributes,
        json!({
            "policy": null,
            "public_access_block": {"block_public_acls": true, "ignore_public_acls": true,
                "block_public_policy": true, "restrict_public_buckets": true},
            "encryption": {"algorithm": "AES256", "kms_key_id": null, "bucket_key_enabled": false},
            "logging": {"target_bucket": "yagura-logs", "target_prefix": "locked/"},
            "acl_grants": [{"grantee_type": "CanonicalUser", "grantee_uri": null, "permission": "FULL_CONTROL"}],
            "ownership": "BucketOwnerEnforced",
            "lifecycle_rules": 1,
            "object_lock": false
        })
    );
    let eu = find(&c, "aws.s3.bucket", "arn:aws:s3:::yagura-eu");
    assert_eq!(eu.region.as_deref(), Some(R2));
    assert_eq!(
        eu.attributes["encryption"],
        json!({"algorithm": "aws:kms", "kms_key_id": ids["kms_rotated"], "bucket_key_enabled": true})
    );

    // ---- IAM ----
    let alice = find(
        &c,
        "aws.iam.user",
        &format!("arn:aws:iam::{ACCOUNT}:user/alice"),
    );
    let created = alice.attributes["created"].clone();
    assert!(chrono::DateTime::parse_from_rfc3339(s(&created)).is_ok());
    let key_created = alice.attributes["access_keys"][0]["created"].clone();
    assert_eq!(
        alice.attributes,
        json!({
            "user_name": "alice",
            "created": created,
            "password_last_used": null,
            "password_enabled": true,
            "mfa_devices": 0,
            "access_keys": [{"id": ids["alice_key_id"], "status": "Active", "created": key_created, "last_used": null}],
            "attached_policies": [ids["admin_policy_arn"]],
            "inline_policies": ["inline-s3"],
            "groups": ["admins"]
        })
    );
    let bob = find(
        &c,
        "aws.iam.user",
        &format!("arn:aws:iam::{ACCOUNT}:user/bob"),
    );
    assert_eq!(bob.attributes["password_enabled"], json!(false));
    assert_eq!(bob.attributes["mfa_devices"], json!(1));
    assert_eq!(bob.attributes["access_keys"], json!([]));
    let admin = find(&c, "aws.iam.policy", s(&ids["admin_policy_arn"]));
    assert_eq!(
        admin.attributes,
        json!({"policy_name": "yagura-admin", "aws_managed": false, "attachment_count": 1,
            "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}})
    );
    let support = find(
        &c,
        "aws.iam.policy",
        "arn:aws:iam::aws:policy/AWSSupportAccess",
    );
    assert_eq!(support.attributes["aws_managed"], json!(true));
    assert!(support.attributes["document"]["Statement"].is_array());
    // Unattached AWS-managed policies are not collected.
    assert!(!c
        .resources
        .iter()
        .any(|r| r.id == "arn:aws:iam::aws:policy/ReadOnlyAccess"));
    let role = find(&c, "aws.iam.role", s(&ids["role_arn"]));
    assert_eq!(
        role.attributes,
        json!({
            "role_name": "app-role",
            "trust_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "attached_policies": ["arn:aws:iam::aws:policy/AWSSupportAccess"],
            "last_used": null
        })
    );

    // ---- EC2 ----
    let sg_open = s(&ids["sg_open"]);
    let sg = find(
        &c,
        "aws.ec2.security_group",
        &format!("arn:aws:ec2:{R1}:{ACCOUNT}:security-group/{sg_open}"),
    );
    assert_eq!(
        sg.attributes,
        json!({
            "group_id": sg_open, "group_name": "ssh-open", "vpc_id": ids["vpc_id"], "is_default": false,
            "ingress": [
                {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["0.0.0.0/0", "10.0.0.0/8"], "cidrs_v6": [], "source_groups": []},
                {"protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidrs_v4": [], "cidrs_v6": ["::/0"], "source_groups": []},
                {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []}
            ],
            "egress": [{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []}],
            "in_use": true
        })
    );
    let web = find_named(&c, "aws.ec2.security_group", R1, "web");
    assert_eq!(web.attributes["in_use"], json!(false));
    assert_eq!(
        web.attributes["ingress"][0]["source_groups"],
        json!([sg_open])
    );
    let sg_eu = find_named(&c, "aws.ec2.security_group", R2, "eu-rdp");
    assert_eq!(
        sg_eu.attributes["ingress"],
        json!([{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []}])
    );
    let inst_id = s(&ids["instance_id"]);
    let inst = find(
        &c,
        "aws.ec2.instance",
        &format!("arn:aws:ec2:{R1}:{ACCOUNT}:instance/{inst_id}"),
    );
    assert_eq!(inst.name, "bastion");
    assert_eq!(
        inst.attributes["metadata_options"],
        json!({"http_tokens": "optional", "http_endpoint": "enabled", "http_put_response_hop_limit": 1})
    );
    assert_eq!(inst.attributes["security_groups"], json!([sg_open]));
    assert_eq!(inst.attributes["state"], json!("running"));
    assert_eq!(inst.attributes["iam_instance_profile"], json!(null));
    let vol_id = s(&ids["volume_id"]);
    let vol = find(
        &c,
        "aws.ec2.volume",
        &format!("arn:aws:ec2:{R1}:{ACCOUNT}:volume/{vol_id}"),
    );
    assert_eq!(
        vol.attributes,
        json!({"volume_id": vol_id, "encrypted": false, "kms_key_id": null, "state": "available", "attached": false})
    );
    let snap_id = s(&ids["snapshot_public"]);
    let snap = find(
        &c,
        "aws.ec2.snapshot",
        &format!("arn:aws:ec2:{R1}:{ACCOUNT}:snapshot/{snap_id}"),
    );
    assert_eq!(
        snap.attributes,
        json!({"snapshot_id": snap_id, "encrypted": false, "public": true})
    );
    // Only the account's own snapshots (moto also lists AMI snapshots of others).
    assert_eq!(
        c.resources
            .iter()
            .filter(|r| r.kind == "aws.ec2.snapshot")
            .count(),
        1
    );
    let flow_vpc = s(&ids["vpc_flow"]);
    let vpc = find(
        &c,
        "aws.ec2.vpc",
        &format!("arn:aws:ec2:{R1}:{ACCOUNT}:vpc/{flow_vpc}"),
    );
    assert_eq!(vpc.attributes["is_default"], json!(false));
    assert_eq!(vpc.attributes["cidr_block"], json!("10.9.0.0/16"));
    assert_eq!(vpc.attributes["flow_logs"][0]["status"], json!("ACTIVE"));
    assert_eq!(vpc.attributes["flow_logs"][0]["traffic_type"], json!("ALL"));
    let default_vpc = find(
        &c,
        "aws.ec2.vpc",
        &format!("arn:aws:ec2:{R1}:{ACCOUNT}:vpc/{}", s(&ids["vpc_id"])),
    );
    assert_eq!(default_vpc.attributes["flow_logs"], json!([]));
    let subnet = c
        .resources
        .iter()
        .find(|r| r.kind == "aws.ec2.subnet" && r.attributes["subnet_id"] == ids["subnet_ids"][0])
        .expect("subnet");
    assert_eq!(subnet.attributes["default_for_az"], json!(true));
    assert!(c.resources.iter().any(|r| r.kind == "aws.ec2.network_acl"
        && r.region.as_deref() == Some(R2)
        && r.attributes["is_default"] == json!(true)));

    // ---- KMS ----
    let rotated = find(&c, "aws.kms.key", s(&ids["kms_rotated"]));
    assert_eq!(rotated.name, "rotated");
    let key_policy = rotated.attributes["policy"].clone();
    assert_eq!(key_policy["Statement"][0]["Action"], json!("kms:*"));
    assert_eq!(
        rotated.attributes,
        json!({"key_id": s(&ids["kms_rotated"]).rsplit('/').next().unwrap(), "key_manager": "CUSTOMER",
            "key_spec": "SYMMETRIC_DEFAULT", "key_state": "Enabled", "rotation_enabled": true, "policy": key_policy})
    );
    assert_eq!(
        find(&c, "aws.kms.key", s(&ids["kms_unrotated"])).attributes["rotation_enabled"],
        json!(false)
    );
    // Asymmetric keys cannot rotate: observed null.
    assert_eq!(
        find(&c, "aws.kms.key", s(&ids["kms_asym"])).attributes["rotation_enabled"],
        json!(null)
    );
    assert_eq!(
        find(&c, "aws.kms.key", s(&ids["kms_eu"])).region.as_deref(),
        Some(R2)
    );

    // ---- CloudTrail, Logs, SNS, SQS ----
    let trail = find(&c, "aws.cloudtrail.trail", s(&ids["trail_arn"]));
    assert_eq!(
        trail.attributes,
        json!({
            "trail_name": "main-trail", "home_region": R1, "is_multi_region": true, "is_organization_trail": false,
            "log_file_validation": false, "kms_key_id": null, "s3_bucket": "yagura-logs",
            "cloudwatch_log_group_arn": null, "is_logging": true, "latest_cloudwatch_delivery": null,
            "management_events": {"read": true, "write": true}, "s3_data_events": {"read": true, "write": true}
        })
    );
    // A multi-region trail is listed once, in its home region.
    assert_eq!(
        c.resources
            .iter()
            .filter(|r| r.kind == "aws.cloudtrail.trail")
            .count(),
        1
    );
    let lg = find(
        &c,
        "aws.logs.log_group",
        &format!("arn:aws:logs:{R1}:{ACCOUNT}:log-group:trail-logs"),
    );
    assert_eq!(
        lg.attributes,
        json!({"log_group_name": "trail-logs", "retention_days": 365, "kms_key_id": null,
            "metric_filters": [{"filter_name": "root-usage", "pattern": "{ $.userIdentity.type = \"Root\" }",
                "metric_name": "RootUsage", "metric_namespace": "CIS"}]})
    );
    let app_logs = find(
        &c,
        "aws.logs.log_group",
        &format!("arn:aws:logs:{R1}:{ACCOUNT}:log-group:app-logs"),
    );
    assert_eq!(app_logs.attributes["retention_days"], json!(null));
    let topic = find(&c, "aws.sns.topic", s(&ids["topic_arn"]));
    assert_eq!(topic.attributes["kms_key_id"], json!(null));
    assert_eq!(
        topic.attributes["subscriptions"],
        json!([{"protocol": "sqs", "endpoint": ids["queue_arn"], "subscription_arn": ids["subscription_arn"]}])
    );
    assert!(topic.attributes["policy"]["Statement"].is_array());
    let queue = find(&c, "aws.sqs.queue", s(&ids["queue_arn"]));
    assert_eq!(queue.attributes["queue_name"], json!("jobs"));
    assert_eq!(
        queue.attributes["policy"],
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "sqs:SendMessage", "Resource": ids["queue_arn"]}]})
    );
    assert_eq!(queue.attributes["kms_key_id"], json!(null));

    // ---- RDS ----
    let db = find(&c, "aws.rds.db_instance", s(&ids["db_arn"]));
    let engine_version = db.attributes["engine_version"].clone();
    assert_eq!(
        db.attributes,
        json!({
            "db_instance_id": "db1", "engine": "postgres", "engine_version": engine_version,
            "storage_encrypted": false, "kms_key_id": null, "publicly_accessible": true,
            "auto_minor_version_upgrade": true, "multi_az": false, "backup_retention_days": 0,
            "deletion_protection": false, "iam_auth": false, "copy_tags_to_snapshot": false,
            "enhanced_monitoring_interval": 0
        })
    );
    assert_eq!(
        find(&c, "aws.rds.db_snapshot", s(&ids["db_snapshot_arn"])).attributes,
        json!({"snapshot_id": "db1-manual", "encrypted": false, "public": true})
    );

    // ---- Lambda, ELBv2, ECR, EKS, DynamoDB, Secrets Manager, EFS ----
    let f = find(&c, "aws.lambda.function", s(&ids["function_arn"]));
    assert_eq!(
        f.attributes,
        json!({
            "function_name": "hello", "runtime": "python3.12", "package_type": "Zip", "vpc_id": null,
            "environment_keys": ["API_URL", "DB_PASSWORD"], "tracing_mode": "PassThrough",
            "policy": {"Version": "2012-10-17", "Id": "default", "Statement": [{"Action": "lambda:InvokeFunction",
                "Principal": "*", "Effect": "Allow", "Resource": ids["function_arn"], "Sid": "public"}]},
            "url_auth_type": "NONE"
        })
    );
    let lb = find(&c, "aws.elbv2.load_balancer", s(&ids["lb_arn"]));
    assert_eq!(lb.attributes["type"], json!("application"));
    assert_eq!(lb.attributes["scheme"], json!("internet-facing"));
    assert_eq!(lb.attributes["drop_invalid_header_fields"], json!(true));
    assert_eq!(lb.attributes["deletion_protection"], json!(false));
    assert_eq!(lb.attributes["listeners"][0]["port"], json!(80));
    assert_eq!(lb.attributes["listeners"][0]["protocol"], json!("HTTP"));
    assert_eq!(
        lb.attributes["listeners"][0]["redirects_to_https"],
        json!(true)
    );
    // moto does not return the access-log attribute: absent and recorded, not false.
    assert!(lb.attributes.get("access_logs_enabled").is_none());
    assert!(reasons_for(&c, &lb.id)
        .iter()
        .any(|r| r.contains("access_logs_enabled")));
    assert_eq!(
        find(&c, "aws.ecr.repository", s(&ids["repo_arn"])).attributes,
        json!({"repository_name": "app", "scan_on_push": true, "image_tag_mutability": "IMMUTABLE",
            "encryption_type": "AES256", "lifecycle_policy": false, "policy": null})
    );
    assert_eq!(
        find(&c, "aws.eks.cluster", s(&ids["cluster_arn"])).attributes,
        json!({"cluster_name": "prod", "version": "1.29", "endpoint_public_access": true,
            "public_access_cidrs": ["0.0.0.0/0"], "secrets_encryption": false, "logging_enabled": []})
    );
    assert_eq!(
        find(&c, "aws.dynamodb.table", s(&ids["table_arn"])).attributes,
        json!({"table_name": "orders", "deletion_protection": false, "sse_type": null, "kms_key_id": null,
            "pitr_enabled": true})
    );
    let secret = find(&c, "aws.secretsmanager.secret", s(&ids["secret_arn"]));
    let created = secret.attributes["created"].clone();
    assert!(chrono::DateTime::parse_from_rfc3339(s(&created)).is_ok());
    assert_eq!(
        secret.attributes,
        json!({"secret_name": "db-password", "rotation_enabled": false, "rotation_days": null,
            "last_rotated": null, "last_accessed": null, "created": created, "kms_key_id": null})
    );
    let fs = find(&c, "aws.efs.file_system", s(&ids["efs_arn"]));
    assert_eq!(fs.name, "shared");
    assert_eq!(
        fs.attributes,
        json!({"file_system_id": ids["efs_id"], "encrypted": true, "kms_key_id": null, "backup_enabled": false})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixes_change_the_emulated_account() {
    let Some(moto) = Moto::start_or_skip("fixes_change_the_emulated_account") else {
        return;
    };
    let ids = seed(&moto);
    let o = opts(moto.url(), &[R1]);
    let noop = |_: ProgressEvent| {};
    let before = yagura_aws::collect(&o, &noop).await.expect("collect");
    let clients = fix::FixClients::new(&o).await.expect("fix clients");
    assert_eq!(clients.caller_account(), ACCOUNT);

    let sg_open = s(&ids["sg_open"]);
    let inst_id = s(&ids["instance_id"]);
    let targets = [
        (
            "AWS-S3-001",
            "arn:aws:s3:::yagura-open".to_string(),
            "aws.s3.bucket",
        ),
        (
            "AWS-S3-005",
            "arn:aws:s3:::yagura-logs".to_string(),
            "aws.s3.bucket",
        ),
        (
            "AWS-ACCOUNT-001",
            format!("arn:aws:ec2:{R1}:{ACCOUNT}:region-settings"),
            "aws.region",
        ),
        (
            "AWS-EC2-001",
            format!("arn:aws:ec2:{R1}:{ACCOUNT}:security-group/{sg_open}"),
            "aws.ec2.security_group",
        ),
        (
            "AWS-EC2-003",
            format!("arn:aws:ec2:{R1}:{ACCOUNT}:security-group/{sg_open}"),
            "aws.ec2.security_group",
        ),
        (
            "AWS-IAM-005",
            format!("arn:aws:iam::{ACCOUNT}:root"),
            "aws.account",
        ),
        (
            "AWS-CLOUDTRAIL-002",
            s(&ids["trail_arn"]).to_string(),
            "aws.cloudtrail.trail",
        ),
        (
            "AWS-EC2-005",
            format!("arn:aws:ec2:{R1}:{ACCOUNT}:instance/{inst_id}"),
            "aws.ec2.instance",
        ),
    ];
    let mut records = Vec::new();
    for (code, id, kind) in &targets {
        // Re-read between fixes on the same resource (the two SG fixes).
        let current = yagura_aws::collect(&o, &noop).await.expect("collect");
        let r = find(&current, kind, id);
        let plan = fix::plan(code, r)
            .await
            .unwrap_or_else(|| panic!("{code}: no plan for {id}"));
        println!("{code}: {}", serde_json::to_string(&plan.calls).unwrap());
        let record = fix::apply(&plan, &clients)
            .await
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_ne!(record.before, record.after, "{code}: state unchanged");
        records.push((code.to_string(), record));
    }
    let rec = |code: &str| &records.iter().find(|(c, _)| c == code).unwrap().1;
    assert_eq!(
        rec("AWS-S3-001").before,
        json!({"public_access_block": null})
    );
    assert_eq!(
        rec("AWS-S3-001").after,
        json!({"public_access_block": {"block_public_acls": true, "ignore_public_acls": true,
            "block_public_policy": true, "restrict_public_buckets": true}})
    );
    assert_eq!(
        rec("AWS-ACCOUNT-001").after,
        json!({"ebs_encryption_by_default": true})
    );
    assert_eq!(
        rec("AWS-CLOUDTRAIL-002").after,
        json!({"log_file_validation": true})
    );
    assert_eq!(
        rec("AWS-IAM-005").plan.calls[0].parameters,
        json!({"MinimumPasswordLength": 14, "RequireSymbols": true, "RequireNumbers": true,
            "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true,
            "AllowUsersToChangePassword": true, "MaxPasswordAge": 90, "PasswordReusePrevention": 24,
            "HardExpiry": false})
    );

    // Read everything back through the collector.
    let after = yagura_aws::collect(&o, &noop).await.expect("collect");
    let attr =
        |c: &Collection, kind: &str, id: &str, key: &str| find(c, kind, id).attributes[key].clone();
    assert_eq!(
        attr(
            &before,
            "aws.s3.bucket",
            "arn:aws:s3:::yagura-open",
            "public_access_block"
        ),
        json!(null)
    );
    assert_eq!(
        attr(
            &after,
            "aws.s3.bucket",
            "arn:aws:s3:::yagura-open",
            "public_access_block"
        ),
        json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true})
    );
    assert_eq!(
        attr(
            &before,
            "aws.s3.bucket",
            "arn:aws:s3:::yagura-logs",
            "encryption"
        ),
        json!(null)
    );
    assert_eq!(
        attr(
            &after,
            "aws.s3.bucket",
            "arn:aws:s3:::yagura-logs",
            "encryption"
        ),
        json!({"algorithm": "AES256", "kms_key_id": null, "bucket_key_enabled": false})
    );
    let region_id = format!("arn:aws:ec2:{R1}:{ACCOUNT}:region-settings");
    assert_eq!(
        attr(
            &after,
            "aws.region",
            &region_id,
            "ebs_encryption_by_default"
        ),
        json!(true)
    );
    let sg_id = format!("arn:aws:ec2:{R1}:{ACCOUNT}:security-group/{sg_open}");
    // Only the world entries for 22 (IPv4) and 3389 (IPv6) went; 10.0.0.0/8 and 443 stay.
    assert_eq!(
        attr(&after, "aws.ec2.security_group", &sg_id, "ingress"),
        json!([
            {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["10.0.0.0/8"], "cidrs_v6": [], "source_groups": []},
            {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []}
        ])
    );
    assert_eq!(
        attr(
            &after,
            "aws.account",
            &format!("arn:aws:iam::{ACCOUNT}:root"),
            "password_policy"
        ),
        json!({"minimum_length": 14, "require_symbols": true, "require_numbers": true, "require_uppercase": true,
            "require_lowercase": true, "allow_users_to_change": true, "max_age_days": 90, "reuse_prevention": 24,
            "hard_expiry": false})
    );
    assert_eq!(
        attr(
            &after,
            "aws.cloudtrail.trail",
            s(&ids["trail_arn"]),
            "log_file_validation"
        ),
        json!(true)
    );
    let inst = format!("arn:aws:ec2:{R1}:{ACCOUNT}:instance/{inst_id}");
    assert_eq!(
        attr(&after, "aws.ec2.instance", &inst, "metadata_options")["http_tokens"],
        json!("required")
    );

    // Nothing left to fix: every plan is now empty.
    for (code, id, kind) in &targets {
        assert!(
            fix::plan(code, find(&after, kind, id)).await.is_none(),
            "{code} still plans a fix"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scans_organization_accounts_through_assume_role() {
    let Some(moto) = Moto::start_or_skip("scans_organization_accounts_through_assume_role") else {
        return;
    };
    let ids = seed_mode(&moto, Some("org"));
    let member = s(&ids["member"]).to_string();
    let o = AwsScanOptions {
        org: true,
        ..opts(moto.url(), &[R1])
    };
    let c = yagura_aws::collect(&o, &|_| {}).await.expect("collect");
    let mut expected = vec![ACCOUNT.to_string(), member.clone()];
    expected.sort();
    assert_eq!(c.accounts, expected);
    // Each account has its own account and region resources, and only its buckets.
    for acct in [ACCOUNT, member.as_str()] {
        let a = find(&c, "aws.account", &format!("arn:aws:iam::{acct}:root"));
        assert_eq!(a.account.as_deref(), Some(acct));
        find(
            &c,
            "aws.region",
            &format!("arn:aws:ec2:{R1}:{acct}:region-settings"),
        );
    }
    let bucket_owner = |name: &str| {
        c.resources
            .iter()
            .filter(|r| r.kind == "aws.s3.bucket" && r.name == name)
            .map(|r| r.account.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(bucket_owner("member-bucket"), vec![member.clone()]);
    assert_eq!(bucket_owner("management-bucket"), vec![ACCOUNT.to_string()]);

    // An explicit account list is used as given; an account that cannot be scanned
    // is a not-assessed target, and the others are still scanned. (moto lets any
    // role be assumed, so a malformed id stands in for a failing AssumeRole.)
    let o = AwsScanOptions {
        accounts: vec![ACCOUNT.into(), "bad:account".into()],
        ..opts(moto.url(), &[R1])
    };
    let c = yagura_aws::collect(&o, &|_| {}).await.expect("collect");
    assert_eq!(c.accounts, vec![ACCOUNT]);
    let skipped = c
        .not_assessed
        .iter()
        .find(|t| t.target == "aws:bad:account")
        .expect("failed AssumeRole is reported");
    assert_eq!(skipped.reason, "not a 12-digit AWS account id");
}
