//! From configuration items to normalized resources.
//!
//! Three steps, each linear in the number of items: [`Resolver`] keeps the latest
//! item per resource across all files; [`World`] indexes what other resources
//! contribute (security-group use by network interfaces, VPC flow logs, load
//! balancer listeners, IAM attachments, the account's S3 Block Public Access);
//! then every live item of a mapped type becomes one [`Resource`].

mod ec2;
mod iam;
mod s3;
mod services;

use crate::parse::ConfigItem;
use crate::value::{get, get_any, to_str, Attrs};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use yagura_model::{Location, NotAssessedTarget, Resource, SourceKind};

/// The Config region name of global (IAM) resources.
pub(crate) const GLOBAL: &str = "global";

type MapFn = fn(&ConfigItem, &World) -> Resource;

/// What yagura does with a resource type.
enum Handler {
    /// The type becomes a resource of its own.
    Resource(MapFn),
    /// The type only contributes to other resources (flow logs to VPCs, …).
    Joined,
}

fn handler(resource_type: &str) -> Option<Handler> {
    use Handler::{Joined, Resource as R};
    Some(match resource_type {
        "AWS::S3::Bucket" => R(s3::bucket),
        "AWS::S3::AccountPublicAccessBlock" => Joined,
        "AWS::EC2::SecurityGroup" => R(ec2::security_group),
        "AWS::EC2::NetworkAcl" => R(ec2::network_acl),
        "AWS::EC2::Instance" => R(ec2::instance),
        "AWS::EC2::VPC" => R(ec2::vpc),
        "AWS::EC2::Subnet" => R(ec2::subnet),
        "AWS::EC2::Volume" => R(ec2::volume),
        "AWS::EC2::FlowLog" | "AWS::EC2::NetworkInterface" => Joined,
        "AWS::IAM::User" => R(iam::user),
        "AWS::IAM::Role" => R(iam::role),
        "AWS::IAM::Policy" => R(iam::policy),
        "AWS::IAM::Group" => Joined,
        "AWS::KMS::Key" => R(services::kms_key),
        "AWS::CloudTrail::Trail" => R(services::trail),
        "AWS::RDS::DBInstance" => R(services::db_instance),
        "AWS::RDS::DBSnapshot" => R(services::db_snapshot),
        "AWS::EFS::FileSystem" => R(services::efs),
        "AWS::Lambda::Function" => R(services::lambda),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => R(services::load_balancer),
        "AWS::ElasticLoadBalancingV2::Listener" => Joined,
        "AWS::ECR::Repository" => R(services::ecr),
        "AWS::EKS::Cluster" => R(services::eks),
        "AWS::SNS::Topic" => R(services::sns),
        "AWS::SQS::Queue" => R(services::sqs),
        "AWS::DynamoDB::Table" => R(services::dynamodb),
        "AWS::SecretsManager::Secret" => R(services::secret),
        "AWS::Logs::LogGroup" => R(services::log_group),
        "AWS::CloudWatch::Alarm" => R(services::alarm),
        _ => return None,
    })
}

/// The yagura service name (the second part of a kind) of a supported type.
pub(crate) fn service_of(resource_type: &str) -> Option<&'static str> {
    handler(resource_type)?;
    let mut parts = resource_type.split("::");
    if parts.next() != Some("AWS") {
        return None;
    }
    Some(match parts.next()? {
        "S3" => "s3",
        "EC2" => "ec2",
        "IAM" => "iam",
        "KMS" => "kms",
        "CloudTrail" => "cloudtrail",
        "RDS" => "rds",
        "EFS" => "efs",
        "Lambda" => "lambda",
        "ElasticLoadBalancingV2" => "elbv2",
        "ECR" => "ecr",
        "EKS" => "eks",
        "SNS" => "sns",
        "SQS" => "sqs",
        "DynamoDB" => "dynamodb",
        "SecretsManager" => "secretsmanager",
        "Logs" => "logs",
        "CloudWatch" => "cloudwatch",
        _ => return None,
    })
}

/// Keeps the latest item per resource across every file read.
#[derive(Default)]
pub(crate) struct Resolver {
    latest: HashMap<String, (i64, i64, u64, ConfigItem)>,
    /// (account, region) → resource types Config recorded there.
    recorded: HashMap<(String, String), HashSet<String>>,
    /// Every (account, region) that appeared at all.
    scopes: BTreeSet<(String, String)>,
    seq: u64,
    pub(crate) items: usize,
}

