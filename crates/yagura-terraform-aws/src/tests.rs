//! Joins, defaults and unknown handling over hand-built raw resources, evaluated
//! with the real checks.

use super::adapt;
use serde_json::{json, Value};
use yagura_checks::Ctx;
use yagura_model::iac::{unknown, unknown_ref, RawResource};
use yagura_model::{Inventory, Location, Outcome, Resource, SourceKind};

fn raw(type_name: &str, name: &str, attrs: Value) -> RawResource {
    RawResource {
        source: SourceKind::Terraform,
        type_name: type_name.into(),
        name: name.into(),
        address: format!("{type_name}.{name}"),
        attributes: match attrs {
            Value::Object(m) => m,
            _ => Default::default(),
        },
        location: Location::lines("main.tf", 1, 5),
        region: Some("eu-west-1".into()),
        account: None,
    }
}

fn reference(type_name: &str, name: &str, attr: &str) -> Value {
    unknown_ref(
        format!("{type_name}.{name}.{attr}"),
        format!("{type_name}.{name}"),
    )
}

/// The outcomes of check `code` on every resource of its kind.
fn run(code: &str, resources: &[Resource]) -> Vec<Outcome> {
    let check = yagura_checks::find(code).unwrap();
    let inv = Inventory::new(resources.to_vec());
    let ctx = Ctx {
        inventory: &inv,
        now: chrono::Utc::now(),
    };
    inv.of_kind(check.kind)
        .map(|r| check.evaluate(r, &ctx))
        .collect()
}

fn only(code: &str, resources: &[Resource]) -> Outcome {
    let mut o = run(code, resources);
    assert_eq!(o.len(), 1, "{code}: {o:?}");
    o.remove(0)
}

fn of_kind<'a>(resources: &'a [Resource], kind: &str) -> &'a Resource {
    resources.iter().find(|r| r.kind == kind).unwrap()
}

#[test]
fn bucket_joins_companions_by_reference_and_by_name() {
    let out = adapt(&[
        raw(
            "aws_s3_bucket",
            "b",
            json!({"bucket": "data", "tags": {"team": "x"}}),
        ),
        raw(
            "aws_s3_bucket_public_access_block",
            "p",
            json!({
            "bucket": reference("aws_s3_bucket", "b", "id"),
            "block_public_acls": true, "ignore_public_acls": true,
            "block_public_policy": true, "restrict_public_buckets": true}),
        ),
        raw(
            "aws_s3_bucket_versioning",
            "v",
            json!({
            "bucket": "data", "versioning_configuration": [{"status": "Enabled"}]}),
        ),
        raw(
            "aws_s3_bucket_server_side_encryption_configuration",
            "e",
            json!({
            "bucket": reference("aws_s3_bucket", "b", "id"),
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms",
                "kms_master_key_id": reference("aws_kms_key", "k", "arn")}], "bucket_key_enabled": true}]}),
        ),
        raw(
            "aws_s3_bucket_logging",
            "l",
            json!({
            "bucket": reference("aws_s3_bucket", "b", "id"), "target_bucket": "logs", "target_prefix": "data/"}),
        ),
    ]);
    assert_eq!(out.len(), 1);
    let b = &out[0];
    assert_eq!(b.id, "arn:aws:s3:::data");
    assert_eq!(b.name, "data");
    assert_eq!(b.source, SourceKind::Terraform);
    assert_eq!(b.tags.get("team").map(String::as_str), Some("x"));
    assert_eq!(b.location.as_ref().and_then(|l| l.start_line), Some(1));
    assert_eq!(
        b.attributes["versioning"],
        json!({"status": "Enabled", "mfa_delete": false})
    );
    assert_eq!(
        b.attributes["encryption"]["kms_key_id"],
        json!("aws_kms_key.k.arn")
    );
    assert_eq!(b.attributes["logging"]["target_bucket"], json!("logs"));
    assert_eq!(b.attributes["policy"], Value::Null);
    assert_eq!(b.attributes["ownership"], json!("BucketOwnerEnforced"));
    for code in [
        "AWS-S3-001",
        "AWS-S3-005",
        "AWS-S3-006",
        "AWS-S3-007",
        "AWS-S3-009",
    ] {
        assert!(matches!(only(code, &out), Outcome::Pass(_)), "{code}");
    }
    for code in ["AWS-S3-002", "AWS-S3-008", "AWS-S3-010"] {
        assert!(matches!(only(code, &out), Outcome::Fail(_)), "{code}");
    }
}

