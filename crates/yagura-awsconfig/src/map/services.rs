//! The remaining services, one function per Config type. Types Config records from
//! the service's describe call are camelCase; newer ones follow the CloudFormation
//! schema in PascalCase. The case-tolerant lookups read both.
//!
//! Rule for missing keys: a field that the describe call omits when unset becomes
//! `null` in a full item (`or_null`); a field Config may simply not carry stays
//! absent, so checks that need it are NOT_ASSESSED.

use super::{arn_or, config_arn, is_full, name_of, partition, resource, World};
use crate::parse::ConfigItem;
use crate::value::{
    bool_attr, full_list_attr, get, get_any, nonempty_str_attr, or_null, path, policy_attr,
    str_attr, strings, time_attr, to_bool, to_i64, to_str, As, Attrs, Field,
};
use serde_json::{json, Value};
use yagura_model::Resource;

fn regional_arn(item: &ConfigItem, service: &str, rest: &str) -> String {
    format!(
        "arn:{}:{}:{}:{}:{}",
        partition(item),
        service,
        item.region.as_deref().unwrap_or(""),
        item.account.as_deref().unwrap_or(""),
        rest
    )
}

/// The last `:` or `/` separated part of an ARN.
fn arn_tail(arn: &str) -> &str {
    arn.rsplit([':', '/']).next().unwrap_or(arn)
}

pub(super) fn kms_key(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let key_id = get(c, "keyId")
        .and_then(to_str)
        .unwrap_or(&item.resource_id)
        .to_string();
    let id = config_arn(item, &["arn"], || {
        regional_arn(item, "kms", &format!("key/{key_id}"))
    });
    const KEY_SPEC: &[&str] = &["keySpec", "customerMasterKeySpec"];
    let mut a = Attrs::new();
    a.put("key_id", json!(key_id));
    a.read(
        c,
        false,
        &[
            Field::key("key_manager", "keyManager", As::Str),
            Field::any("key_spec", KEY_SPEC, As::Str),
            Field::key("key_state", "keyState", As::Str),
        ],
    );
    // Only symmetric keys with key material from KMS can rotate; for the rest
    // `null` is a fact read from the item, not a guess.
    let spec = get_any(c, KEY_SPEC).and_then(to_str);
    let origin = get(c, "origin").and_then(to_str);
    let cannot_rotate =
        spec.is_some_and(|s| s != "SYMMETRIC_DEFAULT") || origin.is_some_and(|o| o != "AWS_KMS");
    let rotation = if cannot_rotate {
        Some(Value::Null)
    } else {
        bool_attr(get_any(c, &["keyRotationEnabled", "enableKeyRotation"])).or_else(|| {
            bool_attr(get_any(
                &item.supplementary,
                &[
                    "KeyRotationStatus",
                    "keyRotationEnabled",
                    "KeyRotationEnabled",
                ],
            ))
        })
    };
    a.set("rotation_enabled", rotation);
    a.set(
        "policy",
        policy_attr(get_any(c, &["keyPolicy", "policy"]))
            .or_else(|| policy_attr(get_any(&item.supplementary, &["KeyPolicy", "Policy"]))),
    );
    let name = item.resource_name.clone().unwrap_or_else(|| key_id.clone());
    resource(item, "aws.kms.key", id, name, a)
}

