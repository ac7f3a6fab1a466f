//! A generator of large, realistic configuration snapshots for benchmarks and
//! scale tests. Deterministic: the same `(n, seed)` gives the same document.

use serde_json::{json, Value};

/// SplitMix64: tiny, fast, and good enough to vary synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn hex(&mut self, len: usize) -> String {
        format!("{:016x}{:016x}", self.next(), self.next())[..len.min(32)].to_string()
    }
}

const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-northeast-1"];
const ACCOUNTS: &[&str] = &["111111111111", "222222222222"];

/// Relative weights of the generated types; the tail are types yagura does not map.
const TYPES: &[(&str, u64)] = &[
    ("AWS::EC2::SecurityGroup", 14),
    ("AWS::EC2::NetworkInterface", 12),
    ("AWS::EC2::Instance", 10),
    ("AWS::EC2::Volume", 10),
    ("AWS::EC2::Subnet", 6),
    ("AWS::EC2::VPC", 2),
    ("AWS::EC2::NetworkAcl", 3),
    ("AWS::EC2::FlowLog", 2),
    ("AWS::S3::Bucket", 8),
    ("AWS::IAM::Role", 5),
    ("AWS::IAM::User", 3),
    ("AWS::IAM::Policy", 3),
    ("AWS::IAM::Group", 1),
    ("AWS::KMS::Key", 2),
    ("AWS::Lambda::Function", 4),
    ("AWS::RDS::DBInstance", 2),
    ("AWS::SQS::Queue", 2),
    ("AWS::SNS::Topic", 2),
    ("AWS::DynamoDB::Table", 2),
    ("AWS::SecretsManager::Secret", 1),
    ("AWS::CloudWatch::Alarm", 2),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", 1),
    ("AWS::EC2::RouteTable", 2),
    ("AWS::Config::ResourceCompliance", 2),
];

