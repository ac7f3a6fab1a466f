//! EC2 types. Config serializes the EC2 describe responses in camelCase and leaves
//! out fields the API leaves out (no `publicIpAddress` on a private instance, no
//! `fromPort` on an all-traffic rule), so for those a missing key in a full item
//! means "unset", exactly as the live API collector reads the same response.

use super::{is_full, name_of, partition, resource, scope_key, World};
use crate::parse::ConfigItem;
use crate::value::{
    get, get_any, or_null, path, str_attr, string_item, strings, to_i64, to_str, As, Attrs, Field,
};
use serde_json::{json, Value};
use yagura_model::Resource;

fn ec2_arn(item: &ConfigItem, kind: &str, id: &str) -> String {
    format!(
        "arn:{}:ec2:{}:{}:{}/{}",
        partition(item),
        item.region.as_deref().unwrap_or(""),
        item.account.as_deref().unwrap_or(""),
        kind,
        id
    )
}

/// The display name: the `Name` tag, else Config's `resourceName`, else the id.
fn ec2_name(item: &ConfigItem, id: &str) -> String {
    item.tags
        .get("Name")
        .or(item.resource_name.as_ref())
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

/// A list the describe call leaves out when empty: in a full item a missing list is
/// `[]`, as is `null`; each element becomes what `entry` makes of it.
fn listed(v: Option<&Value>, full: bool, entry: impl Fn(&Value) -> Option<Value>) -> Option<Value> {
    match v {
        Some(Value::Array(list)) => Some(Value::Array(list.iter().filter_map(entry).collect())),
        Some(Value::Null) => Some(json!([])),
        None if full => Some(json!([])),
        _ => None,
    }
}

/// A resource of an EC2 type whose ARN names it `ARN_TYPE/ID`, named by [`ec2_name`].
fn ec2_resource(item: &ConfigItem, kind: &str, arn_type: &str, id: &str, a: Attrs) -> Resource {
    resource(
        item,
        kind,
        ec2_arn(item, arn_type, id),
        ec2_name(item, id),
        a,
    )
}

/// The resource id: the configuration's id field, else the item's `resourceId`.
fn id_of(item: &ConfigItem, key: &str) -> String {
    get(&item.configuration, key)
        .and_then(to_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(&item.resource_id)
        .to_string()
}

pub(super) fn security_group(item: &ConfigItem, w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["groupId"]);
    let id = id_of(item, "groupId");
    let mut a = Attrs::new();
    a.put("group_id", json!(id));
    a.read(
        c,
        full,
        &[
            Field::key("group_name", "groupName", As::Str),
            Field::key("vpc_id", "vpcId", As::NonEmptyStr).or_null(),
        ],
    );
    a.set(
        "is_default",
        get(c, "groupName")
            .and_then(to_str)
            .map(|n| Value::Bool(n == "default")),
    );
    let rules = |key: &str| listed(get(c, key), full, |p| Some(rule(p)));
    a.set("ingress", rules("ipPermissions"));
    a.set("egress", rules("ipPermissionsEgress"));
    // In use when an interface lists the group (or Config relates the two); "not in
    // use" only when interfaces were recorded in this region and none lists it.
    let related = item.relationships.iter().any(|r| {
        matches!(
            r.resource_type.as_deref(),
            Some("AWS::EC2::NetworkInterface") | Some("AWS::EC2::Instance")
        )
    });
    let in_use = if related || w.sg_in_use.contains(&scope_key(item, &id)) {
        Some(Value::Bool(true))
    } else if full && w.recorded(item, "AWS::EC2::NetworkInterface") {
        Some(Value::Bool(false))
    } else {
        None
    };
    a.set("in_use", in_use);
    let name = name_of(item, &["groupName"]);
    let arn = ec2_arn(item, "security-group", &id);
    resource(item, "aws.ec2.security_group", arn, name, a)
}

/// One IP permission. `ipRanges` (plain strings) and `ipv4Ranges` (objects) carry
/// the same CIDRs in Config items; both are read and merged.
fn rule(p: &Value) -> Value {
    let mut v4: Vec<Value> = Vec::new();
    let mut push = |x: Value| {
        if !v4.contains(&x) {
            v4.push(x);
        }
    };
    for key in ["ipv4Ranges", "ipRanges"] {
        if let Some(list) = get(p, key) {
            for c in strings(list, Some("cidrIp")) {
                push(c);
            }
        }
    }
    let v6 = get(p, "ipv6Ranges")
        .map(|l| strings(l, Some("cidrIpv6")))
        .unwrap_or_default();
    let groups = get(p, "userIdGroupPairs")
        .map(|l| strings(l, Some("groupId")))
        .unwrap_or_default();
    let protocol = match get(p, "ipProtocol") {
        Some(Value::String(s)) => Value::String(s.to_ascii_lowercase()),
        Some(Value::Number(n)) => Value::String(n.to_string()),
        _ => Value::Null,
    };
    json!({
        "protocol": protocol,
        "from_port": get(p, "fromPort").and_then(to_i64),
        "to_port": get(p, "toPort").and_then(to_i64),
        "cidrs_v4": v4,
        "cidrs_v6": v6,
        "source_groups": groups,
    })
}

pub(super) fn network_acl(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["networkAclId"]);
    let id = id_of(item, "networkAclId");
    let mut a = Attrs::new();
    a.put("network_acl_id", json!(id));
    a.read(
        c,
        full,
        &[
            Field::key("vpc_id", "vpcId", As::Str),
            Field::key("is_default", "isDefault", As::Bool),
        ],
    );
    a.set(
        "entries",
        listed(get(c, "entries"), full, |e| Some(acl_entry(e))),
    );
    ec2_resource(item, "aws.ec2.network_acl", "network-acl", &id, a)
}