impl Resolver {
    pub(crate) fn add(&mut self, item: ConfigItem) {
        self.items += 1;
        self.seq += 1;
        let account = item.account.clone().unwrap_or_default();
        let region = item.region.clone().unwrap_or_default();
        if !account.is_empty() {
            self.scopes.insert((account.clone(), region.clone()));
        }
        if item.is_recorded() {
            let types = self
                .recorded
                .entry((account.clone(), region.clone()))
                .or_default();
            if !types.contains(&item.resource_type) {
                types.insert(item.resource_type.clone());
            }
        }
        let key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            item.resource_type, account, region, item.resource_id
        );
        let rank = (
            item.capture_millis(),
            item.state_id.unwrap_or(i64::MIN),
            self.seq,
        );
        match self.latest.get_mut(&key) {
            // Later capture wins; on a tie the later state id, then the later read.
            Some(cur) if (cur.0, cur.1, cur.2) > rank => {}
            Some(cur) => *cur = (rank.0, rank.1, rank.2, item),
            None => {
                self.latest.insert(key, (rank.0, rank.1, rank.2, item));
            }
        }
    }

    /// Builds the resources and the list of what could not be assessed.
    pub(crate) fn finish(self) -> (Vec<Resource>, Vec<NotAssessedTarget>) {
        let mut all: Vec<(i64, ConfigItem)> = self
            .latest
            .into_values()
            .map(|(t, _, _, item)| (t, item))
            .collect();
        // Deterministic output regardless of hash order and file order.
        all.sort_by(|a, b| {
            (
                &a.1.resource_type,
                &a.1.account,
                &a.1.region,
                &a.1.resource_id,
            )
                .cmp(&(
                    &b.1.resource_type,
                    &b.1.account,
                    &b.1.region,
                    &b.1.resource_id,
                ))
        });
        let world = World::build(self.recorded, &all);
        let mut resources = Vec::with_capacity(all.len() + self.scopes.len());
        let mut unsupported: BTreeMap<String, usize> = BTreeMap::new();
        let mut not_recorded: BTreeMap<String, usize> = BTreeMap::new();
        let mut to_map: Vec<(&ConfigItem, MapFn)> = Vec::with_capacity(all.len());
        let mut captured: Vec<i64> = Vec::with_capacity(all.len());
        for (t, item) in all.iter().filter(|(_, i)| !i.is_deleted()) {
            if !item.is_recorded() {
                *not_recorded.entry(item.resource_type.clone()).or_default() += 1;
            }
            match handler(&item.resource_type) {
                Some(Handler::Resource(_)) if listed_elsewhere(item) => {}
                Some(Handler::Resource(f)) => {
                    to_map.push((item, f));
                    captured.push(*t);
                }
                Some(Handler::Joined) => {}
                None => *unsupported.entry(item.resource_type.clone()).or_default() += 1,
            }
        }
        resources.extend(dedupe(map_parallel(&to_map, &world), &captured));
        resources.extend(world.scope_resources(&self.scopes));
        let mut not_assessed: Vec<NotAssessedTarget> = unsupported
            .into_iter()
            .map(|(t, n)| NotAssessedTarget {
                target: t,
                reason: format!("resource type not supported by yagura ({n} items)"),
            })
            .collect();
        not_assessed.extend(not_recorded.into_iter().map(|(t, n)| NotAssessedTarget {
            target: t,
            reason: format!(
                "{n} resource(s) listed with configurationItemStatus ResourceNotRecorded: their configuration was not recorded"
            ),
        }));
        (resources, not_assessed)
    }
}

/// A multi-region trail can be recorded in every region it covers; it is listed
/// once, in its home region.
fn listed_elsewhere(item: &ConfigItem) -> bool {
    item.resource_type == "AWS::CloudTrail::Trail"
        && get(&item.configuration, "homeRegion")
            .and_then(to_str)
            .is_some_and(|home| Some(home) != item.region.as_deref())
}

/// Keeps one resource per (kind, id), the latest captured, should two items map
/// to the same resource (the same file given twice under different regions, …).
fn dedupe(resources: Vec<Resource>, captured: &[i64]) -> Vec<Resource> {
    let mut best: HashMap<(&str, &str), usize> = HashMap::with_capacity(resources.len());
    let mut drop = vec![false; resources.len()];
    for (i, r) in resources.iter().enumerate() {
        match best.entry((r.kind.as_str(), r.id.as_str())) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let j = *e.get();
                if captured.get(i) >= captured.get(j) {
                    drop[j] = true;
                    e.insert(i);
                } else {
                    drop[i] = true;
                }
            }
        }
    }
    if !drop.contains(&true) {
        return resources;
    }
    resources
        .into_iter()
        .zip(drop)
        .filter_map(|(r, d)| (!d).then_some(r))
        .collect()
}

/// Maps items on all cores; each item is independent once the [`World`] is built.
/// The output keeps the input order.
fn map_parallel(items: &[(&ConfigItem, MapFn)], world: &World) -> Vec<Resource> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 2048 {
        return items.iter().map(|(item, f)| f(item, world)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(item, f)| f(item, world))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        crate::join_workers(handles)
    })
}

