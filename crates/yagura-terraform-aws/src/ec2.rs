//! EC2 and VPC: security groups with their rules, network ACLs with their
//! entries, VPCs with flow logs, subnets, instances, volumes and snapshots.

use crate::args::{
    arg, block, blocks, bool_or, first_unknown, int_or, known_str, present_arg, str_list, str_or,
    to_int, to_str, Attrs,
};
use crate::index::{Index, Join, Target};
use crate::{base, names_of, regional_arn};
use serde_json::{json, Value};
use yagura_model::iac::{unknown, RawResource};
use yagura_model::Resource;

/// A computed identifier (`id`): known in a plan of existing resources, otherwise
/// unknown until apply.
pub(crate) fn computed(r: &RawResource, key: &str) -> Value {
    match known_str(&r.attributes, key) {
        Some(s) => json!(s),
        None => unknown(format!("{}.{key}", r.address)),
    }
}

/// The id-based ARN of an EC2 resource, when its id, region and account are known.
fn ec2_arn(r: &RawResource, kind: &str) -> Option<String> {
    known_str(&r.attributes, "id").and_then(|id| regional_arn(r, "ec2", &format!("{kind}/{id}")))
}

/// Security-group protocols as the API reports them.
fn sg_protocol(v: Value) -> Value {
    match v.as_str() {
        Some("6") => json!("tcp"),
        Some("17") => json!("udp"),
        Some("1") => json!("icmp"),
        Some("58") => json!("icmpv6"),
        Some("all") => json!("-1"),
        Some(s) => json!(s.to_ascii_lowercase()),
        None => v,
    }
}

fn port(a: &Attrs, key: &str) -> Value {
    arg(a, key).map_or(Value::Null, |v| to_int(key, v))
}

/// One rule in the model's shape. All-traffic rules carry no ports, as from the API.
fn sg_rule(protocol: Value, from: Value, to: Value, v4: Value, v6: Value, groups: Value) -> Value {
    let protocol = sg_protocol(protocol);
    let (from, to) = if protocol == json!("-1") {
        (Value::Null, Value::Null)
    } else {
        (from, to)
    };
    json!({"protocol": protocol, "from_port": from, "to_port": to,
        "cidrs_v4": v4, "cidrs_v6": v6, "source_groups": groups})
}

fn concat(lists: &[Value]) -> Value {
    let mut out = Vec::new();
    for l in lists {
        match l {
            Value::Array(a) => out.extend(a.iter().cloned()),
            Value::Null => {}
            other => out.push(other.clone()),
        }
    }
    Value::Array(out)
}

fn one_str(a: &Attrs, key: &str) -> Value {
    match arg(a, key) {
        None => json!([]),
        Some(v) => json!([to_str(key, v)]),
    }
}

/// An inline `ingress`/`egress` block of `aws_security_group`.
fn inline_rule(b: &Attrs, own_id: &Value) -> Value {
    let mut groups = vec![str_list(b, "security_groups")];
    if bool_or(b, "self", false) == json!(true) {
        groups.push(json!([own_id]));
    }
    sg_rule(
        str_or(b, "protocol", None),
        port(b, "from_port"),
        port(b, "to_port"),
        str_list(b, "cidr_blocks"),
        str_list(b, "ipv6_cidr_blocks"),
        concat(&groups),
    )
}

/// `aws_security_group_rule`, or the newer per-rule resources.
fn rule_resource(c: &RawResource, own_id: &Value) -> Value {
    let b = &c.attributes;
    if c.type_name == "aws_security_group_rule" {
        let mut groups = vec![one_str(b, "source_security_group_id")];
        if bool_or(b, "self", false) == json!(true) {
            groups.push(json!([own_id]));
        }
        sg_rule(
            str_or(b, "protocol", None),
            port(b, "from_port"),
            port(b, "to_port"),
            str_list(b, "cidr_blocks"),
            str_list(b, "ipv6_cidr_blocks"),
            concat(&groups),
        )
    } else {
        sg_rule(
            str_or(b, "ip_protocol", None),
            port(b, "from_port"),
            port(b, "to_port"),
            one_str(b, "cidr_ipv4"),
            one_str(b, "cidr_ipv6"),
            one_str(b, "referenced_security_group_id"),
        )
    }
}