pub(super) fn trail(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let s = &item.supplementary;
    let full = is_full(item, &["name", "trailARN"]);
    let name = name_of(item, &["name"]);
    let id = get_any(c, &["trailARN", "arn"])
        .and_then(to_str)
        .filter(|a| a.starts_with("arn:"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            arn_or(item, || {
                regional_arn(item, "cloudtrail", &format!("trail/{name}"))
            })
        });
    let status = get_any(s, &["TrailStatus", "Status"]).or_else(|| get(c, "trailStatus"));
    let status_field = |k: &str| get(c, k).or_else(|| status.and_then(|st| get(st, k)));
    let mut a = Attrs::new();
    a.put("trail_name", json!(name));
    a.read(
        c,
        full,
        &[
            Field::key("home_region", "homeRegion", As::Str),
            Field::key("is_multi_region", "isMultiRegionTrail", As::Bool),
            Field::key("is_organization_trail", "isOrganizationTrail", As::Bool),
        ],
    );
    a.set("is_logging", bool_attr(status_field("isLogging")));
    a.read(
        c,
        full,
        &[
            Field::key("log_file_validation", "logFileValidationEnabled", As::Bool),
            Field::key("kms_key_id", "kmsKeyId", As::NonEmptyStr).or_null(),
            Field::key("s3_bucket", "s3BucketName", As::NonEmptyStr).or_null(),
            Field::key(
                "cloudwatch_log_group_arn",
                "cloudWatchLogsLogGroupArn",
                As::NonEmptyStr,
            )
            .or_null(),
        ],
    );
    a.set(
        "latest_cloudwatch_delivery",
        status
            .and(time_attr(status_field("latestCloudWatchLogsDeliveryTime")).or(Some(Value::Null))),
    );
    if let Some((mgmt, s3)) = trail_events(c, s) {
        a.put("management_events", mgmt);
        a.put("s3_data_events", s3);
    }
    resource(item, "aws.cloudtrail.trail", id, name, a)
}

/// `(management_events, s3_data_events)` from the trail's event selectors. With
/// `hasCustomEventSelectors: false` the trail uses the defaults: all management
/// events and no data events.
fn trail_events(c: &Value, s: &Value) -> Option<(Value, Value)> {
    // Default selectors: the flag is authoritative, whatever lists come with it.
    if get(c, "hasCustomEventSelectors").and_then(to_bool) == Some(false) {
        return Some((
            json!({"read": true, "write": true}),
            json!({"read": false, "write": false}),
        ));
    }
    let basic = get(c, "eventSelectors").or_else(|| get(s, "EventSelectors"));
    let advanced = get(c, "advancedEventSelectors").or_else(|| get(s, "AdvancedEventSelectors"));
    let mut m = (false, false);
    let mut d = (false, false);
    let mut seen = false;
    if let Some(list) = basic.and_then(Value::as_array).filter(|l| !l.is_empty()) {
        seen = true;
        for sel in list {
            let rw = get(sel, "readWriteType").and_then(to_str).unwrap_or("All");
            let (r, w) = (rw != "WriteOnly", rw != "ReadOnly");
            if get(sel, "includeManagementEvents")
                .and_then(to_bool)
                .unwrap_or(true)
            {
                m = (m.0 || r, m.1 || w);
            }
            let all_buckets = get(sel, "dataResources")
                .and_then(Value::as_array)
                .is_some_and(|l| {
                    l.iter().any(|dr| {
                        get(dr, "type").and_then(to_str) == Some("AWS::S3::Object")
                            && get(dr, "values")
                                .and_then(Value::as_array)
                                .is_some_and(|v| {
                                    v.iter()
                                        .filter_map(Value::as_str)
                                        .any(|x| x.ends_with(":s3") || x.ends_with(":s3:::"))
                                })
                    })
                });
            if all_buckets {
                d = (d.0 || r, d.1 || w);
            }
        }
    }
    if let Some(list) = advanced.and_then(Value::as_array).filter(|l| !l.is_empty()) {
        seen = true;
        for sel in list {
            let fields = get(sel, "fieldSelectors")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|f| get(f, "field").and_then(to_str) == Some(name))
            };
            let equals = |name: &str| -> Vec<String> {
                field(name)
                    .and_then(|f| get(f, "equals"))
                    .map(|e| {
                        strings(e, None)
                            .into_iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let ro = equals("readOnly");
            let (r, w) = match ro.first().map(String::as_str) {
                Some("true") => (true, false),
                Some("false") => (false, true),
                _ => (true, true),
            };
            let category = equals("eventCategory");
            if category.iter().any(|x| x == "Management") {
                m = (m.0 || r, m.1 || w);
            } else if category.iter().any(|x| x == "Data")
                && equals("resources.type")
                    .iter()
                    .any(|x| x == "AWS::S3::Object")
                && field("resources.ARN").is_none()
            {
                d = (d.0 || r, d.1 || w);
            }
        }
    }
    if !seen {
        return None;
    }
    Some((
        json!({"read": m.0, "write": m.1}),
        json!({"read": d.0, "write": d.1}),
    ))
}

pub(super) fn db_instance(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["dBInstanceIdentifier"]);
    let name = name_of(item, &["dBInstanceIdentifier"]);
    let id = config_arn(item, &["dBInstanceArn"], || {
        regional_arn(item, "rds", &format!("db:{name}"))
    });
    let mut a = Attrs::new();
    a.put("db_instance_id", json!(name));
    a.read(
        c,
        full,
        &[
            Field::key("engine", "engine", As::Str),
            Field::key("engine_version", "engineVersion", As::Str),
            Field::key("storage_encrypted", "storageEncrypted", As::Bool),
            Field::key("kms_key_id", "kmsKeyId", As::NonEmptyStr).or_null(),
            Field::key("publicly_accessible", "publiclyAccessible", As::Bool),
            Field::key(
                "auto_minor_version_upgrade",
                "autoMinorVersionUpgrade",
                As::Bool,
            ),
            Field::key("multi_az", "multiAZ", As::Bool),
            Field::key("backup_retention_days", "backupRetentionPeriod", As::Int),
            Field::key("deletion_protection", "deletionProtection", As::Bool),
            Field::key("iam_auth", "iAMDatabaseAuthenticationEnabled", As::Bool),
            Field::key("copy_tags_to_snapshot", "copyTagsToSnapshot", As::Bool),
            Field::key(
                "enhanced_monitoring_interval",
                "monitoringInterval",
                As::Int,
            ),
        ],
    );
    resource(item, "aws.rds.db_instance", id, name, a)
}

