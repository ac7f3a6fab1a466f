//! The other AWS services with normalized kinds: KMS, CloudTrail, RDS, EFS,
//! CloudWatch Logs and alarms, SNS, SQS, Lambda, ELBv2, ECR, EKS, DynamoDB and
//! Secrets Manager.

use crate::args::{
    arg, block, blocks, bool_or, hoist, int_or, known_str, present, present_arg, str_list, str_or,
    to_str, Attrs,
};
use crate::ec2::computed;
use crate::index::{Index, Join, One, Target};
use crate::{base, names_of, policy, regional_arn};
use serde_json::{json, Map, Value};
use yagura_model::iac::{is_unknown, unknown, unknown_reason, RawResource};
use yagura_model::Resource;

/// A name argument; unknown (generated) when not written.
fn name_arg(r: &RawResource, key: &str) -> Value {
    match arg(&r.attributes, key) {
        Some(v) => to_str(key, v),
        None => unknown(format!("{}.{key}", r.address)),
    }
}

/// A list of companions, or the marker when one of them may belong here too.
fn list(join: &Join, f: impl Fn(&RawResource) -> Value) -> Value {
    match join.uncertain() {
        Some(m) => m,
        None => Value::Array(join.matched.iter().map(|c| f(c)).collect()),
    }
}

/// Whether a companion exists: `true`, `false`, or unknown.
fn exists(join: &Join) -> Value {
    match (join.matched.is_empty(), join.uncertain()) {
        (false, _) => json!(true),
        (true, Some(m)) => m,
        (true, None) => json!(false),
    }
}

/// A policy written on the resource or in a companion policy resource.
fn joined_policy(
    ix: &Index,
    types: &[&str],
    key: &str,
    i: usize,
    names: &[String],
    own: Option<&Value>,
) -> Value {
    match ix.one(types, key, i, names) {
        One::Found(c) => policy::document(ix, c, arg(&c.attributes, "policy")),
        One::Unknown(m) if own.is_none() => m,
        _ => policy::document(ix, &ix.raw[i], own),
    }
}

fn kms_keys(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_kms_key"]) {
        let a = &r.attributes;
        let key_id = computed(r, "key_id");
        let mut res = base(r, "aws.kms.key", key_id.as_str(), None);
        res.set("key_id", key_id);
        res.set("key_manager", json!("CUSTOMER"));
        let spec = str_or(a, "customer_master_key_spec", Some("SYMMETRIC_DEFAULT"));
        let rotation = match spec.as_str() {
            Some("SYMMETRIC_DEFAULT") => bool_or(a, "enable_key_rotation", false),
            Some(_) => Value::Null,
            None => spec.clone(),
        };
        res.set("key_spec", spec);
        let state = match bool_or(a, "is_enabled", true) {
            Value::Bool(true) => json!("Enabled"),
            Value::Bool(false) => json!("Disabled"),
            other => other,
        };
        res.set("key_state", state);
        res.set("rotation_enabled", rotation);
        let doc = match joined_policy(
            ix,
            &["aws_kms_key_policy"],
            "key_id",
            i,
            &names_of(r),
            arg(a, "policy"),
        ) {
            // Without a policy KMS applies its default one, which trusts only the
            // account's own principals.
            Value::Null => {
                let who = match &r.account {
                    Some(acct) => json!(format!("arn:{}:iam::{acct}:root", crate::partition(r))),
                    None => unknown("the account's root principal"),
                };
                json!({"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions",
                    "Effect": "Allow", "Principal": {"AWS": who}, "Action": "kms:*", "Resource": "*"}]})
            }
            other => other,
        };
        res.set("policy", doc);
        out.push(res);
    }
}

/// The bucket a trail writes to, by name: the referenced bucket's literal name,
/// or its normalized name (its address) when the name is generated.
fn bucket_ref(ix: &Index, r: &RawResource, key: &str) -> Value {
    match ix.target_of(r, key) {
        Target::Res(j) if ix.raw[j].type_name == "aws_s3_bucket" => {
            let b = &ix.raw[j];
            json!(known_str(&b.attributes, "bucket").unwrap_or(&b.address))
        }
        _ => present_arg(&r.attributes, key),
    }
}