/// A rule list where any rule's protocol, ports or CIDRs are unknown reads as
/// unknown as a whole: checks would take an unknown CIDR for "not the internet".
/// Unknown source groups do not decide any check and are kept.
fn settle_rules(rules: Vec<Value>) -> Value {
    for r in &rules {
        for k in ["protocol", "from_port", "to_port", "cidrs_v4", "cidrs_v6"] {
            if let Some(m) = r.get(k).and_then(first_unknown) {
                return m;
            }
        }
    }
    Value::Array(rules)
}

const RULE_TYPES: [&str; 3] = [
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

fn rule_direction(c: &RawResource) -> Option<&'static str> {
    match c.type_name.as_str() {
        "aws_vpc_security_group_ingress_rule" => Some("ingress"),
        "aws_vpc_security_group_egress_rule" => Some("egress"),
        _ => match known_str(&c.attributes, "type") {
            Some("ingress") => Some("ingress"),
            Some("egress") => Some("egress"),
            _ => None,
        },
    }
}

fn direction_rules(r: &RawResource, dir: &str, join: &Join, own_id: &Value) -> Value {
    let mut rules = match blocks(&r.attributes, dir) {
        Ok(b) => b.iter().map(|b| inline_rule(b, own_id)).collect::<Vec<_>>(),
        Err(m) => return m,
    };
    for c in &join.matched {
        match rule_direction(c) {
            Some(d) if d == dir => rules.push(rule_resource(c, own_id)),
            Some(_) => {}
            None => return str_or(&c.attributes, "type", None),
        }
    }
    if let Some((_, m)) = join
        .unresolved
        .iter()
        .find(|(c, _)| rule_direction(c).is_none_or(|d| d == dir))
    {
        return m.clone();
    }
    settle_rules(rules)
}

fn security_groups(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_security_group", "aws_default_security_group"]) {
        let a = &r.attributes;
        let is_default = r.type_name == "aws_default_security_group";
        let group_name = if is_default {
            json!("default")
        } else {
            // Without `name` the provider generates one.
            match arg(a, "name") {
                Some(v) => to_str("name", v),
                None => unknown(format!("{}.name", r.address)),
            }
        };
        let own_id = computed(r, "id");
        let mut res = base(
            r,
            "aws.ec2.security_group",
            group_name.as_str(),
            ec2_arn(r, "security-group"),
        );
        let join = ix.join(&RULE_TYPES, "security_group_id", i, &names_of(r));
        res.set("group_id", own_id.clone());
        res.set("group_name", group_name);
        // Without `vpc_id` the group is created in the region's default VPC.
        let vpc = match arg(a, "vpc_id") {
            None => unknown(format!("{}: the default VPC's id", r.address)),
            Some(_) => present_arg(a, "vpc_id"),
        };
        res.set("vpc_id", vpc);
        res.set("is_default", json!(is_default));
        res.set("ingress", direction_rules(r, "ingress", &join, &own_id));
        res.set("egress", direction_rules(r, "egress", &join, &own_id));
        out.push(res);
    }
}

/// Network-ACL protocols as the API reports them: protocol numbers.
fn acl_protocol(v: Value) -> Value {
    match v.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("tcp") => json!("6"),
        Some("udp") => json!("17"),
        Some("icmp") => json!("1"),
        Some("all") => json!("-1"),
        Some(s) => json!(s),
        None => v,
    }
}

fn acl_entry(b: &Attrs, egress: Value, number_key: &str, action_key: &str) -> Value {
    let action = match str_or(b, action_key, None) {
        Value::String(s) => json!(s.to_ascii_lowercase()),
        other => other,
    };
    json!({
        "rule_number": int_or(b, number_key, None),
        "protocol": acl_protocol(str_or(b, "protocol", None)),
        "rule_action": action,
        "egress": egress,
        "cidr_v4": str_or(b, "cidr_block", None),
        "cidr_v6": str_or(b, "ipv6_cidr_block", None),
        "from_port": port(b, "from_port"),
        "to_port": port(b, "to_port"),
    })
}

