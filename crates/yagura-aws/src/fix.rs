//! Opt-in remediation for `yagura fix`.
//!
//! [`plan`] turns a failing check on a resource into a [`FixPlan`]: the exact API
//! calls (service, operation, region, parameters as JSON) so `--dry-run` can print
//! them. [`apply`] executes exactly those calls — it reads the parameters back from
//! the plan — and returns a [`FixRecord`] with the state before and after, read
//! from the API.
//!
//! Fixes never weaken a setting: the password policy keeps stricter values that
//! are already set, default encryption is only added where none exists, and only
//! the world-open rule entries for SSH/RDP are revoked.

use crate::ctx::{Rc, Scope, GLOBAL};
use crate::error::{ApiError, AwsError};
use crate::{ec2, iam, s3, AwsScanOptions};
use aws_sdk_ec2::types::{HttpTokensState, IpPermission, IpRange, Ipv6Range};
use aws_types::SdkConfig;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use yagura_model::Resource;

/// The remediations yagura knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// Turn on all four S3 Block Public Access settings of a bucket.
    S3BlockPublicAccess,
    /// Add SSE-S3 (AES256) default encryption to a bucket without any.
    S3DefaultEncryption,
    /// Turn on EBS encryption by default in a region.
    EbsEncryptionByDefault,
    /// Revoke ingress from 0.0.0.0/0 that reaches port 22 or 3389.
    SecurityGroupAdminPortsIpv4,
    /// Revoke ingress from ::/0 that reaches port 22 or 3389.
    SecurityGroupAdminPortsIpv6,
    /// Set a strong account password policy (14+ characters, 24 remembered, all
    /// character classes, 90-day expiry), keeping stricter existing values.
    IamPasswordPolicy,
    /// Turn on CloudTrail log-file integrity validation.
    CloudTrailLogFileValidation,
    /// Require IMDSv2 (session tokens) on an instance.
    Ec2RequireImdsv2,
}

impl FixKind {
    /// The resource kind the fix applies to.
    pub fn resource_kind(self) -> &'static str {
        match self {
            FixKind::S3BlockPublicAccess | FixKind::S3DefaultEncryption => "aws.s3.bucket",
            FixKind::EbsEncryptionByDefault => "aws.region",
            FixKind::SecurityGroupAdminPortsIpv4 | FixKind::SecurityGroupAdminPortsIpv6 => {
                "aws.ec2.security_group"
            }
            FixKind::IamPasswordPolicy => "aws.account",
            FixKind::CloudTrailLogFileValidation => "aws.cloudtrail.trail",
            FixKind::Ec2RequireImdsv2 => "aws.ec2.instance",
        }
    }
}

/// Which check codes a fix remediates. Adjust here when checks are added or renumbered.
pub const FIXES: &[(&str, FixKind)] = &[
    ("AWS-S3-001", FixKind::S3BlockPublicAccess),
    ("AWS-S3-005", FixKind::S3DefaultEncryption),
    ("AWS-ACCOUNT-001", FixKind::EbsEncryptionByDefault),
    ("AWS-EC2-001", FixKind::SecurityGroupAdminPortsIpv4),
    ("AWS-EC2-003", FixKind::SecurityGroupAdminPortsIpv6),
    ("AWS-IAM-005", FixKind::IamPasswordPolicy),
    ("AWS-IAM-006", FixKind::IamPasswordPolicy),
    ("AWS-IAM-016", FixKind::IamPasswordPolicy),
    ("AWS-IAM-017", FixKind::IamPasswordPolicy),
    ("AWS-CLOUDTRAIL-002", FixKind::CloudTrailLogFileValidation),
    ("AWS-EC2-005", FixKind::Ec2RequireImdsv2),
];

/// The fix for a check code, if yagura has one.
pub fn fix_for(check_code: &str) -> Option<FixKind> {
    FIXES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(check_code))
        .map(|(_, k)| *k)
}

/// One API call of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiCall {
    pub service: String,
    pub operation: String,
    pub region: String,
    pub parameters: Value,
}

/// What a fix will do, before it is done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixPlan {
    pub check: String,
    pub kind: FixKind,
    pub resource_id: String,
    pub resource_name: String,
    pub account: Option<String>,
    /// The resource's region (`global` for account-wide settings).
    pub region: String,
    /// One line for humans.
    pub summary: String,
    pub calls: Vec<ApiCall>,
}