fn selectors(a: &Attrs) -> Result<(Value, Value), Value> {
    let sel = blocks(a, "event_selector")?;
    let adv = blocks(a, "advanced_event_selector")?;
    if !adv.is_empty() {
        // Advanced selectors need field-by-field evaluation; left unknown.
        let m = unknown("advanced_event_selector");
        return Ok((m.clone(), m));
    }
    if sel.is_empty() {
        // A trail without selectors logs read and write management events.
        return Ok((
            json!({"read": true, "write": true}),
            json!({"read": false, "write": false}),
        ));
    }
    let (mut mr, mut mw, mut dr, mut dw) = (false, false, false, false);
    for s in sel {
        let rw = match str_or(s, "read_write_type", Some("All")) {
            Value::String(v) => v,
            other => return Err(other),
        };
        let (r, w) = (
            rw == "All" || rw == "ReadOnly",
            rw == "All" || rw == "WriteOnly",
        );
        match bool_or(s, "include_management_events", true) {
            Value::Bool(true) => {
                mr |= r;
                mw |= w;
            }
            Value::Bool(false) => {}
            other => return Err(other),
        }
        for d in blocks(s, "data_resource")? {
            if known_str(d, "type") != Some("AWS::S3::Object") {
                continue;
            }
            let all = match str_list(d, "values") {
                Value::Array(v) => v
                    .iter()
                    .any(|x| matches!(x.as_str(), Some("arn:aws:s3") | Some("arn:aws:s3:::"))),
                other => return Err(other),
            };
            if all {
                dr |= r;
                dw |= w;
            }
        }
    }
    Ok((
        json!({"read": mr, "write": mw}),
        json!({"read": dr, "write": dw}),
    ))
}