fn network_acls(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_network_acl", "aws_default_network_acl"]) {
        let a = &r.attributes;
        let mut res = base(r, "aws.ec2.network_acl", None, ec2_arn(r, "network-acl"));
        res.set("network_acl_id", computed(r, "id"));
        res.set("vpc_id", present_arg(a, "vpc_id"));
        res.set(
            "is_default",
            json!(r.type_name == "aws_default_network_acl"),
        );
        let join = ix.join(&["aws_network_acl_rule"], "network_acl_id", i, &names_of(r));
        let mut entries = Vec::new();
        let mut unknown_part = join.uncertain();
        for (dir, egress) in [("ingress", false), ("egress", true)] {
            match blocks(a, dir) {
                Ok(bs) => entries.extend(
                    bs.iter()
                        .map(|b| acl_entry(b, json!(egress), "rule_no", "action")),
                ),
                Err(m) => unknown_part = unknown_part.or(Some(m)),
            }
        }
        for c in &join.matched {
            let b = &c.attributes;
            entries.push(acl_entry(
                b,
                bool_or(b, "egress", false),
                "rule_number",
                "rule_action",
            ));
        }
        let entries = match unknown_part.or_else(|| first_unknown(&Value::Array(entries.clone()))) {
            Some(m) => m,
            None => Value::Array(entries),
        };
        res.set("entries", entries);
        out.push(res);
    }
}

fn vpcs(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_vpc", "aws_default_vpc"]) {
        let a = &r.attributes;
        let mut res = base(r, "aws.ec2.vpc", None, ec2_arn(r, "vpc"));
        res.set("vpc_id", computed(r, "id"));
        res.set("is_default", json!(r.type_name == "aws_default_vpc"));
        res.set("cidr_block", str_or(a, "cidr_block", None));
        let join = ix.join(&["aws_flow_log"], "vpc_id", i, &names_of(r));
        let logs = match join.uncertain() {
            Some(m) => m,
            None => Value::Array(
                join.matched
                    .iter()
                    .map(|c| {
                        // Without `traffic_type` the API rejects a VPC flow log, so
                        // an unwritten one is unknown rather than defaulted.
                        let traffic = match arg(&c.attributes, "traffic_type") {
                            Some(v) => to_str("traffic_type", v),
                            None => unknown(format!("{}.traffic_type", c.address)),
                        };
                        json!({"flow_log_id": computed(c, "id"), "status": "ACTIVE", "traffic_type": traffic})
                    })
                    .collect(),
            ),
        };
        res.set("flow_logs", logs);
        out.push(res);
    }
}

fn subnets(ix: &Index, out: &mut Vec<Resource>) {
    for (_, r) in ix.of_type(&["aws_subnet", "aws_default_subnet"]) {
        let a = &r.attributes;
        let default = r.type_name == "aws_default_subnet";
        let mut res = base(r, "aws.ec2.subnet", None, ec2_arn(r, "subnet"));
        res.set("subnet_id", computed(r, "id"));
        res.set("vpc_id", present_arg(a, "vpc_id"));
        let map_public = if default && arg(a, "map_public_ip_on_launch").is_none() {
            // A default subnet is adopted, not created: its current setting stays.
            unknown(format!("{}.map_public_ip_on_launch", r.address))
        } else {
            bool_or(a, "map_public_ip_on_launch", false)
        };
        res.set("map_public_ip_on_launch", map_public);
        res.set("default_for_az", json!(default));
        out.push(res);
    }
}

/// `metadata_options` of an instance or launch template, with provider defaults.
fn metadata_options(a: &Attrs) -> Value {
    match block(a, "metadata_options") {
        Err(m) => m,
        Ok(None) => {
            json!({"http_tokens": "optional", "http_endpoint": "enabled", "http_put_response_hop_limit": 1})
        }
        Ok(Some(m)) => crate::args::hoist(json!({
            "http_tokens": str_or(m, "http_tokens", Some("optional")),
            "http_endpoint": str_or(m, "http_endpoint", Some("enabled")),
            "http_put_response_hop_limit": int_or(m, "http_put_response_hop_limit", Some(1)),
        })),
    }
}

const PUBLIC_IP_AT_LAUNCH: &str = "(public IPv4 address assigned at launch)";