pub(super) fn db_snapshot(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let name = name_of(item, &["dBSnapshotIdentifier"]);
    let id = config_arn(item, &["dBSnapshotArn"], || {
        regional_arn(item, "rds", &format!("snapshot:{name}"))
    });
    let mut a = Attrs::new();
    a.put("snapshot_id", json!(name));
    a.set("encrypted", bool_attr(get(c, "encrypted")));
    // Public when the `restore` attribute lists `all`.
    let attrs =
        get(&item.supplementary, "DBSnapshotAttributes").or_else(|| get(c, "dBSnapshotAttributes"));
    let attrs = match attrs {
        Some(v) => get(v, "dBSnapshotAttributes").unwrap_or(v),
        None => &Value::Null,
    };
    if let Some(list) = attrs.as_array() {
        let public = list.iter().any(|at| {
            get(at, "attributeName").and_then(to_str) == Some("restore")
                && get(at, "attributeValues")
                    .and_then(Value::as_array)
                    .is_some_and(|v| v.iter().any(|x| x.as_str() == Some("all")))
        });
        a.put("public", Value::Bool(public));
    }
    resource(item, "aws.rds.db_snapshot", id, name, a)
}

pub(super) fn efs(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["fileSystemId"]);
    let fs_id = get(c, "fileSystemId")
        .and_then(to_str)
        .unwrap_or(&item.resource_id)
        .to_string();
    let id = config_arn(item, &["arn", "fileSystemArn"], || {
        regional_arn(item, "elasticfilesystem", &format!("file-system/{fs_id}"))
    });
    let mut a = Attrs::new();
    a.put("file_system_id", json!(fs_id));
    a.read(
        c,
        full,
        &[
            Field::key("encrypted", "encrypted", As::Bool),
            Field::key("kms_key_id", "kmsKeyId", As::NonEmptyStr).or_null(),
        ],
    );
    a.set(
        "backup_enabled",
        path(c, &["backupPolicy", "status"])
            .and_then(to_str)
            .map(|s| {
                let s = s.to_ascii_uppercase();
                Value::Bool(s == "ENABLED" || s == "ENABLING")
            }),
    );
    let name = item
        .tags
        .get("Name")
        .cloned()
        .or_else(|| get(c, "name").and_then(to_str).map(str::to_string))
        .unwrap_or_else(|| fs_id.clone());
    resource(item, "aws.efs.file_system", id, name, a)
}