fn trails(ix: &Index, out: &mut Vec<Resource>) {
    for (_, r) in ix.of_type(&["aws_cloudtrail"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let arn = name
            .as_str()
            .and_then(|n| regional_arn(r, "cloudtrail", &format!("trail/{n}")));
        let mut res = base(r, "aws.cloudtrail.trail", name.as_str(), arn);
        res.set("trail_name", name);
        res.set("home_region", json!(r.region));
        res.set(
            "is_multi_region",
            bool_or(a, "is_multi_region_trail", false),
        );
        res.set(
            "is_organization_trail",
            bool_or(a, "is_organization_trail", false),
        );
        res.set("is_logging", bool_or(a, "enable_logging", true));
        res.set(
            "log_file_validation",
            bool_or(a, "enable_log_file_validation", false),
        );
        res.set("kms_key_id", present_arg(a, "kms_key_id"));
        res.set("s3_bucket", bucket_ref(ix, r, "s3_bucket_name"));
        let group = match present_arg(a, "cloud_watch_logs_group_arn") {
            // The provider wants the `:*` suffix; the model's ARN has none.
            Value::String(s) => json!(s.strip_suffix(":*").unwrap_or(&s)),
            other => other,
        };
        res.set("cloudwatch_log_group_arn", group);
        let (mgmt, data) = selectors(a).unwrap_or_else(|m| (m.clone(), m));
        res.set("management_events", mgmt);
        res.set("s3_data_events", data);
        out.push(res);
    }
}

fn db_instances(ix: &Index, out: &mut Vec<Resource>) {
    for (_, r) in ix.of_type(&["aws_db_instance", "aws_rds_cluster_instance"]) {
        let a = &r.attributes;
        let id = name_arg(r, "identifier");
        let arn = id
            .as_str()
            .and_then(|n| regional_arn(r, "rds", &format!("db:{n}")));
        let mut res = base(r, "aws.rds.db_instance", id.as_str(), arn);
        res.set("db_instance_id", id);
        // Replicas and restores inherit engine and encryption from their source.
        let derived = ["replicate_source_db", "snapshot_identifier"]
            .iter()
            .find(|k| arg(a, k).is_some())
            .map(|k| unknown(format!("{}: inherited from {k}", r.address)));
        let cluster = if r.type_name == "aws_rds_cluster_instance" {
            ix.referenced(r, "cluster_identifier", &["aws_rds_cluster"])
                .map(|j| &ix.raw[j].attributes)
        } else {
            None
        };
        let engine = match (arg(a, "engine"), &derived) {
            (Some(v), _) => to_str("engine", v),
            (None, Some(d)) => d.clone(),
            (None, None) => unknown(format!("{}.engine", r.address)),
        };
        res.set("engine", engine);
        res.set("engine_version", str_or(a, "engine_version", None));
        let encrypted = match (cluster, &derived) {
            (Some(c), _) => bool_or(c, "storage_encrypted", false),
            (None, Some(d)) if arg(a, "storage_encrypted").is_none() => d.clone(),
            _ if r.type_name == "aws_rds_cluster_instance" => {
                unknown(format!("{}: cluster storage_encrypted", r.address))
            }
            _ => bool_or(a, "storage_encrypted", false),
        };
        res.set("storage_encrypted", encrypted);
        res.set(
            "kms_key_id",
            present(
                cluster.map_or(arg(a, "kms_key_id"), |c| arg(c, "kms_key_id")),
                "kms_key_id",
            ),
        );
        res.set(
            "publicly_accessible",
            bool_or(a, "publicly_accessible", false),
        );
        res.set(
            "auto_minor_version_upgrade",
            bool_or(a, "auto_minor_version_upgrade", true),
        );
        res.set("multi_az", bool_or(a, "multi_az", false));
        res.set(
            "backup_retention_days",
            int_or(a, "backup_retention_period", Some(0)),
        );
        res.set(
            "deletion_protection",
            bool_or(a, "deletion_protection", false),
        );
        let iam = match cluster {
            Some(c) => bool_or(c, "iam_database_authentication_enabled", false),
            None if r.type_name == "aws_rds_cluster_instance" => {
                unknown(format!("{}: cluster IAM authentication", r.address))
            }
            None => bool_or(a, "iam_database_authentication_enabled", false),
        };
        res.set("iam_auth", iam);
        res.set(
            "copy_tags_to_snapshot",
            bool_or(a, "copy_tags_to_snapshot", false),
        );
        res.set(
            "enhanced_monitoring_interval",
            int_or(a, "monitoring_interval", Some(0)),
        );
        out.push(res);
    }
}

fn db_snapshots(ix: &Index, out: &mut Vec<Resource>) {
    for (_, r) in ix.of_type(&["aws_db_snapshot"]) {
        let a = &r.attributes;
        let id = name_arg(r, "db_snapshot_identifier");
        let arn = id
            .as_str()
            .and_then(|n| regional_arn(r, "rds", &format!("snapshot:{n}")));
        let mut res = base(r, "aws.rds.db_snapshot", id.as_str(), arn);
        res.set("snapshot_id", id);
        let enc = match ix.referenced(r, "db_instance_identifier", &["aws_db_instance"]) {
            Some(j)
                if arg(&ix.raw[j].attributes, "replicate_source_db").is_none()
                    && arg(&ix.raw[j].attributes, "snapshot_identifier").is_none() =>
            {
                bool_or(&ix.raw[j].attributes, "storage_encrypted", false)
            }
            _ => unknown(format!("{}: encryption of its DB instance", r.address)),
        };
        res.set("encrypted", enc);
        let public = match str_list(a, "shared_accounts") {
            Value::Array(l) => json!(l.iter().any(|x| x.as_str() == Some("all"))),
            other => other,
        };
        res.set("public", public);
        out.push(res);
    }
}

fn file_systems(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_efs_file_system"]) {
        let a = &r.attributes;
        let mut res = base(r, "aws.efs.file_system", None, None);
        res.set("file_system_id", computed(r, "id"));
        res.set("encrypted", bool_or(a, "encrypted", false));
        res.set("kms_key_id", present_arg(a, "kms_key_id"));
        let backup = match ix.one(
            &["aws_efs_backup_policy"],
            "file_system_id",
            i,
            &names_of(r),
        ) {
            One::Found(c) => match block(&c.attributes, "backup_policy") {
                Ok(Some(p)) => match str_or(p, "status", None) {
                    Value::String(s) => json!(s == "ENABLED" || s == "ENABLING"),
                    other => other,
                },
                Ok(None) => json!(false),
                Err(m) => m,
            },
            One::Unknown(m) => m,
            One::None => json!(false),
        };
        res.set("backup_enabled", backup);
        out.push(res);
    }
}

