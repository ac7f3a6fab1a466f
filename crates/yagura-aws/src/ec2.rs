//! EC2 and VPC: security groups, network ACLs, instances, VPCs with their flow logs,
//! subnets, volumes and owned snapshots.

use crate::ctx::{list_items, Part, Rc};
use crate::error::ApiError;
use crate::util::{group_by, ip_protocol, opt_str, opt_time, strs, tag_map};
use aws_sdk_ec2::types::{IpPermission, PermissionGroup, Snapshot, SnapshotAttributeName, Tag};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

fn tags(t: &[Tag]) -> BTreeMap<String, String> {
    tag_map(t.iter().map(|t| (t.key(), t.value())))
}

/// One IP permission in the model's rule shape.
pub(crate) fn rule(p: &IpPermission) -> Value {
    json!({
        "protocol": ip_protocol(p.ip_protocol().unwrap_or("-1")),
        "from_port": p.from_port(),
        "to_port": p.to_port(),
        "cidrs_v4": strs(p.ip_ranges().iter().filter_map(|r| r.cidr_ip())),
        "cidrs_v6": strs(p.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6())),
        "source_groups": strs(p.user_id_group_pairs().iter().filter_map(|g| g.group_id())),
    })
}

/// Every listing of the region; `ec2` is complete when all of them were read.
pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let ec2 = rc.ec2();
    let (sgs, nacls, instances, vpcs, subnets, volumes, snapshots) = tokio::join!(
        security_groups(rc, &ec2),
        network_acls(rc, &ec2),
        instances(rc, &ec2),
        vpcs(rc, &ec2),
        subnets(rc, &ec2),
        volumes(rc, &ec2),
        snapshots(rc, &ec2),
    );
    Part::from_listings(
        rc,
        "ec2",
        [sgs, nacls, instances, vpcs, subnets, volumes, snapshots],
    )
}

async fn security_groups(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client) -> Result<Part, ApiError> {
    let (groups, enis) = tokio::join!(
        list_items!(
            rc,
            "ec2",
            "DescribeSecurityGroups",
            ec2.describe_security_groups()
        ),
        list_items!(
            rc,
            "ec2",
            "DescribeNetworkInterfaces",
            ec2.describe_network_interfaces()
        ),
    );
    let groups = groups?;
    let mut part = Part::default();
    let in_use: Result<HashSet<String>, ApiError> = enis.map(|enis| {
        enis.iter()
            .flat_map(|n| {
                n.groups()
                    .iter()
                    .filter_map(|g| g.group_id().map(str::to_string))
            })
            .collect()
    });
    for g in groups {
        let Some(id) = g.group_id() else { continue };
        let name = g.group_name().unwrap_or(id);
        let arn = rc.arn("ec2", &format!("security-group/{id}"));
        let mut r = rc.resource("aws.ec2.security_group", &arn, name);
        r.tags = tags(g.tags());
        r.set("group_id", json!(id));
        r.set("group_name", json!(name));
        r.set("vpc_id", opt_str(g.vpc_id()));
        r.set("is_default", json!(name == "default"));
        r.set(
            "ingress",
            Value::Array(g.ip_permissions().iter().map(rule).collect()),
        );
        r.set(
            "egress",
            Value::Array(g.ip_permissions_egress().iter().map(rule).collect()),
        );
        let used = in_use.as_ref().map(|set| json!(set.contains(id)));
        part.observe(&mut r, "in_use", used);
        part.resources.push(r);
    }
    Ok(part)
}