pub(super) fn lambda(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["functionName"]);
    let name = name_of(item, &["functionName"]);
    let id = config_arn(item, &["functionArn"], || {
        regional_arn(item, "lambda", &format!("function:{name}"))
    });
    let mut a = Attrs::new();
    a.put("function_name", json!(name));
    let package = get(c, "packageType").and_then(to_str);
    a.set(
        "runtime",
        match get(c, "runtime") {
            None if package == Some("Image") => Some(Value::Null),
            other => nonempty_str_attr(other),
        },
    );
    a.set("package_type", str_attr(get(c, "packageType")));
    let vpc_id = match get(c, "vpcConfig") {
        None | Some(Value::Null) => full.then_some(Value::Null),
        Some(v) => match get(v, "vpcId").and_then(to_str).filter(|s| !s.is_empty()) {
            Some(id) => Some(Value::String(id.to_string())),
            // Subnets but no VPC id: in some VPC, but the item does not say which.
            None if get(v, "subnetIds")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty()) =>
            {
                None
            }
            None => Some(Value::Null),
        },
    };
    a.set("vpc_id", vpc_id);
    // Config keeps the function's resource policy as supplementary `Policy` and
    // leaves it out when there is none (AWS's change-triggered public-access rule
    // depends on that), so in a full item its absence means "no policy".
    a.set(
        "policy",
        or_null(full, policy_attr(get(&item.supplementary, "Policy"))),
    );
    a.set(
        "environment_keys",
        get(c, "environment").map(|e| match get(e, "variables") {
            Some(Value::Object(m)) => Value::Array(m.keys().map(|k| json!(k)).collect()),
            _ => json!([]),
        }),
    );
    a.set(
        "tracing_mode",
        path(c, &["tracingConfig", "mode"]).and_then(|m| str_attr(Some(m))),
    );
    resource(item, "aws.lambda.function", id, name, a)
}

pub(super) fn load_balancer(item: &ConfigItem, w: &World) -> Resource {
    let c = &item.configuration;
    let name = name_of(item, &["loadBalancerName"]);
    let id = config_arn(item, &["loadBalancerArn"], || item.resource_id.clone());
    let lb_type = get(c, "type").and_then(to_str).map(str::to_ascii_lowercase);
    let mut a = Attrs::new();
    a.put("load_balancer_name", json!(name));
    a.set("type", lb_type.clone().map(Value::String));
    a.set("scheme", str_attr(get(c, "scheme")));
    if w.recorded(item, "AWS::ElasticLoadBalancingV2::Listener") {
        a.put(
            "listeners",
            Value::Array(w.listeners.get(&id).cloned().unwrap_or_default()),
        );
    }
    let attrs = get(&item.supplementary, "LoadBalancerAttributes")
        .or_else(|| get(c, "loadBalancerAttributes"));
    if let Some(list) = attrs.and_then(Value::as_array) {
        let lookup = |key: &str| {
            list.iter()
                .find(|kv| get(kv, "key").and_then(to_str) == Some(key))
                .and_then(|kv| get(kv, "value"))
        };
        a.set(
            "drop_invalid_header_fields",
            bool_attr(lookup("routing.http.drop_invalid_header_fields.enabled")),
        );
        a.set(
            "deletion_protection",
            bool_attr(lookup("deletion_protection.enabled")),
        );
        a.set(
            "access_logs_enabled",
            bool_attr(lookup("access_logs.s3.enabled")),
        );
        // Only application load balancers have the setting; for the rest it is unset.
        a.set(
            "desync_mitigation_mode",
            Some(str_attr(lookup("routing.http.desync_mitigation_mode")).unwrap_or(Value::Null)),
        );
    }
    resource(item, "aws.elbv2.load_balancer", id, name, a)
}