fn log_groups(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_cloudwatch_log_group"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let arn = name
            .as_str()
            .and_then(|n| regional_arn(r, "logs", &format!("log-group:{n}")));
        let mut res = base(r, "aws.logs.log_group", name.as_str(), arn);
        res.set("log_group_name", name);
        let retention = match int_or(a, "retention_in_days", None) {
            Value::Number(n) if n.as_i64() == Some(0) => Value::Null,
            other => other,
        };
        res.set("retention_days", retention);
        res.set("kms_key_id", present_arg(a, "kms_key_id"));
        let join = ix.join(
            &["aws_cloudwatch_log_metric_filter"],
            "log_group_name",
            i,
            &names_of(r),
        );
        res.set(
            "metric_filters",
            hoist(list(&join, |c| {
                let t = block(&c.attributes, "metric_transformation").ok().flatten();
                json!({
                    "filter_name": name_arg(c, "name"),
                    "pattern": str_or(&c.attributes, "pattern", Some("")),
                    "metric_name": t.map_or(Value::Null, |t| str_or(t, "name", None)),
                    "metric_namespace": t.map_or(Value::Null, |t| str_or(t, "namespace", None)),
                })
            })),
        );
        out.push(res);
    }
}

fn alarms(ix: &Index, out: &mut Vec<Resource>) {
    for (_, r) in ix.of_type(&["aws_cloudwatch_metric_alarm"]) {
        let a = &r.attributes;
        let name = name_arg(r, "alarm_name");
        let mut res = base(r, "aws.cloudwatch.alarm", name.as_str(), None);
        res.set("alarm_name", name);
        res.set("metric_name", str_or(a, "metric_name", None));
        res.set("namespace", str_or(a, "namespace", None));
        res.set("actions_enabled", bool_or(a, "actions_enabled", true));
        let actions = match str_list(a, "alarm_actions") {
            Value::Array(l) => Value::Array(
                l.iter()
                    .map(|v| present(Some(v), "alarm_actions"))
                    .collect(),
            ),
            other => other,
        };
        res.set("alarm_actions", actions);
        out.push(res);
    }
}

fn topics(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_sns_topic"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let arn = name.as_str().and_then(|n| regional_arn(r, "sns", n));
        let mut res = base(r, "aws.sns.topic", name.as_str(), arn);
        res.set("topic_name", name);
        res.set("kms_key_id", present_arg(a, "kms_master_key_id"));
        let names = names_of(r);
        res.set(
            "policy",
            joined_policy(
                ix,
                &["aws_sns_topic_policy"],
                "arn",
                i,
                &names,
                arg(a, "policy"),
            ),
        );
        let subs = ix.join(&["aws_sns_topic_subscription"], "topic_arn", i, &names);
        // Only the protocol decides the check; an unknown endpoint or ARN is kept.
        let subs = list(&subs, |c| {
            json!({
                "protocol": str_or(&c.attributes, "protocol", None),
                "endpoint": present_arg(&c.attributes, "endpoint"),
                "subscription_arn": computed(c, "arn"),
            })
        });
        let subs = match subs.as_array().and_then(|l| {
            l.iter()
                .find_map(|x| x.get("protocol").filter(|p| is_unknown(p)))
        }) {
            Some(m) => m.clone(),
            None => subs,
        };
        res.set("subscriptions", subs);
        out.push(res);
    }
}

fn queues(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_sqs_queue"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let arn = name.as_str().and_then(|n| regional_arn(r, "sqs", n));
        let mut res = base(r, "aws.sqs.queue", name.as_str(), arn);
        res.set("queue_name", name);
        res.set("url", computed(r, "url"));
        let kms = present_arg(a, "kms_master_key_id");
        // SQS encrypts new queues with SSE-SQS unless a KMS key is chosen or it
        // is turned off explicitly.
        let sse = match arg(a, "sqs_managed_sse_enabled") {
            Some(v) => crate::args::to_bool("sqs_managed_sse_enabled", v),
            None => json!(kms.is_null()),
        };
        res.set("kms_key_id", kms);
        res.set("sqs_managed_sse", sse);
        res.set(
            "policy",
            joined_policy(
                ix,
                &["aws_sqs_queue_policy"],
                "queue_url",
                i,
                &names_of(r),
                arg(a, "policy"),
            ),
        );
        out.push(res);
    }
}