/// The instance's public IPv4 address: its value is known only after launch,
/// but whether it gets one is decided by the code (or the subnet's setting).
fn public_ip(ix: &Index, r: &RawResource) -> Value {
    let a = &r.attributes;
    if let Some(v) = arg(a, "public_ip").filter(|v| v.is_string()) {
        return v.clone();
    }
    let from_flag = |v: Value| match v {
        Value::Bool(true) => json!(PUBLIC_IP_AT_LAUNCH),
        Value::Bool(false) => Value::Null,
        other => other,
    };
    if arg(a, "associate_public_ip_address").is_some() {
        return from_flag(bool_or(a, "associate_public_ip_address", false));
    }
    match ix.target_of(r, "subnet_id") {
        Target::Res(j) if ix.raw[j].type_name == "aws_subnet" => from_flag(bool_or(
            &ix.raw[j].attributes,
            "map_public_ip_on_launch",
            false,
        )),
        Target::Unresolved(m) => m,
        _ => unknown(format!(
            "{}: associate_public_ip_address not set; the subnet's setting decides",
            r.address
        )),
    }
}

fn instances(ix: &Index, out: &mut Vec<Resource>, ebs_default: &dyn Fn(&RawResource) -> Value) {
    for (_, r) in ix.of_type(&["aws_instance"]) {
        let a = &r.attributes;
        let name = r
            .attributes
            .get("tags")
            .and_then(|t| t.get("Name"))
            .and_then(Value::as_str);
        let mut res = base(r, "aws.ec2.instance", name, ec2_arn(r, "instance"));
        res.set("instance_id", computed(r, "id"));
        let meta = if arg(a, "metadata_options").is_none() && arg(a, "launch_template").is_some() {
            // The launch template supplies the metadata options.
            let lt = block(a, "launch_template").ok().flatten();
            let tpl = lt.and_then(|lt| {
                ["id", "name"]
                    .iter()
                    .find_map(|k| match ix.target(arg(lt, k), r) {
                        Target::Res(j) if ix.raw[j].type_name == "aws_launch_template" => Some(j),
                        Target::Literal(l) => ix
                            .of_type(&["aws_launch_template"])
                            .find(|(_, t)| names_of(t).contains(&l))
                            .map(|(j, _)| j),
                        _ => None,
                    })
            });
            match tpl {
                Some(j) => metadata_options(&ix.raw[j].attributes),
                None => unknown(format!(
                    "{}: metadata options of its launch template",
                    r.address
                )),
            }
        } else {
            metadata_options(a)
        };
        res.set("metadata_options", meta);
        res.set("public_ip", public_ip(ix, r));
        res.set(
            "iam_instance_profile",
            present_arg(a, "iam_instance_profile"),
        );
        res.set("subnet_id", present_arg(a, "subnet_id"));
        res.set("security_groups", str_list(a, "vpc_security_group_ids"));
        res.set("image_id", str_or(a, "ami", None));
        out.push(res);
        // Root and EBS block devices are volumes of their own in the API.
        for dev in ["root_block_device", "ebs_block_device"] {
            let Ok(bs) = blocks(a, dev) else { continue };
            for (n, b) in bs.iter().enumerate() {
                let addr = format!("{}.{dev}[{n}]", r.address);
                let mut v = base(r, "aws.ec2.volume", Some(&addr), None);
                v.id = format!("terraform:{addr}");
                v.tags = Default::default();
                v.set("volume_id", unknown(format!("{addr}.volume_id")));
                v.set(
                    "encrypted",
                    effective_encryption(b, "encrypted", ebs_default(r)),
                );
                v.set("kms_key_id", present_arg(b, "kms_key_id"));
                v.set("attached", json!(true));
                out.push(v);
            }
        }
    }
}

/// Encryption of a new volume: as written, or on anyway when EBS encryption by
/// default is enabled in the region.
fn effective_encryption(a: &Attrs, key: &str, region_default: Value) -> Value {
    match (bool_or(a, key, false), region_default) {
        (Value::Bool(true), _) | (_, Value::Bool(true)) => json!(true),
        (Value::Bool(false), Value::Bool(false)) => json!(false),
        (Value::Bool(false), other) => other,
        (other, _) => other,
    }
}