/// A listener as `(load balancer ARN, entry)`.
pub(super) fn listener(c: &Value) -> Option<(String, Value)> {
    let lb = get(c, "loadBalancerArn").and_then(to_str)?.to_string();
    let redirects = get(c, "defaultActions")
        .and_then(Value::as_array)
        .is_some_and(|actions| {
            actions.iter().any(|act| {
                get(act, "type")
                    .and_then(to_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("redirect"))
                    && path(act, &["redirectConfig", "protocol"]).and_then(to_str) == Some("HTTPS")
            })
        });
    Some((
        lb,
        json!({
            "port": get(c, "port").and_then(to_i64),
            "protocol": get(c, "protocol").and_then(to_str),
            "ssl_policy": get(c, "sslPolicy").and_then(to_str).filter(|s| !s.is_empty()),
            "redirects_to_https": redirects,
        }),
    ))
}

pub(super) fn ecr(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let name = name_of(item, &["repositoryName"]);
    let id = config_arn(item, &["arn", "repositoryArn"], || {
        regional_arn(item, "ecr", &format!("repository/{name}"))
    });
    let mut a = Attrs::new();
    a.put("repository_name", json!(name));
    a.read(
        c,
        false,
        &[
            Field::path(
                "scan_on_push",
                &["imageScanningConfiguration", "scanOnPush"],
                As::Bool,
            ),
            Field::key("image_tag_mutability", "imageTagMutability", As::Str),
            Field::path(
                "encryption_type",
                &["encryptionConfiguration", "encryptionType"],
                As::Str,
            ),
        ],
    );
    // Lifecycle and repository policies come from separate calls: a missing key
    // may mean "not read", so only explicit values count.
    a.set(
        "lifecycle_policy",
        get(c, "lifecyclePolicy").map(|lp| {
            let text = match lp {
                Value::Object(_) => get(lp, "lifecyclePolicyText").and_then(to_str),
                other => to_str(other),
            };
            Value::Bool(text.is_some_and(|t| !t.trim().is_empty()))
        }),
    );
    a.set("policy", policy_attr(get(c, "repositoryPolicyText")));
    resource(item, "aws.ecr.repository", id, name, a)
}

pub(super) fn eks(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["name"]);
    let name = name_of(item, &["name"]);
    let id = config_arn(item, &["arn"], || {
        regional_arn(item, "eks", &format!("cluster/{name}"))
    });
    let mut a = Attrs::new();
    a.put("cluster_name", json!(name));
    a.read(
        c,
        full,
        &[
            Field::key("version", "version", As::Str),
            Field::path(
                "endpoint_public_access",
                &["resourcesVpcConfig", "endpointPublicAccess"],
                As::Bool,
            ),
            Field::path(
                "public_access_cidrs",
                &["resourcesVpcConfig", "publicAccessCidrs"],
                As::List,
            ),
        ],
    );
    // Encryption config is part of the cluster description and omitted when unset.
    let secrets = match get(c, "encryptionConfig") {
        Some(Value::Array(l)) => Some(Value::Bool(l.iter().any(|e| {
            get(e, "resources")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|x| x == "secrets"))
        }))),
        Some(Value::Null) => Some(Value::Bool(false)),
        Some(_) => None,
        None => full.then_some(Value::Bool(false)),
    };
    a.set("secrets_encryption", secrets);
    a.set("logging_enabled", eks_logging(get(c, "logging")));
    resource(item, "aws.eks.cluster", id, name, a)
}

/// Enabled control-plane log types, from the describe shape
/// (`clusterLogging: [{types, enabled}]`) or the CloudFormation one
/// (`ClusterLogging: {EnabledTypes: [{Type}]}`).
fn eks_logging(l: Option<&Value>) -> Option<Value> {
    let cl = get(l?, "clusterLogging")?;
    let mut out: Vec<Value> = Vec::new();
    match cl {
        Value::Array(entries) => {
            for e in entries {
                if get(e, "enabled").and_then(to_bool) == Some(true) {
                    out.extend(
                        get(e, "types")
                            .map(|t| strings(t, None))
                            .unwrap_or_default(),
                    );
                }
            }
        }
        Value::Object(_) => {
            out.extend(
                get(cl, "enabledTypes")
                    .map(|t| strings(t, Some("type")))
                    .unwrap_or_default(),
            );
        }
        _ => return None,
    }
    Some(Value::Array(out))
}