/// What a fix did: the plan and the state read before and after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixRecord {
    pub plan: FixPlan,
    pub before: Value,
    pub after: Value,
    pub applied_at: DateTime<Utc>,
}

const WORLD_V4: &str = "0.0.0.0/0";
const WORLD_V6: &str = "::/0";
const ADMIN_PORTS: [i64; 2] = [22, 3389];

/// Plans the fix for `check_code` on `resource`. `None` when no fix is known for
/// the check, the resource is of another kind, nothing needs changing, or the
/// current state was not observed (a fix must not overwrite what it cannot see).
pub async fn plan(check_code: &str, resource: &Resource) -> Option<FixPlan> {
    let kind = fix_for(check_code)?;
    if resource.kind != kind.resource_kind() {
        return None;
    }
    let region = resource.region.clone()?;
    let (summary, calls) = match kind {
        FixKind::S3BlockPublicAccess => plan_s3_bpa(resource, &region)?,
        FixKind::S3DefaultEncryption => plan_s3_encryption(resource, &region)?,
        FixKind::EbsEncryptionByDefault => plan_ebs(resource, &region)?,
        FixKind::SecurityGroupAdminPortsIpv4 => plan_sg(resource, &region, false)?,
        FixKind::SecurityGroupAdminPortsIpv6 => plan_sg(resource, &region, true)?,
        FixKind::IamPasswordPolicy => plan_password_policy(resource)?,
        FixKind::CloudTrailLogFileValidation => plan_trail(resource)?,
        FixKind::Ec2RequireImdsv2 => plan_imds(resource, &region)?,
    };
    Some(FixPlan {
        check: check_code.to_ascii_uppercase(),
        kind,
        resource_id: resource.id.clone(),
        resource_name: resource.name.clone(),
        account: resource.account.clone(),
        region,
        summary,
        calls,
    })
}

fn call(service: &str, operation: &str, region: &str, parameters: Value) -> ApiCall {
    ApiCall {
        service: service.into(),
        operation: operation.into(),
        region: region.into(),
        parameters,
    }
}

fn bucket_name(r: &Resource) -> String {
    r.id.rsplit(":::").next().unwrap_or(&r.name).to_string()
}

type Planned = (String, Vec<ApiCall>);

fn plan_s3_bpa(r: &Resource, region: &str) -> Option<Planned> {
    let current = r.attributes.get("public_access_block")?;
    let all_on = [
        "block_public_acls",
        "ignore_public_acls",
        "block_public_policy",
        "restrict_public_buckets",
    ]
    .iter()
    .all(|k| current.get(k).and_then(Value::as_bool) == Some(true));
    if all_on {
        return None;
    }
    let bucket = bucket_name(r);
    Some((
        format!("turn on all four Block Public Access settings of bucket {bucket}"),
        vec![call(
            "s3",
            "PutPublicAccessBlock",
            region,
            json!({
                "Bucket": bucket,
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": true,
                    "IgnorePublicAcls": true,
                    "BlockPublicPolicy": true,
                    "RestrictPublicBuckets": true
                }
            }),
        )],
    ))
}

fn plan_s3_encryption(r: &Resource, region: &str) -> Option<Planned> {
    // Only a bucket observed to have no default encryption; an existing KMS setup
    // must not be replaced by SSE-S3.
    if !r.attributes.get("encryption")?.is_null() {
        return None;
    }
    let bucket = bucket_name(r);
    Some((
        format!("set SSE-S3 (AES256) default encryption on bucket {bucket}"),
        vec![call(
            "s3",
            "PutBucketEncryption",
            region,
            json!({
                "Bucket": bucket,
                "ServerSideEncryptionConfiguration": {
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
                }
            }),
        )],
    ))
}

fn plan_ebs(r: &Resource, region: &str) -> Option<Planned> {
    if r.attributes.get("ebs_encryption_by_default")?.as_bool() == Some(true) {
        return None;
    }
    Some((
        format!("turn on EBS encryption by default in {region}"),
        vec![call(
            "ec2",
            "EnableEbsEncryptionByDefault",
            region,
            json!({}),
        )],
    ))
}