/// A Lambda permission as the policy statement AWS adds for it.
fn permission_statement(c: &RawResource) -> Value {
    let a = &c.attributes;
    let principal = match arg(a, "principal") {
        Some(Value::String(p)) if p == "*" => json!("*"),
        Some(Value::String(p)) if p.ends_with(".amazonaws.com") => json!({"Service": p}),
        Some(Value::String(p)) => json!({"AWS": p}),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let mut cond = Map::new();
    let mut add = |op: &str, key: &str, v: Value| {
        let e = cond.entry(op.to_string()).or_insert_with(|| json!({}));
        if let Value::Object(m) = e {
            m.insert(key.into(), v);
        }
    };
    for (arg_key, op, cond_key) in [
        ("source_arn", "ArnLike", "AWS:SourceArn"),
        ("source_account", "StringEquals", "AWS:SourceAccount"),
        ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
        (
            "function_url_auth_type",
            "StringEquals",
            "lambda:FunctionUrlAuthType",
        ),
    ] {
        if let Some(v) = arg(a, arg_key) {
            // The condition narrows access whatever its value is, so an unknown
            // value is kept as its expression text.
            let v = match present(Some(v), arg_key) {
                u if is_unknown(&u) => json!(unknown_reason(&u).unwrap_or(arg_key)),
                known => known,
            };
            add(op, cond_key, v);
        }
    }
    let mut s = json!({
        "Sid": str_or(a, "statement_id", Some(&c.address)),
        "Effect": "Allow",
        "Principal": principal,
        "Action": str_or(a, "action", None),
        "Resource": computed(c, "function_name"),
    });
    if !cond.is_empty() {
        s["Condition"] = Value::Object(cond);
    }
    s
}

fn functions(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_lambda_function"]) {
        let a = &r.attributes;
        let name = name_arg(r, "function_name");
        let arn = name
            .as_str()
            .and_then(|n| regional_arn(r, "lambda", &format!("function:{n}")));
        let mut res = base(r, "aws.lambda.function", name.as_str(), arn);
        res.set("function_name", name);
        let package = str_or(a, "package_type", Some("Zip"));
        let runtime = if package.as_str() == Some("Image") {
            Value::Null
        } else {
            str_or(a, "runtime", None)
        };
        res.set("runtime", runtime);
        res.set("package_type", package);
        let vpc = match block(a, "vpc_config") {
            Ok(Some(v)) if arg(v, "subnet_ids").is_some() => {
                unknown(format!("{}.vpc_config.vpc_id", r.address))
            }
            Ok(_) => Value::Null,
            Err(m) => m,
        };
        res.set("vpc_id", vpc);
        let names = names_of(r);
        let perms = ix.join(&["aws_lambda_permission"], "function_name", i, &names);
        let doc = match perms.uncertain() {
            Some(m) => m,
            None if perms.matched.is_empty() => Value::Null,
            None => policy::document(
                ix,
                r,
                Some(&json!({"Version": "2012-10-17",
                "Statement": perms.matched.iter().map(|c| permission_statement(c)).collect::<Vec<_>>()})),
            ),
        };
        res.set("policy", doc);
        let url = match ix.one(&["aws_lambda_function_url"], "function_name", i, &names) {
            One::Found(c) => str_or(&c.attributes, "authorization_type", None),
            One::Unknown(m) => m,
            One::None => Value::Null,
        };
        res.set("url_auth_type", url);
        let env = match block(a, "environment") {
            Ok(Some(e)) => match arg(e, "variables") {
                Some(Value::Object(m)) if !is_unknown(&Value::Object(m.clone())) => {
                    json!(m.keys().collect::<Vec<_>>())
                }
                Some(v) if is_unknown(v) => v.clone(),
                _ => json!([]),
            },
            Ok(None) => json!([]),
            Err(m) => m,
        };
        res.set("environment_keys", env);
        let tracing = match block(a, "tracing_config") {
            Ok(Some(t)) => str_or(t, "mode", Some("PassThrough")),
            Ok(None) => json!("PassThrough"),
            Err(m) => m,
        };
        res.set("tracing_mode", tracing);
        out.push(res);
    }
}