fn volumes(ix: &Index, out: &mut Vec<Resource>, ebs_default: &dyn Fn(&RawResource) -> Value) {
    for (i, r) in ix.of_type(&["aws_ebs_volume"]) {
        let a = &r.attributes;
        let mut res = base(r, "aws.ec2.volume", None, ec2_arn(r, "volume"));
        res.set("volume_id", computed(r, "id"));
        res.set(
            "encrypted",
            effective_encryption(a, "encrypted", ebs_default(r)),
        );
        res.set("kms_key_id", present_arg(a, "kms_key_id"));
        let join = ix.join(&["aws_volume_attachment"], "volume_id", i, &names_of(r));
        let attached = match (join.matched.is_empty(), join.uncertain()) {
            (false, _) => json!(true),
            (true, Some(m)) => m,
            (true, None) => json!(false),
        };
        res.set("attached", attached);
        out.push(res);
    }
}

/// The encryption of the volume a snapshot is taken from.
fn source_encryption(
    ix: &Index,
    r: &RawResource,
    key: &str,
    ebs_default: &dyn Fn(&RawResource) -> Value,
    depth: usize,
) -> Value {
    match ix.target_of(r, key) {
        Target::Res(j) if depth < 8 => {
            let s = &ix.raw[j];
            match s.type_name.as_str() {
                "aws_ebs_volume" => {
                    effective_encryption(&s.attributes, "encrypted", ebs_default(s))
                }
                "aws_ebs_snapshot" => source_encryption(ix, s, "volume_id", ebs_default, depth + 1),
                "aws_ebs_snapshot_copy" => snapshot_copy_encryption(ix, s, ebs_default, depth + 1),
                _ => unknown(format!("{}.encrypted", s.address)),
            }
        }
        Target::Unresolved(m) => m,
        _ => unknown(format!("{}: encryption of {key}", r.address)),
    }
}

fn snapshot_copy_encryption(
    ix: &Index,
    r: &RawResource,
    ebs_default: &dyn Fn(&RawResource) -> Value,
    depth: usize,
) -> Value {
    match bool_or(&r.attributes, "encrypted", false) {
        Value::Bool(true) => json!(true),
        Value::Bool(false) => source_encryption(ix, r, "source_snapshot_id", ebs_default, depth),
        other => other,
    }
}

fn snapshots(ix: &Index, out: &mut Vec<Resource>, ebs_default: &dyn Fn(&RawResource) -> Value) {
    for (_, r) in ix.of_type(&["aws_ebs_snapshot", "aws_ebs_snapshot_copy"]) {
        let mut res = base(r, "aws.ec2.snapshot", None, None);
        res.set("snapshot_id", computed(r, "id"));
        let enc = if r.type_name == "aws_ebs_snapshot" {
            source_encryption(ix, r, "volume_id", ebs_default, 0)
        } else {
            snapshot_copy_encryption(ix, r, ebs_default, 0)
        };
        res.set("encrypted", enc);
        // The provider cannot share a snapshot with everyone (group `all`).
        res.set("public", json!(false));
        out.push(res);
    }
}

/// Whether EBS encryption by default is on in a resource's region, as far as the
/// configuration says: `false` when no `aws_ebs_encryption_by_default` covers it.
pub(crate) fn ebs_default_for(ix: &Index, r: &RawResource) -> Value {
    let mut result = json!(false);
    for (_, e) in ix.of_type(&["aws_ebs_encryption_by_default"]) {
        if e.region != r.region || e.account != r.account {
            continue;
        }
        match bool_or(&e.attributes, "enabled", true) {
            Value::Bool(true) => return json!(true),
            Value::Bool(false) => {}
            other => result = other,
        }
    }
    result
}

pub(crate) fn adapt(ix: &Index, out: &mut Vec<Resource>) {
    let ebs_default = |r: &RawResource| ebs_default_for(ix, r);
    security_groups(ix, out);
    network_acls(ix, out);
    vpcs(ix, out);
    subnets(ix, out);
    instances(ix, out, &ebs_default);
    volumes(ix, out, &ebs_default);
    snapshots(ix, out, &ebs_default);
}