/// Whether a model rule reaches `port` (all traffic, or a TCP/UDP range holding it).
fn rule_reaches(rule: &Value, port: i64) -> bool {
    let proto = rule.get("protocol").and_then(Value::as_str).unwrap_or("");
    if proto == "-1" {
        return true;
    }
    if !matches!(proto, "tcp" | "udp" | "6" | "17") {
        return false;
    }
    match (
        rule.get("from_port").and_then(Value::as_i64),
        rule.get("to_port").and_then(Value::as_i64),
    ) {
        (Some(f), Some(t)) => (f == -1 && t == -1) || (f <= port && port <= t),
        _ => true,
    }
}

fn plan_sg(r: &Resource, region: &str, v6: bool) -> Option<Planned> {
    let group_id = r.attributes.get("group_id")?.as_str()?.to_string();
    let (list, world, range_key, cidr_key) = if v6 {
        ("cidrs_v6", WORLD_V6, "Ipv6Ranges", "CidrIpv6")
    } else {
        ("cidrs_v4", WORLD_V4, "IpRanges", "CidrIp")
    };
    let mut perms = Vec::new();
    for rule in r.attributes.get("ingress")?.as_array()? {
        let open = rule
            .get(list)
            .and_then(Value::as_array)
            .is_some_and(|c| c.iter().any(|x| x.as_str() == Some(world)));
        if !open || !ADMIN_PORTS.iter().any(|p| rule_reaches(rule, *p)) {
            continue;
        }
        let mut perm = serde_json::Map::new();
        perm.insert(
            "IpProtocol".into(),
            rule.get("protocol").cloned().unwrap_or(json!("-1")),
        );
        for (model, api) in [("from_port", "FromPort"), ("to_port", "ToPort")] {
            if let Some(p) = rule.get(model).filter(|p| !p.is_null()) {
                perm.insert(api.into(), p.clone());
            }
        }
        perm.insert(range_key.into(), json!([{ cidr_key: world }]));
        perms.push(Value::Object(perm));
    }
    if perms.is_empty() {
        return None;
    }
    Some((
        format!(
            "revoke {} ingress rule(s) from {world} reaching SSH/RDP on security group {group_id}",
            perms.len()
        ),
        vec![call(
            "ec2",
            "RevokeSecurityGroupIngress",
            region,
            json!({"GroupId": group_id, "IpPermissions": perms}),
        )],
    ))
}

/// The policy yagura sets: the stricter of the current value and the baseline.
pub(crate) fn strong_password_policy(current: &Value) -> Value {
    let int = |k: &str| current.get(k).and_then(Value::as_i64);
    let flag = |k: &str| current.get(k).and_then(Value::as_bool);
    json!({
        "MinimumPasswordLength": int("minimum_length").unwrap_or(0).max(14),
        "RequireSymbols": true,
        "RequireNumbers": true,
        "RequireUppercaseCharacters": true,
        "RequireLowercaseCharacters": true,
        "AllowUsersToChangePassword": flag("allow_users_to_change").unwrap_or(true),
        "MaxPasswordAge": int("max_age_days").filter(|d| (1..=90).contains(d)).unwrap_or(90),
        "PasswordReusePrevention": int("reuse_prevention").unwrap_or(0).max(24),
        "HardExpiry": flag("hard_expiry").unwrap_or(false),
    })
}

fn plan_password_policy(r: &Resource) -> Option<Planned> {
    // Absent means unknown: setting a baseline could weaken a stricter policy.
    let current = r.attributes.get("password_policy")?;
    let target = strong_password_policy(current);
    let same = |model: &str, api: &str| current.get(model) == target.get(api);
    let compliant = !current.is_null()
        && same("minimum_length", "MinimumPasswordLength")
        && same("require_symbols", "RequireSymbols")
        && same("require_numbers", "RequireNumbers")
        && same("require_uppercase", "RequireUppercaseCharacters")
        && same("require_lowercase", "RequireLowercaseCharacters")
        && same("max_age_days", "MaxPasswordAge")
        && same("reuse_prevention", "PasswordReusePrevention");
    if compliant {
        return None;
    }
    Some((
        "set the account password policy: 14+ characters, all character classes, 24 remembered, 90-day expiry"
            .into(),
        vec![call("iam", "UpdateAccountPasswordPolicy", GLOBAL, target)],
    ))
}