async fn network_acls(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client) -> Result<Part, ApiError> {
    let acls = list_items!(
        rc,
        "ec2",
        "DescribeNetworkAcls",
        ec2.describe_network_acls()
    )
    .await?;
    let mut part = Part::default();
    for a in acls {
        let Some(id) = a.network_acl_id() else {
            continue;
        };
        let arn = rc.arn("ec2", &format!("network-acl/{id}"));
        let mut r = rc.resource("aws.ec2.network_acl", &arn, id);
        r.tags = tags(a.tags());
        r.set("network_acl_id", json!(id));
        r.set("vpc_id", opt_str(a.vpc_id()));
        r.set("is_default", json!(a.is_default().unwrap_or(false)));
        let entries: Vec<Value> = a
            .entries()
            .iter()
            .map(|e| {
                json!({
                    "rule_number": e.rule_number(),
                    "protocol": opt_str(e.protocol()),
                    "rule_action": opt_str(e.rule_action().map(|a| a.as_str())),
                    "egress": e.egress().unwrap_or(false),
                    "cidr_v4": opt_str(e.cidr_block()),
                    "cidr_v6": opt_str(e.ipv6_cidr_block()),
                    "from_port": e.port_range().and_then(|p| p.from()),
                    "to_port": e.port_range().and_then(|p| p.to()),
                })
            })
            .collect();
        r.set("entries", Value::Array(entries));
        part.resources.push(r);
    }
    Ok(part)
}

async fn instances(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client) -> Result<Part, ApiError> {
    let reservations =
        list_items!(rc, "ec2", "DescribeInstances", ec2.describe_instances()).await?;
    let mut part = Part::default();
    for i in reservations.iter().flat_map(|r| r.instances()) {
        let Some(id) = i.instance_id() else { continue };
        let arn = rc.arn("ec2", &format!("instance/{id}"));
        let name = i
            .tags()
            .iter()
            .find(|t| t.key() == Some("Name"))
            .and_then(|t| t.value())
            .unwrap_or(id);
        let mut r = rc.resource("aws.ec2.instance", &arn, name);
        r.tags = tags(i.tags());
        r.set("instance_id", json!(id));
        r.set(
            "state",
            opt_str(i.state().and_then(|s| s.name()).map(|n| n.as_str())),
        );
        match i.metadata_options() {
            Some(m) => r.set(
                "metadata_options",
                json!({
                    "http_tokens": opt_str(m.http_tokens().map(|t| t.as_str())),
                    "http_endpoint": opt_str(m.http_endpoint().map(|t| t.as_str())),
                    "http_put_response_hop_limit": m.http_put_response_hop_limit(),
                }),
            ),
            None => part.attr_invalid(
                &arn,
                "metadata_options",
                "ec2:DescribeInstances returned no metadata options",
            ),
        }
        r.set("public_ip", opt_str(i.public_ip_address()));
        r.set(
            "iam_instance_profile",
            opt_str(i.iam_instance_profile().and_then(|p| p.arn())),
        );
        r.set("vpc_id", opt_str(i.vpc_id()));
        r.set("subnet_id", opt_str(i.subnet_id()));
        r.set(
            "security_groups",
            strs(i.security_groups().iter().filter_map(|g| g.group_id())),
        );
        r.set("image_id", opt_str(i.image_id()));
        r.set("launch_time", opt_time(i.launch_time()));
        part.resources.push(r);
    }
    Ok(part)
}

async fn vpcs(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client) -> Result<Part, ApiError> {
    let (vpcs, flows) = tokio::join!(
        list_items!(rc, "ec2", "DescribeVpcs", ec2.describe_vpcs()),
        list_items!(rc, "ec2", "DescribeFlowLogs", ec2.describe_flow_logs()),
    );
    let vpcs = vpcs?;
    let mut part = Part::default();
    let flows = flows.map(|flows| {
        group_by(flows, |f| {
            let entry = json!({
                "flow_log_id": opt_str(f.flow_log_id()),
                "status": opt_str(f.flow_log_status()),
                "traffic_type": opt_str(f.traffic_type().map(|t| t.as_str())),
            });
            Some((f.resource_id()?, entry))
        })
    });
    for v in vpcs {
        let Some(id) = v.vpc_id() else { continue };
        let arn = rc.arn("ec2", &format!("vpc/{id}"));
        let mut r = rc.resource("aws.ec2.vpc", &arn, id);
        r.tags = tags(v.tags());
        r.set("vpc_id", json!(id));
        r.set("is_default", json!(v.is_default().unwrap_or(false)));
        r.set("cidr_block", opt_str(v.cidr_block()));
        let logs = flows
            .as_ref()
            .map(|m| Value::Array(m.get(id).cloned().unwrap_or_default()));
        part.observe(&mut r, "flow_logs", logs);
        part.resources.push(r);
    }
    Ok(part)
}