#[test]
fn a_bucket_without_companions_takes_the_defaults() {
    let out = adapt(&[raw("aws_s3_bucket", "b", json!({"bucket_prefix": "tmp-"}))]);
    let b = &out[0];
    assert_eq!(b.id, "terraform:aws_s3_bucket.b");
    assert_eq!(b.name, "aws_s3_bucket.b");
    // S3 gives new buckets all four Block Public Access settings.
    assert_eq!(
        b.attributes["public_access_block"],
        json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true})
    );
    assert_eq!(
        b.attributes["versioning"],
        json!({"status": null, "mfa_delete": false})
    );
    assert_eq!(b.attributes["lifecycle_rules"], json!(0));
    assert_eq!(b.attributes["encryption"]["algorithm"], json!("AES256"));
    assert!(matches!(only("AWS-S3-001", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-S3-003", &out), Outcome::Pass(_)));
}

#[test]
fn an_unknown_encryption_algorithm_is_not_assessed() {
    let out = adapt(&[
        raw("aws_s3_bucket", "b", json!({"bucket": "data"})),
        raw(
            "aws_s3_bucket_server_side_encryption_configuration",
            "e",
            json!({
            "bucket": reference("aws_s3_bucket", "b", "id"),
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": unknown("var.alg")}]}]}),
        ),
    ]);
    match only("AWS-S3-005", &out) {
        Outcome::NotAssessed(why) => assert!(why.contains("var.alg"), "{why}"),
        other => panic!("expected NOT_ASSESSED, got {other:?}"),
    }
}

#[test]
fn a_companion_with_an_unknown_target_makes_the_setting_unknown() {
    // The block may or may not belong to this bucket: neither PASS nor FAIL.
    let out = adapt(&[
        raw("aws_s3_bucket", "b", json!({"bucket": "data"})),
        raw(
            "aws_s3_bucket_public_access_block",
            "p",
            json!({"bucket": unknown("var.bucket"),
            "block_public_acls": true}),
        ),
    ]);
    assert!(matches!(only("AWS-S3-001", &out), Outcome::NotAssessed(_)));
    // A literal naming another bucket is simply someone else's: this bucket
    // keeps the new-bucket defaults.
    let out = adapt(&[
        raw("aws_s3_bucket", "b", json!({"bucket": "data"})),
        raw(
            "aws_s3_bucket_public_access_block",
            "p",
            json!({"bucket": "other", "block_public_acls": false}),
        ),
    ]);
    assert!(matches!(only("AWS-S3-001", &out), Outcome::Pass(_)));
}

#[test]
fn account_public_access_block_covers_buckets() {
    let out = adapt(&[
        raw(
            "aws_s3_bucket",
            "b",
            json!({"bucket": "data", "acl": "public-read"}),
        ),
        raw(
            "aws_s3_account_public_access_block",
            "a",
            json!({
            "block_public_acls": true, "ignore_public_acls": true,
            "block_public_policy": true, "restrict_public_buckets": true}),
        ),
    ]);
    let acct = of_kind(&out, "aws.account");
    assert!(acct.attributes.get("password_policy").is_none());
    assert_eq!(acct.region.as_deref(), Some("global"));
    assert!(matches!(only("AWS-S3-001", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-S3-003", &out), Outcome::Pass(_)));
    // Account-level checks on things the code does not show stay NOT_ASSESSED.
    assert!(matches!(only("AWS-IAM-002", &out), Outcome::NotAssessed(_)));
    assert!(matches!(
        only("AWS-CLOUDTRAIL-001", &out),
        Outcome::NotAssessed(_)
    ));
}

#[test]
fn policies_in_strings_are_parsed_and_labels_keep_resource_suffixes() {
    let doc = json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": unknown_ref("${aws_s3_bucket.b.arn}/*", "aws_s3_bucket.b"),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]});
    let out = adapt(&[
        raw("aws_s3_bucket", "b", json!({"bucket": "data"})),
        raw(
            "aws_s3_bucket_policy",
            "p",
            json!({"bucket": reference("aws_s3_bucket", "b", "id"),
            "policy": doc}),
        ),
        raw(
            "aws_sqs_queue",
            "q",
            json!({"name": "q",
            "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sqs:SendMessage\"}]}"}),
        ),
    ]);
    assert!(matches!(only("AWS-S3-002", &out), Outcome::Pass(_)));
    assert!(of_kind(&out, "aws.sqs.queue").attributes["policy"].is_object());
    assert!(matches!(only("AWS-SQS-002", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-SQS-001", &out), Outcome::Pass(_)));
    // An unknown principal could be anyone: the whole policy is unknown.
    let out = adapt(&[raw(
        "aws_sqs_queue",
        "q",
        json!({"name": "q",
        "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": unknown("var.who")}, "Action": "sqs:*"}]}}),
    )]);
    assert!(matches!(only("AWS-SQS-002", &out), Outcome::NotAssessed(_)));
}

#[test]
fn security_group_rules_from_every_source() {
    let sg = |n: &str| reference("aws_security_group", n, "id");
    let out = adapt(&[
        raw(
            "aws_security_group",
            "web",
            json!({"name": "web", "vpc_id": reference("aws_vpc", "v", "id"),
            "ingress": [{"from_port": 443, "to_port": 443, "protocol": "6", "cidr_blocks": ["0.0.0.0/0"]}]}),
        ),
        raw(
            "aws_security_group_rule",
            "ssh",
            json!({"type": "ingress", "security_group_id": sg("web"),
            "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}),
        ),
        raw(
            "aws_vpc_security_group_ingress_rule",
            "rdp6",
            json!({"security_group_id": sg("web"),
            "ip_protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidr_ipv6": "::/0"}),
        ),
        raw(
            "aws_vpc_security_group_egress_rule",
            "all",
            json!({"security_group_id": sg("web"),
            "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}),
        ),
    ]);
    let g = of_kind(&out, "aws.ec2.security_group");
    assert_eq!(g.attributes["ingress"].as_array().map(Vec::len), Some(3));
    assert_eq!(g.attributes["ingress"][0]["protocol"], json!("tcp"));
    assert_eq!(
        g.attributes["egress"][0],
        json!({"protocol": "-1", "from_port": null, "to_port": null,
        "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []})
    );
    assert_eq!(g.attributes["vpc_id"], json!("aws_vpc.v.id"));
    assert!(matches!(only("AWS-EC2-001", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-EC2-003", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-EC2-012", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-EC2-004", &out), Outcome::Pass(_)));
}

#[test]
fn an_unknown_cidr_is_never_read_as_private() {
    let out = adapt(&[raw(
        "aws_security_group",
        "g",
        json!({"name": "g",
        "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": unknown("var.cidrs")}]}),
    )]);
    match only("AWS-EC2-001", &out) {
        Outcome::NotAssessed(why) => assert!(why.contains("var.cidrs")),
        other => panic!("{other:?}"),
    }
    // A rule resource aimed at an unknown group could belong to any group.
    let out = adapt(&[
        raw("aws_security_group", "g", json!({"name": "g"})),
        raw(
            "aws_security_group_rule",
            "r",
            json!({"type": "ingress", "security_group_id": unknown("var.sg"),
            "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}),
        ),
    ]);
    assert!(matches!(only("AWS-EC2-001", &out), Outcome::NotAssessed(_)));
}

#[test]
fn network_acl_entries_and_rules() {
    let out = adapt(&[
        raw(
            "aws_network_acl",
            "n",
            json!({"vpc_id": reference("aws_vpc", "v", "id"),
            "ingress": [{"rule_no": 100, "action": "allow", "protocol": "tcp", "cidr_block": "10.0.0.0/8",
                "from_port": 22, "to_port": 22}]}),
        ),
        raw(
            "aws_network_acl_rule",
            "r",
            json!({"network_acl_id": reference("aws_network_acl", "n", "id"),
            "rule_number": 200, "protocol": "-1", "rule_action": "allow", "cidr_block": "0.0.0.0/0",
            "from_port": 0, "to_port": 0}),
        ),
    ]);
    let n = of_kind(&out, "aws.ec2.network_acl");
    assert_eq!(n.attributes["entries"][0]["protocol"], json!("6"));
    assert_eq!(n.attributes["entries"][1]["egress"], json!(false));
    assert!(matches!(only("AWS-EC2-002", &out), Outcome::Fail(_)));
}

#[test]
fn vpc_flow_logs_are_joined() {
    let vpc = raw("aws_vpc", "v", json!({"cidr_block": "10.0.0.0/16"}));
    let none = adapt(std::slice::from_ref(&vpc));
    assert!(matches!(only("AWS-EC2-006", &none), Outcome::Fail(_)));
    let out = adapt(&[
        vpc,
        raw(
            "aws_flow_log",
            "f",
            json!({"vpc_id": reference("aws_vpc", "v", "id"),
        "traffic_type": "ALL", "log_destination": "arn:aws:s3:::logs"}),
        ),
    ]);
    assert!(matches!(only("AWS-EC2-006", &out), Outcome::Pass(_)));
}

#[test]
fn instances_get_provider_defaults_and_subnet_public_ips() {
    let out = adapt(&[
        raw(
            "aws_subnet",
            "pub",
            json!({"vpc_id": reference("aws_vpc", "v", "id"), "cidr_block": "10.0.1.0/24",
            "map_public_ip_on_launch": true}),
        ),
        raw(
            "aws_instance",
            "i",
            json!({"ami": "ami-1", "instance_type": "t3.micro",
            "subnet_id": reference("aws_subnet", "pub", "id"),
            "root_block_device": [{"volume_size": 20}]}),
        ),
    ]);
    assert!(matches!(only("AWS-EC2-005", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-EC2-009", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-EC2-010", &out), Outcome::Fail(_)));
    // The root volume is a volume of its own, unencrypted by default...
    assert!(matches!(only("AWS-EC2-007", &out), Outcome::Fail(_)));
    // ...unless EBS encryption by default is on in the region.
    let mut with_default = vec![raw("aws_ebs_encryption_by_default", "d", json!({}))];
    with_default.push(raw(
        "aws_instance",
        "i",
        json!({"ami": "ami-1", "root_block_device": [{}],
        "associate_public_ip_address": false, "metadata_options": [{"http_tokens": "required"}]}),
    ));
    let out = adapt(&with_default);
    assert!(matches!(only("AWS-EC2-007", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-EC2-009", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-EC2-005", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-ACCOUNT-001", &out), Outcome::Pass(_)));
    // Without an explicit setting or a subnet in the code, the public IP is unknown.
    let out = adapt(&[raw("aws_instance", "i", json!({"ami": "ami-1"}))]);
    assert!(matches!(only("AWS-EC2-009", &out), Outcome::NotAssessed(_)));
}

#[test]
fn launch_template_metadata_options_apply_to_the_instance() {
    let out = adapt(&[
        raw(
            "aws_launch_template",
            "t",
            json!({"name": "t", "metadata_options": [{"http_tokens": "required"}]}),
        ),
        raw(
            "aws_instance",
            "i",
            json!({"launch_template": [{"id": reference("aws_launch_template", "t", "id")}]}),
        ),
    ]);
    assert!(matches!(only("AWS-EC2-005", &out), Outcome::Pass(_)));
}

#[test]
fn iam_attachments_count_even_when_arns_are_unknown() {
    let out = adapt(&[
        raw("aws_iam_user", "u", json!({"name": "alice"})),
        raw(
            "aws_iam_policy",
            "admin",
            json!({"name": "admin",
            "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}),
        ),
        raw(
            "aws_iam_user_policy_attachment",
            "a",
            json!({"user": "alice",
            "policy_arn": reference("aws_iam_policy", "admin", "arn")}),
        ),
        raw(
            "aws_iam_access_key",
            "k1",
            json!({"user": reference("aws_iam_user", "u", "name")}),
        ),
        raw("aws_iam_access_key", "k2", json!({"user": "alice"})),
    ]);
    let u = of_kind(&out, "aws.iam.user");
    assert_eq!(u.region.as_deref(), Some("global"));
    assert_eq!(
        u.attributes["attached_policies"],
        json!(["aws_iam_policy.admin.arn"])
    );
    assert!(matches!(only("AWS-IAM-011", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-IAM-009", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-IAM-012", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-IAM-010", &out), Outcome::NotAssessed(_)));
}

#[test]
fn password_policy_makes_an_account() {
    let out = adapt(&[raw(
        "aws_iam_account_password_policy",
        "p",
        json!({
        "minimum_password_length": 14, "password_reuse_prevention": 24, "max_password_age": 90,
        "require_symbols": true, "require_numbers": true,
        "require_uppercase_characters": true, "require_lowercase_characters": true}),
    )]);
    for code in ["AWS-IAM-005", "AWS-IAM-006", "AWS-IAM-016", "AWS-IAM-017"] {
        assert!(matches!(only(code, &out), Outcome::Pass(_)), "{code}");
    }
    let out = adapt(&[raw("aws_iam_account_password_policy", "p", json!({}))]);
    for code in ["AWS-IAM-005", "AWS-IAM-006", "AWS-IAM-016", "AWS-IAM-017"] {
        assert!(matches!(only(code, &out), Outcome::Fail(_)), "{code}");
    }
    let out = adapt(&[raw(
        "aws_iam_account_password_policy",
        "p",
        json!({"minimum_password_length": unknown("var.len")}),
    )]);
    assert!(matches!(only("AWS-IAM-005", &out), Outcome::NotAssessed(_)));
}

#[test]
fn provider_defaults_of_databases() {
    let out = adapt(&[raw(
        "aws_db_instance",
        "db",
        json!({"identifier": "orders", "engine": "postgres",
        "instance_class": "db.t3.micro"}),
    )]);
    assert!(matches!(only("AWS-RDS-001", &out), Outcome::Fail(_)));
    assert!(matches!(only("AWS-RDS-002", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-RDS-003", &out), Outcome::Pass(_)));
    let enc = adapt(&[raw(
        "aws_db_instance",
        "db",
        json!({"engine": "postgres",
        "storage_encrypted": unknown("var.encrypt")}),
    )]);
    assert!(matches!(only("AWS-RDS-001", &enc), Outcome::NotAssessed(_)));
}

#[test]
fn lambda_permissions_become_the_function_policy() {
    let f = || {
        raw(
            "aws_lambda_function",
            "f",
            json!({"function_name": "api", "runtime": "python3.12",
        "role": reference("aws_iam_role", "r", "arn"), "handler": "app.handler"}),
        )
    };
    let out = adapt(&[
        f(),
        raw(
            "aws_lambda_permission",
            "p",
            json!({"statement_id": "Open",
        "action": "lambda:InvokeFunction", "function_name": reference("aws_lambda_function", "f", "function_name"),
        "principal": "*"}),
        ),
    ]);
    assert!(matches!(only("AWS-LAMBDA-001", &out), Outcome::Fail(_)));
    let out = adapt(&[
        f(),
        raw(
            "aws_lambda_permission",
            "p",
            json!({"action": "lambda:InvokeFunction",
        "function_name": "api", "principal": "s3.amazonaws.com",
        "source_arn": reference("aws_s3_bucket", "b", "arn")}),
        ),
    ]);
    assert!(matches!(only("AWS-LAMBDA-001", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-LAMBDA-003", &out), Outcome::Pass(_)));
}

#[test]
fn load_balancer_listeners_are_joined() {
    let out = adapt(&[
        raw("aws_lb", "lb", json!({"name": "web"})),
        raw(
            "aws_lb_listener",
            "http",
            json!({"load_balancer_arn": reference("aws_lb", "lb", "arn"),
            "port": 80, "protocol": "HTTP",
            "default_action": [{"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}]}]}),
        ),
        raw(
            "aws_lb_listener",
            "https",
            json!({"load_balancer_arn": reference("aws_lb", "lb", "arn"),
            "port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
        ),
    ]);
    assert!(matches!(only("AWS-ELB-001", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-ELB-006", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-ELB-005", &out), Outcome::Pass(_)));
    assert!(matches!(only("AWS-ELB-002", &out), Outcome::Fail(_)));
}

#[test]
fn ids_use_arns_when_region_and_account_are_known() {
    let mut q = raw("aws_sqs_queue", "q", json!({"name": "jobs"}));
    q.account = Some("123456789012".into());
    let mut role = raw(
        "aws_iam_role",
        "r",
        json!({"name": "app", "assume_role_policy": "{}"}),
    );
    role.account = Some("123456789012".into());
    let out = adapt(&[q, role]);
    assert_eq!(
        of_kind(&out, "aws.sqs.queue").id,
        "arn:aws:sqs:eu-west-1:123456789012:jobs"
    );
    assert_eq!(
        of_kind(&out, "aws.iam.role").id,
        "arn:aws:iam::123456789012:role/app"
    );
}

#[test]
fn computed_legacy_bucket_arguments_of_a_plan_are_not_settings() {
    // A plan marks the provider-computed legacy arguments unknown by their path.
    let out = adapt(&[raw(
        "aws_s3_bucket",
        "b",
        json!({"bucket": "data",
        "policy": unknown("aws_s3_bucket.b.policy"),
        "versioning": unknown("aws_s3_bucket.b.versioning"),
        "server_side_encryption_configuration": unknown("aws_s3_bucket.b.server_side_encryption_configuration")}),
    )]);
    assert_eq!(out[0].attributes["policy"], Value::Null);
    assert_eq!(
        out[0].attributes["versioning"],
        json!({"status": null, "mfa_delete": false})
    );
    // An inline policy that is a reference is a real setting that is unknown.
    let out = adapt(&[raw(
        "aws_s3_bucket",
        "b",
        json!({"bucket": "data",
        "policy": unknown_ref("data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p")}),
    )]);
    assert!(matches!(only("AWS-S3-002", &out), Outcome::NotAssessed(_)));
}

#[test]
fn policy_documents_are_rebuilt_from_their_data_source() {
    let mut doc = raw(
        "aws_iam_policy_document",
        "p",
        json!({
        "statement": [{"effect": "Deny", "actions": ["s3:*"],
            "resources": [unknown_ref("${aws_s3_bucket.b.arn}/*", "aws_s3_bucket.b")],
            "principals": [{"type": "*", "identifiers": ["*"]}],
            "condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]}],
        "json": unknown_ref("data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p")}),
    );
    doc.address = "data.aws_iam_policy_document.p".into();
    let out = adapt(&[
        raw("aws_s3_bucket", "b", json!({"bucket": "data"})),
        doc,
        raw(
            "aws_s3_bucket_policy",
            "p",
            json!({"bucket": "data",
            "policy": unknown_ref("data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p")}),
        ),
    ]);
    let b = of_kind(&out, "aws.s3.bucket");
    assert_eq!(
        b.attributes["policy"]["Statement"][0]["Condition"],
        json!({"Bool": {"aws:SecureTransport": "false"}})
    );
    assert!(matches!(only("AWS-S3-002", &out), Outcome::Pass(_)));
}