fn plan_trail(r: &Resource) -> Option<Planned> {
    if r.attributes.get("log_file_validation")?.as_bool() == Some(true) {
        return None;
    }
    let home = r
        .attributes
        .get("home_region")
        .and_then(Value::as_str)
        .or(r.region.as_deref())?;
    Some((
        format!("turn on log file validation for trail {}", r.name),
        vec![call(
            "cloudtrail",
            "UpdateTrail",
            home,
            json!({"Name": r.id, "EnableLogFileValidation": true}),
        )],
    ))
}

fn plan_imds(r: &Resource, region: &str) -> Option<Planned> {
    let tokens = r.attributes.get("metadata_options")?.get("http_tokens")?;
    if tokens.as_str() == Some("required") {
        return None;
    }
    let id = r.attributes.get("instance_id")?.as_str()?;
    Some((
        format!("require IMDSv2 session tokens on instance {id}"),
        vec![call(
            "ec2",
            "ModifyInstanceMetadataOptions",
            region,
            json!({"InstanceId": id, "HttpTokens": "required"}),
        )],
    ))
}

/// Credentials and clients for applying fixes, in the caller's account or, through
/// the configured role, in others.
pub struct FixClients {
    caller: Scope,
    role_name: String,
    assumed: tokio::sync::Mutex<HashMap<String, SdkConfig>>,
}

impl std::fmt::Debug for FixClients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FixClients")
            .field("caller", &self.caller.account)
            .field("home_region", &self.caller.home_region)
            .finish_non_exhaustive()
    }
}

impl FixClients {
    /// Resolves credentials like [`crate::collect`] does.
    pub async fn new(opts: &AwsScanOptions) -> Result<Self, AwsError> {
        Ok(FixClients {
            caller: crate::caller_session(opts).await?,
            role_name: opts.role_name.clone(),
            assumed: tokio::sync::Mutex::new(HashMap::new()),
        })
    }

    /// The account of the credentials.
    pub fn caller_account(&self) -> &str {
        &self.caller.account
    }

    async fn scope(&self, account: Option<&str>) -> Result<Scope, AwsError> {
        let caller = &self.caller;
        let account = account.unwrap_or(&caller.account);
        let sdk = if account == caller.account {
            caller.sdk.clone()
        } else {
            let mut cache = self.assumed.lock().await;
            match cache.get(account) {
                Some(c) => c.clone(),
                None => {
                    let c = crate::assume(&caller.sdk, &caller.partition, account, &self.role_name)
                        .await
                        .map_err(|(_, reason)| AwsError::Fix(reason))?;
                    cache.insert(account.to_string(), c.clone());
                    c
                }
            }
        };
        Ok(caller.for_account(account.to_string(), sdk))
    }
}

/// Applies a plan: reads the state, runs the plan's calls in order, reads the
/// state again.
pub async fn apply(plan: &FixPlan, clients: &FixClients) -> Result<FixRecord, AwsError> {
    let scope = clients.scope(plan.account.as_deref()).await?;
    let state_rc = scope.region(&plan.region);
    let before = read_state(plan, &state_rc).await?;
    for c in &plan.calls {
        let rc = scope.region(&c.region);
        tracing::info!(call = %format!("{}:{}", c.service, c.operation), region = %c.region, resource = %plan.resource_id, "applying fix");
        execute(c, &rc).await?;
    }
    let after = read_state(plan, &state_rc).await?;
    Ok(FixRecord {
        plan: plan.clone(),
        before,
        after,
        applied_at: Utc::now(),
    })
}

fn param<'a>(c: &'a ApiCall, path: &str) -> Result<&'a Value, AwsError> {
    let mut cur = &c.parameters;
    for part in path.split('.') {
        cur = cur.get(part).ok_or_else(|| {
            AwsError::Fix(format!(
                "{}:{} plan lacks parameter `{path}`",
                c.service, c.operation
            ))
        })?;
    }
    Ok(cur)
}

fn param_str<'a>(c: &'a ApiCall, path: &str) -> Result<&'a str, AwsError> {
    param(c, path)?.as_str().ok_or_else(|| {
        AwsError::Fix(format!(
            "{}:{} parameter `{path}` is not a string",
            c.service, c.operation
        ))
    })
}