async fn subnets(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client) -> Result<Part, ApiError> {
    let subnets = list_items!(rc, "ec2", "DescribeSubnets", ec2.describe_subnets()).await?;
    let mut part = Part::default();
    for s in subnets {
        let Some(id) = s.subnet_id() else { continue };
        let arn = s
            .subnet_arn()
            .map(str::to_string)
            .unwrap_or_else(|| rc.arn("ec2", &format!("subnet/{id}")));
        let mut r = rc.resource("aws.ec2.subnet", &arn, id);
        r.tags = tags(s.tags());
        r.set("subnet_id", json!(id));
        r.set("vpc_id", opt_str(s.vpc_id()));
        r.set(
            "map_public_ip_on_launch",
            json!(s.map_public_ip_on_launch().unwrap_or(false)),
        );
        r.set("default_for_az", json!(s.default_for_az().unwrap_or(false)));
        part.resources.push(r);
    }
    Ok(part)
}

async fn volumes(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client) -> Result<Part, ApiError> {
    let vols = list_items!(rc, "ec2", "DescribeVolumes", ec2.describe_volumes()).await?;
    let mut part = Part::default();
    for v in vols {
        let Some(id) = v.volume_id() else { continue };
        let arn = rc.arn("ec2", &format!("volume/{id}"));
        let mut r = rc.resource("aws.ec2.volume", &arn, id);
        r.tags = tags(v.tags());
        r.set("volume_id", json!(id));
        r.set("encrypted", json!(v.encrypted().unwrap_or(false)));
        r.set("kms_key_id", opt_str(v.kms_key_id()));
        r.set("state", opt_str(v.state().map(|s| s.as_str())));
        r.set("attached", json!(!v.attachments().is_empty()));
        part.resources.push(r);
    }
    Ok(part)
}

async fn snapshots(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client) -> Result<Part, ApiError> {
    let snaps = list_items!(
        rc,
        "ec2",
        "DescribeSnapshots",
        ec2.describe_snapshots().owner_ids("self")
    )
    .await?;
    // Some endpoints ignore the `self` owner filter; keep only the account's own.
    let own = snaps
        .into_iter()
        .filter(|s| s.owner_id().is_none_or(|o| o == rc.scope.account));
    Ok(Part::join(own.map(|s| snapshot(rc, ec2, s))).await)
}

async fn snapshot(rc: &Rc<'_>, ec2: &aws_sdk_ec2::Client, s: Snapshot) -> Part {
    let mut part = Part::default();
    let Some(id) = s.snapshot_id() else {
        return part;
    };
    let arn = rc.arn("ec2", &format!("snapshot/{id}"));
    let mut r = rc.resource("aws.ec2.snapshot", &arn, id);
    r.tags = tags(s.tags());
    r.set("snapshot_id", json!(id));
    r.set("encrypted", json!(s.encrypted().unwrap_or(false)));
    let public = snapshot_public(rc, ec2, id).await.map(|p| json!(p));
    part.observe(&mut r, "public", public);
    part.resources.push(r);
    part
}

/// Whether anyone may create volumes from the snapshot.
async fn snapshot_public(
    rc: &Rc<'_>,
    ec2: &aws_sdk_ec2::Client,
    id: &str,
) -> Result<bool, ApiError> {
    let out = rc
        .call(
            "ec2",
            "DescribeSnapshotAttribute",
            ec2.describe_snapshot_attribute()
                .snapshot_id(id)
                .attribute(SnapshotAttributeName::CreateVolumePermission)
                .send(),
        )
        .await?;
    Ok(out
        .create_volume_permissions()
        .iter()
        .any(|p| p.group() == Some(&PermissionGroup::All)))
}

/// EBS encryption by default (a region setting).
pub(crate) async fn ebs_encryption_by_default(rc: &Rc<'_>) -> Result<bool, ApiError> {
    let ec2 = rc.ec2();
    let out = rc
        .call(
            "ec2",
            "GetEbsEncryptionByDefault",
            ec2.get_ebs_encryption_by_default().send(),
        )
        .await?;
    Ok(out.ebs_encryption_by_default().unwrap_or(false))
}