/// A listener in the model's shape.
fn listener(c: &RawResource, lb_type: &Value) -> Value {
    let a = &c.attributes;
    let default_proto = if lb_type.as_str() == Some("application") {
        Some("HTTP")
    } else {
        None
    };
    let protocol = str_or(a, "protocol", default_proto);
    let tls = matches!(protocol.as_str(), Some("HTTPS") | Some("TLS"));
    let ssl_policy = match arg(a, "ssl_policy") {
        Some(v) => to_str("ssl_policy", v),
        // The API picks the default policy; which one it is is not in the code.
        None if tls => unknown(format!("{}.ssl_policy", c.address)),
        None => Value::Null,
    };
    let redirects = match blocks(a, "default_action") {
        Ok(actions) => {
            let mut v = json!(false);
            for act in actions {
                if known_str(act, "type") == Some("redirect") {
                    if let Ok(Some(rd)) = block(act, "redirect") {
                        v = match str_or(rd, "protocol", Some("#{protocol}")) {
                            Value::String(p) => json!(p == "HTTPS"),
                            other => other,
                        };
                    }
                }
            }
            v
        }
        Err(m) => m,
    };
    hoist(
        json!({"port": int_or(a, "port", None), "protocol": protocol, "ssl_policy": ssl_policy,
        "redirects_to_https": redirects}),
    )
}

fn load_balancers(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_lb", "aws_alb"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let mut res = base(r, "aws.elbv2.load_balancer", name.as_str(), None);
        res.set("load_balancer_name", name);
        let lb_type = str_or(a, "load_balancer_type", Some("application"));
        res.set("type", lb_type.clone());
        let scheme = match bool_or(a, "internal", false) {
            Value::Bool(true) => json!("internal"),
            Value::Bool(false) => json!("internet-facing"),
            other => other,
        };
        res.set("scheme", scheme);
        let join = ix.join(
            &["aws_lb_listener", "aws_alb_listener"],
            "load_balancer_arn",
            i,
            &names_of(r),
        );
        let listeners = match list(&join, |c| listener(c, &lb_type)) {
            Value::Array(l) => match l.iter().find(|x| is_unknown(x)) {
                Some(m) => m.clone(),
                None => Value::Array(l),
            },
            other => other,
        };
        res.set("listeners", listeners);
        res.set(
            "drop_invalid_header_fields",
            bool_or(a, "drop_invalid_header_fields", false),
        );
        res.set(
            "deletion_protection",
            bool_or(a, "enable_deletion_protection", false),
        );
        let logs = match block(a, "access_logs") {
            Ok(Some(l)) => bool_or(l, "enabled", false),
            Ok(None) => json!(false),
            Err(m) => m,
        };
        res.set("access_logs_enabled", logs);
        let desync = if lb_type.as_str() == Some("application") {
            str_or(a, "desync_mitigation_mode", Some("defensive"))
        } else {
            Value::Null
        };
        res.set("desync_mitigation_mode", desync);
        out.push(res);
    }
}

fn repositories(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_ecr_repository"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let arn = name
            .as_str()
            .and_then(|n| regional_arn(r, "ecr", &format!("repository/{n}")));
        let mut res = base(r, "aws.ecr.repository", name.as_str(), arn);
        res.set("repository_name", name);
        let scan = match block(a, "image_scanning_configuration") {
            Ok(Some(s)) => bool_or(s, "scan_on_push", false),
            Ok(None) => json!(false),
            Err(m) => m,
        };
        res.set("scan_on_push", scan);
        res.set(
            "image_tag_mutability",
            str_or(a, "image_tag_mutability", Some("MUTABLE")),
        );
        let enc = match block(a, "encryption_configuration") {
            Ok(Some(e)) => str_or(e, "encryption_type", Some("AES256")),
            Ok(None) => json!("AES256"),
            Err(m) => m,
        };
        res.set("encryption_type", enc);
        let names = names_of(r);
        res.set(
            "lifecycle_policy",
            exists(&ix.join(&["aws_ecr_lifecycle_policy"], "repository", i, &names)),
        );
        res.set(
            "policy",
            joined_policy(
                ix,
                &["aws_ecr_repository_policy"],
                "repository",
                i,
                &names,
                None,
            ),
        );
        out.push(res);
    }
}