fn param_bool(c: &ApiCall, path: &str) -> Result<bool, AwsError> {
    param(c, path)?.as_bool().ok_or_else(|| {
        AwsError::Fix(format!(
            "{}:{} parameter `{path}` is not a boolean",
            c.service, c.operation
        ))
    })
}

fn param_i32(c: &ApiCall, path: &str) -> Result<i32, AwsError> {
    param(c, path)?
        .as_i64()
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| {
            AwsError::Fix(format!(
                "{}:{} parameter `{path}` is not an integer",
                c.service, c.operation
            ))
        })
}

/// An EC2 IP permission from its API-shaped JSON.
fn ip_permission(v: &Value) -> Result<IpPermission, AwsError> {
    let bad =
        |what: &str| AwsError::Fix(format!("ec2:RevokeSecurityGroupIngress permission {what}"));
    let mut b = IpPermission::builder().ip_protocol(
        v.get("IpProtocol")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("lacks IpProtocol"))?,
    );
    for (key, set) in [("FromPort", true), ("ToPort", false)] {
        if let Some(p) = v.get(key) {
            let p = p
                .as_i64()
                .and_then(|p| i32::try_from(p).ok())
                .ok_or_else(|| bad("has a bad port"))?;
            b = if set { b.from_port(p) } else { b.to_port(p) };
        }
    }
    for r in v
        .get("IpRanges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let cidr = r
            .get("CidrIp")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("has a bad IpRanges entry"))?;
        b = b.ip_ranges(IpRange::builder().cidr_ip(cidr).build());
    }
    for r in v
        .get("Ipv6Ranges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let cidr = r
            .get("CidrIpv6")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("has a bad Ipv6Ranges entry"))?;
        b = b.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build());
    }
    Ok(b.build())
}

fn api(e: ApiError) -> AwsError {
    AwsError::from(e)
}