fn acl_entry(e: &Value) -> Value {
    let protocol = match get(e, "protocol") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) => Value::String(n.to_string()),
        _ => Value::Null,
    };
    let range = get(e, "portRange");
    let port = |k: &str| range.and_then(|r| get(r, k)).and_then(to_i64);
    json!({
        "rule_number": get(e, "ruleNumber").and_then(to_i64),
        "protocol": protocol,
        "rule_action": get(e, "ruleAction").and_then(to_str).map(str::to_ascii_lowercase),
        "egress": get(e, "egress").and_then(crate::value::to_bool).unwrap_or(false),
        "cidr_v4": get(e, "cidrBlock").and_then(to_str),
        "cidr_v6": get(e, "ipv6CidrBlock").and_then(to_str),
        "from_port": port("from"),
        "to_port": port("to"),
    })
}

pub(super) fn instance(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["instanceId"]);
    let id = id_of(item, "instanceId");
    let mut a = Attrs::new();
    a.put("instance_id", json!(id));
    a.set(
        "state",
        match get(c, "state") {
            Some(s @ Value::Object(_)) => str_attr(get(s, "name")),
            other => str_attr(other),
        },
    );
    a.set(
        "metadata_options",
        get(c, "metadataOptions").filter(|m| m.is_object()).map(|m| {
            json!({
                "http_tokens": get(m, "httpTokens").and_then(to_str),
                "http_endpoint": get(m, "httpEndpoint").and_then(to_str),
                "http_put_response_hop_limit": get(m, "httpPutResponseHopLimit").and_then(to_i64),
            })
        }),
    );
    a.read(
        c,
        full,
        &[Field::key("public_ip", "publicIpAddress", As::NonEmptyStr).or_null()],
    );
    a.set(
        "iam_instance_profile",
        or_null(
            full,
            match get(c, "iamInstanceProfile") {
                Some(p @ Value::Object(_)) => str_attr(get(p, "arn")),
                other => str_attr(other),
            },
        ),
    );
    a.read(
        c,
        full,
        &[
            Field::key("vpc_id", "vpcId", As::NonEmptyStr).or_null(),
            Field::key("subnet_id", "subnetId", As::NonEmptyStr).or_null(),
        ],
    );
    a.set(
        "security_groups",
        listed(get(c, "securityGroups"), full, |g| {
            string_item(g, Some("groupId"))
        }),
    );
    a.read(
        c,
        full,
        &[
            Field::key("image_id", "imageId", As::Str),
            Field::key("launch_time", "launchTime", As::Time),
        ],
    );
    ec2_resource(item, "aws.ec2.instance", "instance", &id, a)
}