/// Facts that resources draw from other resources.
pub(crate) struct World {
    recorded: HashMap<(String, String), HashSet<String>>,
    /// `account\0region\0sg-id` of groups attached to a network interface.
    sg_in_use: HashSet<String>,
    /// `account\0region\0vpc-id` → flow logs of that VPC.
    flow_logs: HashMap<String, Vec<Value>>,
    /// Load balancer ARN → its listeners.
    listeners: HashMap<String, Vec<Value>>,
    accounts: HashMap<String, AccountFacts>,
}

#[derive(Default)]
struct AccountFacts {
    support_policy: bool,
    cloudshell_attachments: i64,
    /// Capture time and value (`None` = deleted) of the latest account-level block.
    public_access_block: Option<(i64, Option<Value>)>,
}

pub(crate) fn scope_key(item: &ConfigItem, id: &str) -> String {
    format!(
        "{}\u{0}{}\u{0}{}",
        item.account.as_deref().unwrap_or(""),
        item.region.as_deref().unwrap_or(""),
        id
    )
}

impl World {
    fn build(
        recorded: HashMap<(String, String), HashSet<String>>,
        all: &[(i64, ConfigItem)],
    ) -> World {
        let mut w = World {
            recorded,
            sg_in_use: HashSet::new(),
            flow_logs: HashMap::new(),
            listeners: HashMap::new(),
            accounts: HashMap::new(),
        };
        for (captured, item) in all {
            let deleted = item.is_deleted();
            match item.resource_type.as_str() {
                "AWS::S3::AccountPublicAccessBlock" => {
                    let Some(acct) = item.account.clone() else {
                        continue;
                    };
                    let value = if deleted {
                        None
                    } else if item.configuration.is_object() {
                        Some(s3::public_access_block(&item.configuration))
                    } else {
                        // Not recorded: says nothing about the setting.
                        continue;
                    };
                    let facts = w.accounts.entry(acct).or_default();
                    if facts
                        .public_access_block
                        .as_ref()
                        .is_none_or(|(t, _)| *t <= *captured)
                    {
                        facts.public_access_block = Some((*captured, value));
                    }
                }
                _ if deleted => {}
                "AWS::EC2::NetworkInterface" => {
                    for g in ec2::interface_groups(&item.configuration) {
                        w.sg_in_use.insert(scope_key(item, &g));
                    }
                }
                "AWS::EC2::FlowLog" => {
                    if let Some((vpc, fl)) = ec2::flow_log(item) {
                        w.flow_logs
                            .entry(scope_key(item, &vpc))
                            .or_default()
                            .push(fl);
                    }
                }
                "AWS::ElasticLoadBalancingV2::Listener" => {
                    if let Some((lb, l)) = services::listener(&item.configuration) {
                        w.listeners.entry(lb).or_default().push(l);
                    }
                }
                "AWS::IAM::User" | "AWS::IAM::Role" | "AWS::IAM::Group" => {
                    let Some(acct) = item.account.clone() else {
                        continue;
                    };
                    let attached = iam::attached_policy_arns(&item.configuration);
                    let facts = w.accounts.entry(acct).or_default();
                    if attached
                        .iter()
                        .any(|a| iam::is_aws_managed(a, "AWSSupportAccess"))
                    {
                        facts.support_policy = true;
                    }
                    if attached
                        .iter()
                        .any(|a| iam::is_aws_managed(a, "AWSCloudShellFullAccess"))
                    {
                        facts.cloudshell_attachments += 1;
                    }
                }
                _ => {}
            }
        }
        for list in w.listeners.values_mut() {
            list.sort_by_key(|l| l.get("port").and_then(Value::as_i64));
        }
        w
    }

    /// Whether Config recorded `resource_type` in the item's account and region.
    pub(crate) fn recorded(&self, item: &ConfigItem, resource_type: &str) -> bool {
        let key = (
            item.account.clone().unwrap_or_default(),
            item.region.clone().unwrap_or_default(),
        );
        self.recorded
            .get(&key)
            .is_some_and(|t| t.contains(resource_type))
    }

    fn recorded_in_account(&self, account: &str, resource_type: &str) -> bool {
        self.recorded
            .iter()
            .any(|((a, _), t)| a == account && t.contains(resource_type))
    }