pub(super) fn sns(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["topicArn"]);
    let id = config_arn(item, &["topicArn"], || item.resource_id.clone());
    let name = get(c, "topicName")
        .and_then(to_str)
        .map(str::to_string)
        .unwrap_or_else(|| arn_tail(&id).to_string());
    let mut a = Attrs::new();
    a.put("topic_name", json!(name));
    a.read(
        c,
        full,
        &[
            Field::key("kms_key_id", "kmsMasterKeyId", As::NonEmptyStr).or_null(),
            Field::key("policy", "policy", As::Policy),
        ],
    );
    // Confirmed subscriptions only; without ARNs pending ones cannot be told apart.
    a.set(
        "subscriptions",
        get_any(c, &["subscription", "subscriptions"])
            .and_then(Value::as_array)
            .and_then(|subs| {
                subs.iter()
                    .map(|s| {
                        let arn = get(s, "subscriptionArn").and_then(to_str)?;
                        Some((arn, s))
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .map(|subs| {
                Value::Array(
                    subs.into_iter()
                        .filter(|(arn, _)| arn.starts_with("arn:"))
                        .map(|(arn, s)| {
                            json!({
                                "protocol": get(s, "protocol").and_then(to_str),
                                "endpoint": get(s, "endpoint").and_then(to_str),
                                "subscription_arn": arn,
                            })
                        })
                        .collect(),
                )
            }),
    );
    resource(item, "aws.sns.topic", id, name, a)
}

pub(super) fn sqs(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["queueArn"]);
    let id = config_arn(item, &["queueArn"], || item.resource_id.clone());
    let name = get(c, "queueName")
        .and_then(to_str)
        .map(str::to_string)
        .or_else(|| item.resource_name.clone())
        .unwrap_or_else(|| arn_tail(&id).to_string());
    let url = get(c, "queueUrl")
        .and_then(to_str)
        .map(str::to_string)
        .or_else(|| {
            item.resource_id
                .starts_with("https://")
                .then(|| item.resource_id.clone())
        });
    let mut a = Attrs::new();
    a.put("queue_name", json!(name));
    a.set("url", url.map(Value::String));
    // Queue attributes are one map in which unset entries are simply missing.
    a.read(
        c,
        full,
        &[
            Field::key("kms_key_id", "kmsMasterKeyId", As::NonEmptyStr).or_null(),
            Field::key("sqs_managed_sse", "sqsManagedSseEnabled", As::Bool),
            Field::key("policy", "policy", As::Policy).or_null(),
        ],
    );
    resource(item, "aws.sqs.queue", id, name, a)
}

pub(super) fn dynamodb(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["tableName"]);
    let name = name_of(item, &["tableName"]);
    let id = config_arn(item, &["tableArn"], || {
        regional_arn(item, "dynamodb", &format!("table/{name}"))
    });
    let mut a = Attrs::new();
    a.put("table_name", json!(name));
    let pitr = get(&item.supplementary, "ContinuousBackupsDescription")
        .or_else(|| get(c, "continuousBackupsDescription"))
        .and_then(|d| {
            path(
                d,
                &[
                    "pointInTimeRecoveryDescription",
                    "pointInTimeRecoveryStatus",
                ],
            )
        })
        .or_else(|| {
            path(
                c,
                &[
                    "pointInTimeRecoverySpecification",
                    "pointInTimeRecoveryEnabled",
                ],
            )
        });
    a.set(
        "pitr_enabled",
        pitr.and_then(|p| {
            to_bool(p).or_else(|| to_str(p).map(|s| s.eq_ignore_ascii_case("ENABLED")))
        })
        .map(Value::Bool),
    );
    a.set(
        "deletion_protection",
        bool_attr(get(c, "deletionProtectionEnabled")),
    );
    // The table description omits the SSE block for tables on the AWS owned key.
    let sse = get_any(c, &["sSEDescription", "sseDescription", "sseSpecification"]);
    let kms = sse.is_some_and(|d| {
        get_any(d, &["sSEType", "sseType"]).and_then(to_str) == Some("KMS")
            && get(d, "status")
                .and_then(to_str)
                .is_none_or(|s| s == "ENABLED" || s == "UPDATING")
    });
    match sse {
        Some(d) if kms => {
            a.put("sse_type", json!("KMS"));
            a.put(
                "kms_key_id",
                json!(
                    get_any(d, &["kMSMasterKeyArn", "kmsMasterKeyArn", "kmsMasterKeyId"])
                        .and_then(to_str)
                ),
            );
        }
        Some(_) => {
            a.put("sse_type", Value::Null);
            a.put("kms_key_id", Value::Null);
        }
        None if full => {
            a.put("sse_type", Value::Null);
            a.put("kms_key_id", Value::Null);
        }
        None => {}
    }
    resource(item, "aws.dynamodb.table", id, name, a)
}

pub(super) fn secret(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["name"]);
    let name = name_of(item, &["name"]);
    let id = config_arn(item, &["arn"], || item.resource_id.clone());
    let mut a = Attrs::new();
    a.put("secret_name", json!(name));
    // Rotation facts only when the item has the rotation flag (the describe shape);
    // the CloudFormation shape has no rotation at all, so they stay absent there.
    let rotation = bool_attr(get(c, "rotationEnabled"));
    let described = rotation.is_some();
    a.set("rotation_enabled", rotation);
    a.read(
        c,
        described,
        &[
            Field::path(
                "rotation_days",
                &["rotationRules", "automaticallyAfterDays"],
                As::Int,
            )
            .or_null(),
            Field::key("last_rotated", "lastRotatedDate", As::Time).or_null(),
            Field::key("last_accessed", "lastAccessedDate", As::Time).or_null(),
        ],
    );
    a.read(
        c,
        full,
        &[
            Field::key("created", "createdDate", As::Time),
            Field::key("kms_key_id", "kmsKeyId", As::NonEmptyStr).or_null(),
        ],
    );
    resource(item, "aws.secretsmanager.secret", id, name, a)
}