pub(super) fn vpc(item: &ConfigItem, w: &World) -> Resource {
    let c = &item.configuration;
    let id = id_of(item, "vpcId");
    let mut a = Attrs::new();
    a.put("vpc_id", json!(id));
    a.read(
        c,
        false,
        &[
            Field::key("is_default", "isDefault", As::Bool),
            Field::key("cidr_block", "cidrBlock", As::Str),
        ],
    );
    // Flow logs are their own Config type: only when it was recorded here does the
    // absence of one for this VPC mean "no flow log".
    if w.recorded(item, "AWS::EC2::FlowLog") {
        let logs = w
            .flow_logs
            .get(&scope_key(item, &id))
            .cloned()
            .unwrap_or_default();
        a.put("flow_logs", Value::Array(logs));
    }
    ec2_resource(item, "aws.ec2.vpc", "vpc", &id, a)
}

/// A VPC flow log as `(vpc id, entry)`; logs of subnets and interfaces are skipped.
pub(super) fn flow_log(item: &ConfigItem) -> Option<(String, Value)> {
    let c = &item.configuration;
    let target = get(c, "resourceId").and_then(to_str)?;
    let on_vpc = match get(c, "resourceType").and_then(to_str) {
        Some(t) => t.eq_ignore_ascii_case("VPC"),
        None => target.starts_with("vpc-"),
    };
    if !on_vpc {
        return None;
    }
    let id = get_any(c, &["flowLogId", "id"])
        .and_then(to_str)
        .unwrap_or(&item.resource_id);
    let mut fl = serde_json::Map::new();
    fl.insert("flow_log_id".into(), json!(id));
    // The CloudFormation-shaped item has no status: leave it out rather than guess.
    if let Some(s) = get(c, "flowLogStatus").and_then(to_str) {
        fl.insert("status".into(), json!(s));
    }
    fl.insert(
        "traffic_type".into(),
        json!(get(c, "trafficType").and_then(to_str)),
    );
    Some((target.to_string(), Value::Object(fl)))
}

/// Security groups attached to a network interface.
pub(super) fn interface_groups(c: &Value) -> Vec<String> {
    get(c, "groups")
        .map(|g| strings(g, Some("groupId")))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

pub(super) fn subnet(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let id = id_of(item, "subnetId");
    let mut a = Attrs::new();
    a.put("subnet_id", json!(id));
    a.read(
        c,
        false,
        &[
            Field::key("vpc_id", "vpcId", As::Str),
            Field::key("map_public_ip_on_launch", "mapPublicIpOnLaunch", As::Bool),
            Field::key("default_for_az", "defaultForAz", As::Bool),
        ],
    );
    ec2_resource(item, "aws.ec2.subnet", "subnet", &id, a)
}

pub(super) fn volume(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["volumeId"]);
    let id = id_of(item, "volumeId");
    let mut a = Attrs::new();
    a.put("volume_id", json!(id));
    a.read(
        c,
        full,
        &[
            Field::key("encrypted", "encrypted", As::Bool),
            Field::key("kms_key_id", "kmsKeyId", As::NonEmptyStr).or_null(),
            Field::key("state", "state", As::Str),
        ],
    );
    a.set(
        "attached",
        match get(c, "attachments") {
            Some(Value::Array(l)) => Some(Value::Bool(l.iter().any(|at| {
                // A detached entry can linger in the list with state "detached".
                !matches!(path(at, &["state"]).and_then(to_str), Some("detached"))
            }))),
            Some(Value::Null) => Some(Value::Bool(false)),
            _ => None,
        },
    );
    ec2_resource(item, "aws.ec2.volume", "volume", &id, a)
}