/// Runs one planned call.
async fn execute(c: &ApiCall, rc: &Rc<'_>) -> Result<(), AwsError> {
    match (c.service.as_str(), c.operation.as_str()) {
        ("s3", "PutPublicAccessBlock") => {
            let cfg = aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(param_bool(
                    c,
                    "PublicAccessBlockConfiguration.BlockPublicAcls",
                )?)
                .ignore_public_acls(param_bool(
                    c,
                    "PublicAccessBlockConfiguration.IgnorePublicAcls",
                )?)
                .block_public_policy(param_bool(
                    c,
                    "PublicAccessBlockConfiguration.BlockPublicPolicy",
                )?)
                .restrict_public_buckets(param_bool(
                    c,
                    "PublicAccessBlockConfiguration.RestrictPublicBuckets",
                )?)
                .build();
            let s3c = rc.s3();
            rc.call(
                "s3",
                "PutPublicAccessBlock",
                s3c.put_public_access_block()
                    .bucket(param_str(c, "Bucket")?)
                    .public_access_block_configuration(cfg)
                    .send(),
            )
            .await
            .map_err(api)?;
        }
        ("s3", "PutBucketEncryption") => {
            use aws_sdk_s3::types::{
                ServerSideEncryption, ServerSideEncryptionByDefault,
                ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
            };
            let rules = param(c, "ServerSideEncryptionConfiguration.Rules")?
                .as_array()
                .ok_or_else(|| {
                    AwsError::Fix("s3:PutBucketEncryption Rules is not a list".into())
                })?;
            let mut conf = ServerSideEncryptionConfiguration::builder();
            for rule in rules {
                let algo = rule
                    .pointer("/ApplyServerSideEncryptionByDefault/SSEAlgorithm")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        AwsError::Fix("s3:PutBucketEncryption rule lacks SSEAlgorithm".into())
                    })?;
                let default = ServerSideEncryptionByDefault::builder()
                    .sse_algorithm(ServerSideEncryption::from(algo))
                    .build()
                    .map_err(|e| AwsError::Fix(format!("s3:PutBucketEncryption: {e}")))?;
                conf = conf.rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(default)
                        .build(),
                );
            }
            let conf = conf
                .build()
                .map_err(|e| AwsError::Fix(format!("s3:PutBucketEncryption: {e}")))?;
            let s3c = rc.s3();
            rc.call(
                "s3",
                "PutBucketEncryption",
                s3c.put_bucket_encryption()
                    .bucket(param_str(c, "Bucket")?)
                    .server_side_encryption_configuration(conf)
                    .send(),
            )
            .await
            .map_err(api)?;
        }
        ("ec2", "EnableEbsEncryptionByDefault") => {
            let ec2c = rc.ec2();
            rc.call(
                "ec2",
                "EnableEbsEncryptionByDefault",
                ec2c.enable_ebs_encryption_by_default().send(),
            )
            .await
            .map_err(api)?;
        }
        ("ec2", "RevokeSecurityGroupIngress") => {
            let perms = param(c, "IpPermissions")?
                .as_array()
                .ok_or_else(|| {
                    AwsError::Fix(
                        "ec2:RevokeSecurityGroupIngress IpPermissions is not a list".into(),
                    )
                })?
                .iter()
                .map(ip_permission)
                .collect::<Result<Vec<_>, _>>()?;
            let ec2c = rc.ec2();
            rc.call(
                "ec2",
                "RevokeSecurityGroupIngress",
                ec2c.revoke_security_group_ingress()
                    .group_id(param_str(c, "GroupId")?)
                    .set_ip_permissions(Some(perms))
                    .send(),
            )
            .await
            .map_err(api)?;
        }
        ("ec2", "ModifyInstanceMetadataOptions") => {
            let ec2c = rc.ec2();
            rc.call(
                "ec2",
                "ModifyInstanceMetadataOptions",
                ec2c.modify_instance_metadata_options()
                    .instance_id(param_str(c, "InstanceId")?)
                    .http_tokens(HttpTokensState::from(param_str(c, "HttpTokens")?))
                    .send(),
            )
            .await
            .map_err(api)?;
        }
        ("iam", "UpdateAccountPasswordPolicy") => {
            let iamc = rc.iam();
            rc.call(
                "iam",
                "UpdateAccountPasswordPolicy",
                iamc.update_account_password_policy()
                    .minimum_password_length(param_i32(c, "MinimumPasswordLength")?)
                    .require_symbols(param_bool(c, "RequireSymbols")?)
                    .require_numbers(param_bool(c, "RequireNumbers")?)
                    .require_uppercase_characters(param_bool(c, "RequireUppercaseCharacters")?)
                    .require_lowercase_characters(param_bool(c, "RequireLowercaseCharacters")?)
                    .allow_users_to_change_password(param_bool(c, "AllowUsersToChangePassword")?)
                    .max_password_age(param_i32(c, "MaxPasswordAge")?)
                    .password_reuse_prevention(param_i32(c, "PasswordReusePrevention")?)
                    .hard_expiry(param_bool(c, "HardExpiry")?)
                    .send(),
            )
            .await
            .map_err(api)?;
        }
        ("cloudtrail", "UpdateTrail") => {
            let ct = rc.cloudtrail();
            rc.call(
                "cloudtrail",
                "UpdateTrail",
                ct.update_trail()
                    .name(param_str(c, "Name")?)
                    .enable_log_file_validation(param_bool(c, "EnableLogFileValidation")?)
                    .send(),
            )
            .await
            .map_err(api)?;
        }
        (s, o) => return Err(AwsError::Fix(format!("unknown call {s}:{o} in plan"))),
    }
    Ok(())
}