pub(super) fn log_group(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["logGroupName"]);
    let name = name_of(item, &["logGroupName"]);
    let arn = config_arn(item, &["arn"], || {
        regional_arn(item, "logs", &format!("log-group:{name}"))
    });
    let id = arn.strip_suffix(":*").unwrap_or(&arn).to_string();
    let mut a = Attrs::new();
    a.put("log_group_name", json!(name));
    // No retention setting means the events never expire.
    a.read(
        c,
        full,
        &[
            Field::key("retention_days", "retentionInDays", As::Int).or_null(),
            Field::key("kms_key_id", "kmsKeyId", As::NonEmptyStr).or_null(),
        ],
    );
    resource(item, "aws.logs.log_group", id, name, a)
}

pub(super) fn alarm(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["alarmName"]);
    let name = name_of(item, &["alarmName"]);
    let id = config_arn(item, &["alarmArn"], || {
        regional_arn(item, "cloudwatch", &format!("alarm:{name}"))
    });
    let mut a = Attrs::new();
    a.put("alarm_name", json!(name));
    // Metric-math alarms have no single metric: unset, not unknown.
    a.read(
        c,
        full,
        &[
            Field::key("metric_name", "metricName", As::Str).or_null(),
            Field::key("namespace", "namespace", As::Str).or_null(),
            Field::key("actions_enabled", "actionsEnabled", As::Bool),
        ],
    );
    a.set(
        "alarm_actions",
        full_list_attr(get(c, "alarmActions"), None, full),
    );
    resource(item, "aws.cloudwatch.alarm", id, name, a)
}