fn clusters(ix: &Index, out: &mut Vec<Resource>) {
    for (_, r) in ix.of_type(&["aws_eks_cluster"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let arn = name
            .as_str()
            .and_then(|n| regional_arn(r, "eks", &format!("cluster/{n}")));
        let mut res = base(r, "aws.eks.cluster", name.as_str(), arn);
        res.set("cluster_name", name);
        // Without `version` EKS picks its current default at creation.
        let version = match arg(a, "version") {
            Some(v) => to_str("version", v),
            None => unknown(format!("{}.version", r.address)),
        };
        res.set("version", version);
        let (public, cidrs) = match block(a, "vpc_config") {
            Ok(Some(v)) => (
                bool_or(v, "endpoint_public_access", true),
                match arg(v, "public_access_cidrs") {
                    Some(_) => str_list(v, "public_access_cidrs"),
                    None => json!(["0.0.0.0/0"]),
                },
            ),
            Ok(None) => (json!(true), json!(["0.0.0.0/0"])),
            Err(m) => (m.clone(), m),
        };
        res.set("endpoint_public_access", public);
        res.set("public_access_cidrs", hoist(cidrs));
        let secrets = match blocks(a, "encryption_config") {
            Ok(cfgs) => {
                let mut v = json!(false);
                for c in cfgs {
                    match str_list(c, "resources") {
                        Value::Array(l) if l.iter().any(|x| x.as_str() == Some("secrets")) => {
                            v = json!(true)
                        }
                        Value::Array(_) => {}
                        other => v = other,
                    }
                }
                v
            }
            Err(m) => m,
        };
        res.set("secrets_encryption", secrets);
        res.set(
            "logging_enabled",
            hoist(str_list(a, "enabled_cluster_log_types")),
        );
        out.push(res);
    }
}

fn tables(ix: &Index, out: &mut Vec<Resource>) {
    for (_, r) in ix.of_type(&["aws_dynamodb_table"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let arn = name
            .as_str()
            .and_then(|n| regional_arn(r, "dynamodb", &format!("table/{n}")));
        let mut res = base(r, "aws.dynamodb.table", name.as_str(), arn);
        res.set("table_name", name);
        let pitr = match block(a, "point_in_time_recovery") {
            Ok(Some(p)) => bool_or(p, "enabled", false),
            Ok(None) => json!(false),
            Err(m) => m,
        };
        res.set("pitr_enabled", pitr);
        res.set(
            "deletion_protection",
            bool_or(a, "deletion_protection_enabled", false),
        );
        match block(a, "server_side_encryption") {
            Ok(Some(s)) => match bool_or(s, "enabled", false) {
                Value::Bool(true) => {
                    res.set("sse_type", json!("KMS"));
                    // Without a key ARN the AWS managed key aws/dynamodb is used.
                    if arg(s, "kms_key_arn").is_some() {
                        res.set("kms_key_id", present_arg(s, "kms_key_arn"));
                    }
                }
                Value::Bool(false) => {
                    res.set("sse_type", Value::Null);
                    res.set("kms_key_id", Value::Null);
                }
                other => res.set("sse_type", other),
            },
            Ok(None) => {
                res.set("sse_type", Value::Null);
                res.set("kms_key_id", Value::Null);
            }
            Err(m) => res.set("sse_type", m),
        }
        out.push(res);
    }
}

fn secrets(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_secretsmanager_secret"]) {
        let a = &r.attributes;
        let name = name_arg(r, "name");
        let mut res = base(r, "aws.secretsmanager.secret", name.as_str(), None);
        res.set("secret_name", name);
        res.set("kms_key_id", present_arg(a, "kms_key_id"));
        match ix.one(
            &["aws_secretsmanager_secret_rotation"],
            "secret_id",
            i,
            &names_of(r),
        ) {
            One::Found(c) => {
                res.set("rotation_enabled", json!(true));
                let days = match block(&c.attributes, "rotation_rules") {
                    Ok(Some(rules)) => int_or(rules, "automatically_after_days", None),
                    Ok(None) => Value::Null,
                    Err(m) => m,
                };
                res.set("rotation_days", days);
            }
            One::Unknown(m) => res.set("rotation_enabled", m),
            One::None => {
                res.set("rotation_enabled", json!(false));
                res.set("rotation_days", Value::Null);
            }
        }
        out.push(res);
    }
}

pub(crate) fn adapt(ix: &Index, out: &mut Vec<Resource>) {
    kms_keys(ix, out);
    trails(ix, out);
    db_instances(ix, out);
    db_snapshots(ix, out);
    file_systems(ix, out);
    log_groups(ix, out);
    alarms(ix, out);
    topics(ix, out);
    queues(ix, out);
    functions(ix, out);
    load_balancers(ix, out);
    repositories(ix, out);
    clusters(ix, out);
    tables(ix, out);
    secrets(ix, out);
}