/// The state a fix changes, read from the API (the model's attribute shapes).
async fn read_state(plan: &FixPlan, rc: &Rc<'_>) -> Result<Value, AwsError> {
    let first = plan
        .calls
        .first()
        .ok_or_else(|| AwsError::Fix("empty plan".into()))?;
    match plan.kind {
        FixKind::S3BlockPublicAccess => {
            let v = s3::public_access_block(rc, param_str(first, "Bucket")?)
                .await
                .map_err(api)?;
            Ok(json!({ "public_access_block": v }))
        }
        FixKind::S3DefaultEncryption => {
            let v = s3::encryption(rc, param_str(first, "Bucket")?)
                .await
                .map_err(api)?;
            Ok(json!({ "encryption": v }))
        }
        FixKind::EbsEncryptionByDefault => {
            let v = ec2::ebs_encryption_by_default(rc).await.map_err(api)?;
            Ok(json!({ "ebs_encryption_by_default": v }))
        }
        FixKind::SecurityGroupAdminPortsIpv4 | FixKind::SecurityGroupAdminPortsIpv6 => {
            let ec2c = rc.ec2();
            let out = rc
                .call(
                    "ec2",
                    "DescribeSecurityGroups",
                    ec2c.describe_security_groups()
                        .group_ids(param_str(first, "GroupId")?)
                        .send(),
                )
                .await
                .map_err(api)?;
            let ingress: Vec<Value> = out
                .security_groups()
                .first()
                .map(|g| g.ip_permissions().iter().map(ec2::rule).collect())
                .unwrap_or_default();
            Ok(json!({ "ingress": ingress }))
        }
        FixKind::IamPasswordPolicy => {
            let v = iam::password_policy(rc, &rc.iam()).await.map_err(api)?;
            Ok(json!({ "password_policy": v }))
        }
        FixKind::CloudTrailLogFileValidation => {
            let name = param_str(first, "Name")?;
            // A trail is described in its home region, where the update went.
            let trail_rc = rc.scope.region(&first.region);
            let ct = trail_rc.cloudtrail();
            let out = trail_rc
                .call(
                    "cloudtrail",
                    "DescribeTrails",
                    ct.describe_trails().trail_name_list(name).send(),
                )
                .await
                .map_err(api)?;
            let v = out
                .trail_list()
                .first()
                .map(|t| json!(t.log_file_validation_enabled().unwrap_or(false)))
                .unwrap_or(Value::Null);
            Ok(json!({ "log_file_validation": v }))
        }
        FixKind::Ec2RequireImdsv2 => {
            let ec2c = rc.ec2();
            let out = rc
                .call(
                    "ec2",
                    "DescribeInstances",
                    ec2c.describe_instances()
                        .instance_ids(param_str(first, "InstanceId")?)
                        .send(),
                )
                .await
                .map_err(api)?;
            let v = out
                .reservations()
                .iter()
                .flat_map(|r| r.instances())
                .next()
                .and_then(|i| i.metadata_options())
                .map(|m| {
                    json!({
                        "http_tokens": m.http_tokens().map(|t| t.as_str()),
                        "http_endpoint": m.http_endpoint().map(|t| t.as_str()),
                        "http_put_response_hop_limit": m.http_put_response_hop_limit(),
                    })
                })
                .unwrap_or(Value::Null);
            Ok(json!({ "metadata_options": v }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(kind: &str, id: &str, region: &str, attrs: Value) -> Resource {
        let mut r = Resource::new(kind, id, id.rsplit(['/', ':']).next().unwrap_or(id));
        r.account = Some("123456789012".into());
        r.region = Some(region.into());
        r.attributes = attrs;
        r
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn table_maps_codes_case_insensitively() {
        assert_eq!(fix_for("AWS-S3-001"), Some(FixKind::S3BlockPublicAccess));
        assert_eq!(
            fix_for("aws-ec2-001"),
            Some(FixKind::SecurityGroupAdminPortsIpv4)
        );
        assert_eq!(fix_for("AWS-IAM-017"), Some(FixKind::IamPasswordPolicy));
        assert_eq!(fix_for("AWS-S3-999"), None);
    }

    #[test]
    fn sg_plan_revokes_only_world_admin_entries() {
        let sg = res(
            "aws.ec2.security_group",
            "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1",
            "us-east-1",
            json!({"group_id": "sg-1", "ingress": [
                {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["0.0.0.0/0", "10.0.0.0/8"], "cidrs_v6": [], "source_groups": []},
                {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": [], "source_groups": []},
                {"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": [], "cidrs_v6": ["::/0"], "source_groups": []}
            ]}),
        );
        let p = block_on(plan("AWS-EC2-001", &sg)).unwrap();
        assert_eq!(p.calls.len(), 1);
        assert_eq!(
            p.calls[0].parameters,
            json!({"GroupId": "sg-1", "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            ]})
        );
        let p6 = block_on(plan("AWS-EC2-003", &sg)).unwrap();
        assert_eq!(
            p6.calls[0].parameters,
            json!({"GroupId": "sg-1", "IpPermissions": [
                {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}
            ]})
        );
        // The permission JSON converts back to an SDK value.
        let perm = ip_permission(&p.calls[0].parameters["IpPermissions"][0]).unwrap();
        assert_eq!(perm.from_port(), Some(22));
        assert_eq!(perm.ip_ranges()[0].cidr_ip(), Some("0.0.0.0/0"));
    }

    #[test]
    fn nothing_to_do_or_not_observed_means_no_plan() {
        let ok = res(
            "aws.s3.bucket",
            "arn:aws:s3:::b",
            "us-east-1",
            json!({"public_access_block": {
            "block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}}),
        );
        assert!(block_on(plan("AWS-S3-001", &ok)).is_none());
        let unseen = res("aws.s3.bucket", "arn:aws:s3:::b", "us-east-1", json!({}));
        assert!(block_on(plan("AWS-S3-001", &unseen)).is_none());
        assert!(block_on(plan("AWS-S3-005", &unseen)).is_none());
        let kms = res(
            "aws.s3.bucket",
            "arn:aws:s3:::b",
            "us-east-1",
            json!({"encryption": {"algorithm": "aws:kms"}}),
        );
        assert!(block_on(plan("AWS-S3-005", &kms)).is_none());
        // Wrong kind for the check.
        assert!(block_on(plan("AWS-EC2-005", &ok)).is_none());
        let acct = res(
            "aws.account",
            "arn:aws:iam::123456789012:root",
            "global",
            json!({}),
        );
        assert!(block_on(plan("AWS-IAM-005", &acct)).is_none());
    }

    #[test]
    fn password_policy_never_weakens() {
        let current = json!({"minimum_length": 20, "require_symbols": false, "require_numbers": true,
            "require_uppercase": true, "require_lowercase": true, "allow_users_to_change": false,
            "max_age_days": 30, "reuse_prevention": 5, "hard_expiry": true});
        assert_eq!(
            strong_password_policy(&current),
            json!({"MinimumPasswordLength": 20, "RequireSymbols": true, "RequireNumbers": true,
                "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true,
                "AllowUsersToChangePassword": false, "MaxPasswordAge": 30, "PasswordReusePrevention": 24,
                "HardExpiry": true})
        );
        let none = strong_password_policy(&Value::Null);
        assert_eq!(none["MinimumPasswordLength"], json!(14));
        assert_eq!(none["MaxPasswordAge"], json!(90));
        assert_eq!(none["AllowUsersToChangePassword"], json!(true));
        let acct = res(
            "aws.account",
            "arn:aws:iam::123456789012:root",
            "global",
            json!({"password_policy": null}),
        );
        let p = block_on(plan("AWS-IAM-016", &acct)).unwrap();
        assert_eq!(p.calls[0].operation, "UpdateAccountPasswordPolicy");
        assert_eq!(p.calls[0].parameters, none);
        let strong = json!({"minimum_length": 14, "require_symbols": true, "require_numbers": true,
            "require_uppercase": true, "require_lowercase": true, "allow_users_to_change": true,
            "max_age_days": 90, "reuse_prevention": 24, "hard_expiry": false});
        let acct = res(
            "aws.account",
            "arn:aws:iam::123456789012:root",
            "global",
            json!({"password_policy": strong}),
        );
        assert!(block_on(plan("AWS-IAM-005", &acct)).is_none());
    }

    #[test]
    fn trail_and_imds_plans() {
        let trail = res(
            "aws.cloudtrail.trail",
            "arn:aws:cloudtrail:eu-west-1:123456789012:trail/t",
            "eu-west-1",
            json!({"log_file_validation": false, "home_region": "eu-west-1"}),
        );
        let p = block_on(plan("AWS-CLOUDTRAIL-002", &trail)).unwrap();
        assert_eq!(p.calls[0].region, "eu-west-1");
        assert_eq!(
            p.calls[0].parameters,
            json!({"Name": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/t", "EnableLogFileValidation": true})
        );
        let inst = res(
            "aws.ec2.instance",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            "us-east-1",
            json!({"instance_id": "i-1", "metadata_options": {"http_tokens": "optional", "http_endpoint": "disabled"}}),
        );
        let p = block_on(plan("AWS-EC2-005", &inst)).unwrap();
        // The endpoint setting is left alone: a disabled endpoint stays disabled.
        assert_eq!(
            p.calls[0].parameters,
            json!({"InstanceId": "i-1", "HttpTokens": "required"})
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["kind"], json!("ec2-require-imdsv2"));
    }
}