/// A configuration snapshot of `n` items of mixed types over two accounts and
/// three regions, shaped like the files Config delivers (supplementary
/// configurations as JSON text, IAM documents URL-encoded, about a third of the
/// resources misconfigured).
pub fn generate_synthetic_snapshot(n: usize, seed: u64) -> Value {
    let mut rng = Rng(seed);
    let total: u64 = TYPES.iter().map(|(_, w)| w).sum();
    let mut items = Vec::with_capacity(n + 4);
    // The account-level block once per account, so account resources are complete.
    for account in ACCOUNTS {
        items.push(envelope(
            "AWS::S3::AccountPublicAccessBlock",
            account,
            account,
            account,
            "us-east-1",
            None,
            json!({"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true}),
            json!({}),
        ));
    }
    for i in 0..n.saturating_sub(items.len()) {
        let mut pick = rng.below(total);
        let rt = TYPES
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map_or(TYPES[0].0, |(t, _)| t);
        let account = ACCOUNTS[rng.below(ACCOUNTS.len() as u64) as usize];
        let region = REGIONS[rng.below(REGIONS.len() as u64) as usize];
        items.push(item(&mut rng, rt, i, account, region));
    }
    json!({
        "fileVersion": "1.0",
        "configSnapshotId": format!("{:08x}-synthetic-{seed}", n),
        "configurationItems": items,
    })
}

#[allow(clippy::too_many_arguments)]
fn envelope(
    rt: &str,
    id: &str,
    name: &str,
    account: &str,
    region: &str,
    arn: Option<String>,
    configuration: Value,
    supplementary: Value,
) -> Value {
    json!({
        "relatedEvents": [],
        "relationships": [],
        "configuration": configuration,
        "supplementaryConfiguration": supplementary,
        "tags": {"env": "bench"},
        "configurationItemVersion": "1.3",
        "configurationItemCaptureTime": "2024-05-01T12:00:00.000Z",
        "configurationStateId": 1714564800000_i64,
        "awsAccountId": account,
        "configurationItemStatus": "OK",
        "resourceType": rt,
        "resourceId": id,
        "resourceName": name,
        "ARN": arn,
        "awsRegion": region,
        "availabilityZone": "Not Applicable",
        "configurationStateMd5Hash": "",
    })
}

fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn item(rng: &mut Rng, rt: &str, i: usize, account: &str, region: &str) -> Value {
    let bad = rng.chance(33);
    let vpc = format!("vpc-{:08x}", i % 97);
    let sg = |rng: &mut Rng| format!("sg-{}", rng.hex(17));
    let arn = |svc: &str, rest: String| Some(format!("arn:aws:{svc}:{region}:{account}:{rest}"));
    let e = |id: String, name: String, arn: Option<String>, cfg: Value, sup: Value| {
        envelope(rt, &id, &name, account, region, arn, cfg, sup)
    };
    match rt {
        "AWS::EC2::SecurityGroup" => {
            let id = sg(rng);
            let cidr = if bad { "0.0.0.0/0" } else { "10.0.0.0/8" };
            let port = [22, 443, 3389, 5432][rng.below(4) as usize];
            e(
                id.clone(),
                format!("sg-{i}"),
                arn("ec2", format!("security-group/{id}")),
                json!({"description": "synthetic", "groupName": format!("sg-{i}"), "ownerId": account, "groupId": id, "vpcId": vpc,
                    "ipPermissions": [{"fromPort": port, "toPort": port, "ipProtocol": "tcp", "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [],
                        "ipv4Ranges": [{"cidrIp": cidr}], "ipRanges": [cidr]}],
                    "ipPermissionsEgress": [{"ipProtocol": "-1", "ipv6Ranges": [], "prefixListIds": [], "userIdGroupPairs": [], "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"]}],
                    "tags": []}),
                json!({}),
            )
        }
        "AWS::EC2::NetworkInterface" => {
            let id = format!("eni-{}", rng.hex(17));
            e(
                id.clone(),
                id.clone(),
                arn("ec2", format!("network-interface/{id}")),
                json!({"networkInterfaceId": id, "vpcId": vpc, "status": "in-use", "groups": [{"groupId": sg(rng), "groupName": "x"}], "privateIpAddress": "10.0.0.1"}),
                json!({}),
            )
        }
        "AWS::EC2::Instance" => {
            let id = format!("i-{}", rng.hex(17));
            let mut cfg = json!({"instanceId": id, "imageId": "ami-0abcdef1234567890", "instanceType": "t3.micro",
                "state": {"code": 16, "name": "running"}, "launchTime": "2024-01-02T03:04:05.000Z", "vpcId": vpc,
                "subnetId": format!("subnet-{:08x}", i % 211), "securityGroups": [{"groupName": "web", "groupId": sg(rng)}],
                "metadataOptions": {"state": "applied", "httpTokens": if bad { "optional" } else { "required" }, "httpPutResponseHopLimit": 1, "httpEndpoint": "enabled"},
                "tags": [{"key": "Name", "value": format!("web-{i}")}]});
            if bad {
                cfg["publicIpAddress"] = json!(format!("54.0.{}.{}", i % 250, i % 200));
            }
            e(
                id.clone(),
                id.clone(),
                arn("ec2", format!("instance/{id}")),
                cfg,
                json!({}),
            )
        }
        "AWS::EC2::Volume" => {
            let id = format!("vol-{}", rng.hex(17));
            let mut cfg = json!({"volumeId": id, "size": 8, "state": "in-use", "encrypted": !bad, "volumeType": "gp3",
                "attachments": [{"instanceId": "i-0123", "state": "attached", "device": "/dev/xvda"}]});
            if !bad {
                cfg["kmsKeyId"] = json!(format!(
                    "arn:aws:kms:{region}:{account}:key/{}",
                    rng.hex(32)
                ));
            }
            e(
                id.clone(),
                id.clone(),
                arn("ec2", format!("volume/{id}")),
                cfg,
                json!({}),
            )
        }
        "AWS::EC2::Subnet" => {
            let id = format!("subnet-{}", rng.hex(17));
            e(
                id.clone(),
                id.clone(),
                arn("ec2", format!("subnet/{id}")),
                json!({"subnetId": id, "vpcId": vpc, "cidrBlock": "10.0.1.0/24", "mapPublicIpOnLaunch": bad, "defaultForAz": false, "state": "available"}),
                json!({}),
            )
        }
        "AWS::EC2::VPC" => {
            let id = format!("vpc-{}", rng.hex(17));
            e(
                id.clone(),
                id.clone(),
                arn("ec2", format!("vpc/{id}")),
                json!({"vpcId": id, "cidrBlock": "10.0.0.0/16", "isDefault": bad, "state": "available", "instanceTenancy": "default"}),
                json!({}),
            )
        }
        "AWS::EC2::NetworkAcl" => {
            let id = format!("acl-{}", rng.hex(17));
            e(
                id.clone(),
                id.clone(),
                arn("ec2", format!("network-acl/{id}")),
                json!({"networkAclId": id, "vpcId": vpc, "isDefault": true, "entries": [
                    {"ruleNumber": 100, "protocol": "-1", "ruleAction": "allow", "egress": false, "cidrBlock": "0.0.0.0/0"},
                    {"ruleNumber": 32767, "protocol": "-1", "ruleAction": "deny", "egress": false, "cidrBlock": "0.0.0.0/0"}]}),
                json!({}),
            )
        }
        "AWS::EC2::FlowLog" => {
            let id = format!("fl-{}", rng.hex(17));
            e(
                id.clone(),
                id.clone(),
                arn("ec2", format!("vpc-flow-log/{id}")),
                json!({"Id": id, "ResourceId": vpc, "ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs"}),
                json!({}),
            )
        }
        "AWS::S3::Bucket" => {
            let name = format!("bench-bucket-{i}-{}", rng.hex(6));
            let mut sup = json!({
                "AccessControlList": serde_json::to_string(&json!({"grantSet": null, "grantList": [{"grantee": {"id": "abc", "displayName": null}, "permission": "FullControl"}], "owner": {"displayName": null, "id": "abc"}, "isRequesterCharged": false})).unwrap_or_default(),
                "BucketLoggingConfiguration": {"destinationBucketName": null, "logFilePrefix": null},
                "BucketPolicy": {"policyText": null},
                "BucketVersioningConfiguration": {"status": if bad { "Off" } else { "Enabled" }, "isMfaDeleteEnabled": null},
                "IsRequesterPaysEnabled": false,
                "ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256", "kmsMasterKeyID": null}, "bucketKeyEnabled": false}]}
            });
            if !bad {
                sup["PublicAccessBlockConfiguration"] = json!({"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true});
            }
            envelope(
                rt,
                &name,
                &name,
                account,
                region,
                Some(format!("arn:aws:s3:::{name}")),
                json!({"name": name, "owner": {"displayName": null, "id": "abc"}, "creationDate": "2023-01-01T00:00:00.000Z"}),
                sup,
            )
        }
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" | "AWS::IAM::Policy" => {
            let trust = url_encode(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            );
            let attached = if bad {
                json!([{"policyName": "AdministratorAccess", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}])
            } else {
                json!([{"policyName": "ReadOnlyAccess", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}])
            };
            let (kind, key) = match rt {
                "AWS::IAM::Role" => ("role", "roleName"),
                "AWS::IAM::User" => ("user", "userName"),
                "AWS::IAM::Group" => ("group", "groupName"),
                _ => ("policy", "policyName"),
            };
            let name = format!("{kind}-{i}");
            let iam_arn = format!("arn:aws:iam::{account}:{kind}/{name}");
            let mut cfg = json!({key: name, "arn": iam_arn, "path": "/", "createDate": "2022-02-02T00:00:00.000Z"});
            match kind {
                "role" => {
                    cfg["assumeRolePolicyDocument"] = json!(trust);
                    cfg["attachedManagedPolicies"] = attached;
                    cfg["rolePolicyList"] = json!([]);
                }
                "user" => {
                    cfg["attachedManagedPolicies"] = attached;
                    cfg["userPolicyList"] = json!([]);
                    cfg["groupList"] = json!(["devs"]);
                }
                "group" => {
                    cfg["attachedManagedPolicies"] = attached;
                    cfg["groupPolicyList"] = json!([]);
                }
                _ => {
                    let doc = if bad {
                        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
                    } else {
                        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
                    };
                    cfg["defaultVersionId"] = json!("v1");
                    cfg["attachmentCount"] = json!(rng.below(3));
                    cfg["policyVersionList"] = json!([{"document": url_encode(doc), "versionId": "v1", "isDefaultVersion": true}]);
                }
            }
            let id = format!("AID{}", rng.hex(17).to_ascii_uppercase());
            envelope(
                rt,
                &id,
                &name,
                account,
                "global",
                Some(iam_arn),
                cfg,
                json!({}),
            )
        }
        "AWS::KMS::Key" => {
            let id = format!("{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(12));
            let key_arn = format!("arn:aws:kms:{region}:{account}:key/{id}");
            e(
                id.clone(),
                id.clone(),
                Some(key_arn.clone()),
                json!({"keyId": id, "arn": key_arn, "enabled": true, "keyUsage": "ENCRYPT_DECRYPT", "keyState": "Enabled",
                    "origin": "AWS_KMS", "keyManager": if bad { "CUSTOMER" } else { "AWS" }, "keySpec": "SYMMETRIC_DEFAULT"}),
                json!({}),
            )
        }
        "AWS::Lambda::Function" => {
            let name = format!("fn-{i}");
            let fn_arn = format!("arn:aws:lambda:{region}:{account}:function:{name}");
            let sup = if bad {
                json!({"Policy": serde_json::to_string(&json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": fn_arn}]})).unwrap_or_default()})
            } else {
                json!({})
            };
            e(
                rng.hex(20),
                name.clone(),
                Some(fn_arn.clone()),
                json!({"functionName": name, "functionArn": fn_arn, "runtime": if bad { "python3.7" } else { "python3.12" },
                    "role": format!("arn:aws:iam::{account}:role/fn"), "handler": "app.handler", "codeSize": 1024,
                    "timeout": 3, "memorySize": 128, "packageType": "Zip", "tracingConfig": {"mode": "PassThrough"},
                    "vpcConfig": {"subnetIds": [], "securityGroupIds": [], "vpcId": ""}}),
                sup,
            )
        }
        "AWS::RDS::DBInstance" => {
            let name = format!("db-{i}");
            e(
                format!("db-{}", rng.hex(26).to_ascii_uppercase()),
                name.clone(),
                arn("rds", format!("db:{name}")),
                json!({"dBInstanceIdentifier": name, "engine": "postgres", "engineVersion": "15.4", "storageEncrypted": !bad,
                    "publiclyAccessible": bad, "autoMinorVersionUpgrade": true, "multiAZ": !bad, "backupRetentionPeriod": if bad { 0 } else { 7 },
                    "deletionProtection": !bad, "iAMDatabaseAuthenticationEnabled": false, "copyTagsToSnapshot": true, "monitoringInterval": 0}),
                json!({}),
            )
        }
        "AWS::SQS::Queue" => {
            let name = format!("queue-{i}");
            let mut cfg = json!({"QueueArn": format!("arn:aws:sqs:{region}:{account}:{name}"), "VisibilityTimeout": "30",
                "SqsManagedSseEnabled": if bad { "false" } else { "true" }});
            if bad {
                cfg["Policy"] = json!(serde_json::to_string(&json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage"}]})).unwrap_or_default());
            }
            e(
                format!("https://sqs.{region}.amazonaws.com/{account}/{name}"),
                name.clone(),
                arn("sqs", name),
                cfg,
                json!({}),
            )
        }
        "AWS::SNS::Topic" => {
            let name = format!("topic-{i}");
            let topic_arn = format!("arn:aws:sns:{region}:{account}:{name}");
            let mut cfg = json!({"TopicArn": topic_arn, "DisplayName": ""});
            if !bad {
                cfg["KmsMasterKeyId"] = json!("alias/aws/sns");
            }
            e(topic_arn.clone(), name, Some(topic_arn), cfg, json!({}))
        }
        "AWS::DynamoDB::Table" => {
            let name = format!("table-{i}");
            e(
                name.clone(),
                name.clone(),
                arn("dynamodb", format!("table/{name}")),
                json!({"tableName": name, "tableStatus": "ACTIVE", "deletionProtectionEnabled": !bad}),
                json!({"ContinuousBackupsDescription": {"continuousBackupsStatus": "ENABLED",
                    "pointInTimeRecoveryDescription": {"pointInTimeRecoveryStatus": if bad { "DISABLED" } else { "ENABLED" }}}}),
            )
        }
        "AWS::SecretsManager::Secret" => {
            let name = format!("secret-{i}");
            let s_arn = format!(
                "arn:aws:secretsmanager:{region}:{account}:secret:{name}-{}",
                rng.hex(6)
            );
            e(
                s_arn.clone(),
                name.clone(),
                Some(s_arn.clone()),
                json!({"arn": s_arn, "name": name, "rotationEnabled": !bad, "createdDate": "2023-03-03T00:00:00.000Z"}),
                json!({}),
            )
        }
        "AWS::CloudWatch::Alarm" => {
            let name = format!("alarm-{i}");
            e(
                name.clone(),
                name.clone(),
                arn("cloudwatch", format!("alarm:{name}")),
                json!({"alarmName": name, "metricName": "CPUUtilization", "namespace": "AWS/EC2", "actionsEnabled": !bad, "alarmActions": []}),
                json!({}),
            )
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let name = format!("lb-{i}");
            let lb_arn = format!(
                "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}/{}",
                rng.hex(16)
            );
            e(
                lb_arn.clone(),
                name.clone(),
                Some(lb_arn.clone()),
                json!({"loadBalancerArn": lb_arn, "loadBalancerName": name, "scheme": "internet-facing", "type": "application", "vpcId": vpc}),
                json!({"LoadBalancerAttributes": [{"key": "deletion_protection.enabled", "value": (!bad).to_string()},
                    {"key": "routing.http.drop_invalid_header_fields.enabled", "value": (!bad).to_string()},
                    {"key": "access_logs.s3.enabled", "value": "false"},
                    {"key": "routing.http.desync_mitigation_mode", "value": "defensive"}]}),
            )
        }
        other => {
            let id = format!("res-{}", rng.hex(17));
            envelope(
                other,
                &id,
                &id,
                account,
                region,
                None,
                json!({"id": id, "routes": []}),
                json!({}),
            )
        }
    }
}