    /// Services recorded in one (account, region): those with items of a supported type.
    fn services(&self, account: &str, region: &str) -> BTreeSet<&'static str> {
        self.recorded
            .get(&(account.to_string(), region.to_string()))
            .map(|types| types.iter().filter_map(|t| service_of(t)).collect())
            .unwrap_or_default()
    }

    /// One `aws.account` per account and one `aws.region` per (account, region).
    fn scope_resources(&self, scopes: &BTreeSet<(String, String)>) -> Vec<Resource> {
        let mut by_account: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (a, r) in scopes {
            by_account.entry(a.as_str()).or_default().push(r.as_str());
        }
        let mut out = Vec::new();
        for (account, regions) in by_account {
            let regional: Vec<&str> = regions
                .iter()
                .copied()
                .filter(|r| !r.is_empty() && *r != GLOBAL)
                .collect();
            for region in &regional {
                let mut r = Resource::new(
                    "aws.region",
                    format!("arn:aws:ec2:{region}:{account}:region-settings"),
                    region.to_string(),
                );
                r.account = Some(account.to_string());
                r.region = Some(region.to_string());
                r.source = SourceKind::AwsConfig;
                r.set("observed", json!(self.services(account, region)));
                out.push(r);
            }
            out.push(self.account_resource(account, &regional));
        }
        out
    }

    fn account_resource(&self, account: &str, regional: &[&str]) -> Resource {
        let mut r = Resource::new(
            "aws.account",
            format!("arn:aws:iam::{account}:root"),
            account.to_string(),
        );
        r.account = Some(account.to_string());
        r.source = SourceKind::AwsConfig;
        // Global services count when recorded; a regional service only when every
        // region present in the input recorded it, since account-wide checks
        // ("a multi-region trail exists") reason over all regions at once.
        let mut observed = self.services(account, GLOBAL);
        let mut per_region = regional.iter().map(|reg| self.services(account, reg));
        if let Some(first) = per_region.next() {
            let common = per_region.fold(first, |acc, s| acc.intersection(&s).copied().collect());
            observed.extend(common);
        }
        r.set("observed", json!(observed));
        let facts = self.accounts.get(account);
        let all_principals = ["AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::Group"]
            .iter()
            .all(|t| self.recorded_in_account(account, t));
        // A found attachment is certain; "none" needs every principal type recorded.
        let support = facts.is_some_and(|f| f.support_policy);
        if support || all_principals {
            r.set("support_policy_attached", Value::Bool(support));
        }
        if all_principals {
            r.set(
                "cloudshell_full_access_attachments",
                json!(facts.map_or(0, |f| f.cloudshell_attachments)),
            );
        }
        if let Some((_, pab)) = facts.and_then(|f| f.public_access_block.as_ref()) {
            r.set("s3_public_access_block", pab.clone().unwrap_or(Value::Null));
        }
        r
    }
}

/// The partition of an item (`aws`, `aws-cn`, `aws-us-gov`), from its ARN.
pub(crate) fn partition(item: &ConfigItem) -> &str {
    item.arn
        .as_deref()
        .and_then(|a| a.strip_prefix("arn:"))
        .and_then(|a| a.split(':').next())
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
}

/// A resource with the item's identity, tags and source file filled in.
pub(crate) fn base(item: &ConfigItem, kind: &str, id: String, name: String) -> Resource {
    let mut r = Resource::new(kind, id, name);
    r.account = item.account.clone();
    // Global resources (IAM) keep region `global`, as the live collector reports them.
    r.region = item.region.clone().filter(|reg| !reg.is_empty());
    r.tags = item.tags.clone();
    r.source = SourceKind::AwsConfig;
    r.location = Some(Location {
        file: item.file.display().to_string(),
        start_line: None,
        end_line: None,
        start_column: None,
        end_column: None,
    });
    r
}

/// A resource with the item's identity and the attributes `a`.
pub(crate) fn resource(
    item: &ConfigItem,
    kind: &str,
    id: String,
    name: String,
    a: Attrs,
) -> Resource {
    let mut r = base(item, kind, id, name);
    r.attributes = a.into_value();
    r
}

/// The ARN the configuration gives under the first of `keys` present, else the
/// item's ARN, else `fallback`.
pub(crate) fn config_arn(
    item: &ConfigItem,
    keys: &[&str],
    fallback: impl FnOnce() -> String,
) -> String {
    get_any(&item.configuration, keys)
        .and_then(to_str)
        .map(str::to_string)
        .unwrap_or_else(|| arn_or(item, fallback))
}

/// The item's ARN, or `fallback` when the item has none.
pub(crate) fn arn_or(item: &ConfigItem, fallback: impl FnOnce() -> String) -> String {
    item.arn
        .clone()
        .filter(|a| a.starts_with("arn:"))
        .unwrap_or_else(fallback)
}

/// The resource's name: `resourceName`, a configuration field, or the id.
pub(crate) fn name_of(item: &ConfigItem, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| get(&item.configuration, k).and_then(to_str))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| item.resource_name.clone())
        .unwrap_or_else(|| item.resource_id.clone())
}

/// Whether the item carries a full configuration: an object with its identifying key.
pub(crate) fn is_full(item: &ConfigItem, id_keys: &[&str]) -> bool {
    item.configuration.is_object()
        && id_keys
            .iter()
            .any(|k| get(&item.configuration, k).is_some())
}
