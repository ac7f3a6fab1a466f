//! The live AWS collector behind `yagura scan aws`, and opt-in remediation ([`fix`]).
//!
//! [`collect`] resolves credentials like the AWS CLI, finds the accounts (the
//! caller's, or an organization's through AssumeRole) and their enabled regions,
//! and reads every service of every region concurrently, under a per-service
//! concurrency limit and adaptive retries. It produces normalized
//! [`yagura_model::Resource`]s following `docs/resource-model.md`.
//!
//! Nothing is dropped silently: an API that is denied, not opted in to or not
//! supported by the endpoint becomes a [`NotAssessedTarget`] (`aws:ACCOUNT:REGION:SERVICE`)
//! and its service is left out of the `observed` list of the `aws.region` resource;
//! a failed per-resource call leaves that attribute absent and records a target
//! naming the resource and the call.
//!
//! `observed` semantics: on `aws.region`, the services whose inventory was read
//! completely in that region; on `aws.account`, the global services read completely
//! (`iam`, `s3`) plus the regional services read completely in *every* scanned region.

mod ctx;
mod ec2;
mod error;
pub mod fix;
mod iam;
mod region;
mod s3;
mod svc;
mod util;

pub use aws_credential_types::Credentials;
pub use error::AwsError;

use crate::ctx::{list_pages, Limits, Part, Rc, Scope, GLOBAL};
use aws_config::BehaviorVersion;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::region::Region;
use aws_types::SdkConfig;
use futures::future::{join_all, BoxFuture, FutureExt};
use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use yagura_model::{NotAssessedTarget, Resource};

/// The role assumed in member accounts unless told otherwise.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";

/// Region used for global APIs when neither the options nor the profile name one.
const FALLBACK_REGION: &str = "us-east-1";

/// How many accounts are collected at the same time.
const ACCOUNT_CONCURRENCY: usize = 4;

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct AwsScanOptions {
    /// Named profile (`--profile`); otherwise the default credential chain.
    pub profile: Option<String>,
    /// Region for global APIs (STS, IAM, S3 listing, DescribeRegions); defaults to the
    /// profile's or environment's region, else us-east-1.
    pub region: Option<String>,
    /// Regions to scan; default: every region enabled for the account.
    pub regions: Option<Vec<String>>,
    /// Endpoint override (`--endpoint-url`); `AWS_ENDPOINT_URL` is honoured otherwise.
    pub endpoint_url: Option<String>,
    /// Scan every active account of the organization.
    pub org: bool,
    /// Role assumed in accounts other than the caller's.
    pub role_name: String,
    /// Explicit account ids to scan (through `role_name`); overrides `org` discovery.
    pub accounts: Vec<String>,
    /// Concurrent calls per account, region and service.
    pub max_concurrency_per_service: usize,
    /// Attempts per call, including the first (adaptive retry mode).
    pub max_attempts: u32,
    /// Explicit credentials instead of the default chain (tests, embedding).
    pub credentials: Option<Credentials>,
}

impl Default for AwsScanOptions {
    fn default() -> Self {
        AwsScanOptions {
            profile: None,
            region: None,
            regions: None,
            endpoint_url: None,
            org: false,
            role_name: DEFAULT_ROLE_NAME.to_string(),
            accounts: Vec::new(),
            max_concurrency_per_service: 8,
            max_attempts: 3,
            credentials: None,
        }
    }
}

/// Everything one collection produced.
#[derive(Debug, Default)]
pub struct Collection {
    pub resources: Vec<Resource>,
    pub not_assessed: Vec<NotAssessedTarget>,
    /// Accounts that were collected (at least in part).
    pub accounts: Vec<String>,
    /// Regions that were scanned in at least one account.
    pub regions: Vec<String>,
    /// HTTP requests sent, retries included.
    pub api_calls: u64,
}

/// Progress of a collection, for a progress bar or log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEvent {
    /// An account's regions are known; `tasks` [`ProgressEvent::TaskFinished`] events follow.
    AccountStarted {
        account: String,
        regions: Vec<String>,
        tasks: usize,
    },
    /// One service (or settings group) of one region finished. `region` is
    /// `"global"` for account-wide services.
    TaskFinished {
        account: String,
        region: String,
        service: String,
        resources: usize,
        complete: bool,
    },
    /// An account could not be scanned at all.
    AccountSkipped { account: String, reason: String },
}

/// Loads the SDK configuration as the AWS CLI would, and checks that credentials
/// can be obtained.
pub(crate) async fn load_config(opts: &AwsScanOptions) -> Result<SdkConfig, AwsError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(60))
                .build(),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &opts.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &opts.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    if let Some(c) = &opts.credentials {
        loader = loader.credentials_provider(c.clone());
    }
    let mut cfg = loader.load().await;
    if cfg.region().is_none() {
        cfg = cfg
            .to_builder()
            .region(Region::new(FALLBACK_REGION))
            .build();
    }
    let no_creds = |reason: String| AwsError::NoCredentials {
        profile: opts.profile.clone(),
        reason,
    };
    let provider = cfg
        .credentials_provider()
        .ok_or_else(|| no_creds("no credential provider is configured".into()))?;
    provider
        .provide_credentials()
        .await
        .map_err(|e| no_creds(DisplayErrorContext(&e).to_string()))?;
    Ok(cfg)
}

/// Whether credentials can be loaded for `profile` (or the default chain), so a bare
/// `yagura scan` knows whether to scan AWS. Gives up after 10 seconds.
pub async fn credentials_available(profile: Option<&str>) -> bool {
    let opts = AwsScanOptions {
        profile: profile.map(str::to_string),
        ..AwsScanOptions::default()
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(10), load_config(&opts)).await,
        Ok(Ok(_))
    )
}

/// Collects every account and region in scope. Fails only when nothing can be
/// scanned: no credentials, or `sts:GetCallerIdentity` fails.
pub async fn collect(
    opts: &AwsScanOptions,
    progress: &(dyn Fn(ProgressEvent) + Sync),
) -> Result<Collection, AwsError> {
    let caller = caller_session(opts).await?;
    tracing::info!(account = %caller.account, partition = %caller.partition, "AWS credentials resolved");

    let mut out = Collection::default();
    let (accounts, skipped) = target_accounts(&caller, opts).await;
    out.not_assessed.extend(skipped);

    let scopes = join_all(accounts.into_iter().map(|acct| {
        let base = &caller.sdk;
        let role = &opts.role_name;
        let partition = &caller.partition;
        let caller = &caller.account;
        async move {
            if acct == *caller {
                return Ok((acct, base.clone()));
            }
            if acct.len() != 12 || !acct.bytes().all(|b| b.is_ascii_digit()) {
                return Err((acct, "not a 12-digit AWS account id".to_string()));
            }
            assume(base, partition, &acct, role)
                .await
                .map(|sdk| (acct, sdk))
        }
    }))
    .await;

    let mut ready = Vec::new();
    for s in scopes {
        match s {
            Ok((acct, sdk)) => ready.push(caller.for_account(acct, sdk)),
            Err((acct, reason)) => {
                tracing::warn!(account = %acct, "{reason}");
                progress(ProgressEvent::AccountSkipped {
                    account: acct.clone(),
                    reason: reason.clone(),
                });
                out.not_assessed.push(NotAssessedTarget {
                    target: format!("aws:{acct}"),
                    reason,
                });
            }
        }
    }

    let requested = opts.regions.as_deref();
    let results: Vec<AccountOut> = stream::iter(ready.iter())
        .map(|scope| collect_account(scope, requested, progress))
        .buffer_unordered(ACCOUNT_CONCURRENCY)
        .collect()
        .await;

    let mut regions = BTreeSet::new();
    for r in results {
        out.accounts.push(r.account);
        regions.extend(r.regions);
        out.resources.extend(r.resources);
        out.not_assessed.extend(r.not_assessed);
    }
    out.accounts.sort();
    out.regions = regions.into_iter().collect();
    out.resources.sort_by(|a, b| {
        (&a.account, &a.region, &a.kind, &a.id).cmp(&(&b.account, &b.region, &b.kind, &b.id))
    });
    out.not_assessed
        .sort_by(|a, b| (&a.target, &a.reason).cmp(&(&b.target, &b.reason)));
    out.not_assessed.dedup();
    out.api_calls = caller.calls.load(Ordering::Relaxed);
    Ok(out)
}

/// Loads the configuration and identifies the credentials: the scope of the
/// caller's account, whose concurrency limits and call counter every account of
/// the run shares (see [`Scope::for_account`]).
pub(crate) async fn caller_session(opts: &AwsScanOptions) -> Result<Scope, AwsError> {
    let sdk = load_config(opts).await?;
    let home_region = sdk
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| FALLBACK_REGION.to_string());
    let mut scope = Scope {
        account: "caller".into(),
        partition: "aws".into(),
        sdk,
        home_region,
        limits: Arc::new(Limits::new(opts.max_concurrency_per_service)),
        calls: Arc::new(AtomicU64::new(0)),
    };
    let (account, partition) = caller_identity(&scope.region(GLOBAL)).await?;
    scope.account = account;
    scope.partition = partition;
    Ok(scope)
}

/// `(account id, partition)` of the credentials.
async fn caller_identity(rc: &Rc<'_>) -> Result<(String, String), AwsError> {
    let sts = rc.sts();
    let out = rc
        .call("sts", "GetCallerIdentity", sts.get_caller_identity().send())
        .await
        .map_err(AwsError::from)?;
    let account = out
        .account()
        .map(str::to_string)
        .ok_or_else(|| AwsError::Api {
            service: "sts".into(),
            operation: "GetCallerIdentity".into(),
            region: rc.api_region.clone(),
            detail: "the response names no account".into(),
        })?;
    let partition = out
        .arn()
        .and_then(util::partition_of)
        .unwrap_or("aws")
        .to_string();
    Ok((account, partition))
}

/// The accounts to scan, and targets for a failed organization listing.
async fn target_accounts(
    caller: &Scope,
    opts: &AwsScanOptions,
) -> (Vec<String>, Vec<NotAssessedTarget>) {
    if !opts.accounts.is_empty() {
        let mut v = opts.accounts.clone();
        v.sort();
        v.dedup();
        return (v, vec![]);
    }
    if !opts.org {
        return (vec![caller.account.clone()], vec![]);
    }
    let rc = caller.region(GLOBAL);
    let org = rc.organizations();
    match list_pages!(rc, "organizations", "ListAccounts", org.list_accounts()).await {
        Ok(pages) => {
            let mut v: Vec<String> = pages
                .iter()
                .flat_map(|p| p.accounts())
                .filter(|a| a.status().is_none_or(|s| s.as_str() == "ACTIVE"))
                .filter_map(|a| a.id().map(str::to_string))
                .collect();
            if v.is_empty() {
                v.push(caller.account.clone());
            }
            v.sort();
            (v, vec![])
        }
        Err(e) => (
            vec![caller.account.clone()],
            vec![NotAssessedTarget {
                target: rc.target("organizations"),
                reason: format!(
                    "{}: {}; only the caller's account was scanned",
                    e.call(),
                    e.describe()
                ),
            }],
        ),
    }
}

/// Credentials for `account` through `role`, refreshed automatically. `Err` carries
/// the account and the reason.
async fn assume(
    base: &SdkConfig,
    partition: &str,
    account: &str,
    role: &str,
) -> Result<SdkConfig, (String, String)> {
    let arn = format!("arn:{partition}:iam::{account}:role/{role}");
    let provider = aws_config::sts::AssumeRoleProvider::builder(&arn)
        .session_name("yagura-scan")
        .configure(base)
        .build()
        .await;
    match provider.provide_credentials().await {
        Ok(_) => Ok(base
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build()),
        Err(e) => Err((
            account.to_string(),
            format!("sts:AssumeRole {arn} failed: {}", DisplayErrorContext(&e)),
        )),
    }
}

struct AccountOut {
    account: String,
    regions: Vec<String>,
    resources: Vec<Resource>,
    not_assessed: Vec<NotAssessedTarget>,
}

/// Which regions to scan, given the request and what DescribeRegions said.
#[derive(Debug, PartialEq)]
pub(crate) struct RegionPlan {
    pub scan: Vec<String>,
    /// Enabled regions (for the account's `regions`), when known.
    pub enabled: Option<Vec<String>>,
    /// `(region, reason)` for regions left out.
    pub skipped: Vec<(String, String)>,
}

/// `described`: `(region, opt-in status)` from DescribeRegions, `None` if it failed.
pub(crate) fn plan_regions(
    requested: Option<&[String]>,
    described: Option<&[(String, String)]>,
    home: &str,
) -> RegionPlan {
    let is_enabled = |status: &str| status != "not-opted-in";
    let enabled: Option<Vec<String>> = described.map(|d| {
        let mut v: Vec<String> = d
            .iter()
            .filter(|(_, s)| is_enabled(s))
            .map(|(r, _)| r.clone())
            .collect();
        v.sort();
        v
    });
    let mut skipped = Vec::new();
    let scan = match (requested, described) {
        (Some(req), Some(d)) => req
            .iter()
            .filter(|r| match d.iter().find(|(n, _)| n == *r) {
                Some((_, s)) if !is_enabled(s) => {
                    skipped.push((
                        (*r).clone(),
                        format!("region is not enabled for the account (opt-in status: {s})"),
                    ));
                    false
                }
                Some(_) => true,
                None => {
                    skipped.push((
                        (*r).clone(),
                        "region is unknown to the account (not in DescribeRegions)".into(),
                    ));
                    false
                }
            })
            .cloned()
            .collect(),
        (Some(req), None) => req.to_vec(),
        (None, Some(d)) => {
            for (r, s) in d.iter().filter(|(_, s)| !is_enabled(s)) {
                skipped.push((
                    r.clone(),
                    format!("region is not enabled for the account (opt-in status: {s})"),
                ));
            }
            enabled.clone().unwrap_or_default()
        }
        (None, None) => vec![home.to_string()],
    };
    let mut scan = scan;
    scan.sort();
    scan.dedup();
    skipped.sort();
    RegionPlan {
        scan,
        enabled,
        skipped,
    }
}

async fn describe_regions(rc: &Rc<'_>) -> Result<Vec<(String, String)>, error::ApiError> {
    let ec2 = rc.ec2();
    let out = rc
        .call(
            "ec2",
            "DescribeRegions",
            ec2.describe_regions().all_regions(true).send(),
        )
        .await?;
    Ok(out
        .regions()
        .iter()
        .filter_map(|r| {
            r.region_name().map(|n| {
                (
                    n.to_string(),
                    r.opt_in_status()
                        .unwrap_or("opt-in-not-required")
                        .to_string(),
                )
            })
        })
        .collect())
}

/// The services of one region, each a task reported to `progress` when done.
fn region_tasks<'a>(rc: &'a Rc<'a>) -> Vec<(&'static str, BoxFuture<'a, Part>)> {
    vec![
        ("region-settings", region::settings(rc).boxed()),
        ("ec2", ec2::collect(rc).boxed()),
        ("kms", svc::kms::collect(rc).boxed()),
        ("cloudtrail", svc::cloudtrail::collect(rc).boxed()),
        ("rds", svc::rds::collect(rc).boxed()),
        ("efs", svc::efs::collect(rc).boxed()),
        ("logs", svc::logs::collect_logs(rc).boxed()),
        ("cloudwatch", svc::logs::collect_alarms(rc).boxed()),
        ("sns", svc::sns::collect(rc).boxed()),
        ("sqs", svc::sqs::collect(rc).boxed()),
        ("lambda", svc::lambda::collect(rc).boxed()),
        ("elbv2", svc::elbv2::collect(rc).boxed()),
        ("ecr", svc::ecr::collect(rc).boxed()),
        ("eks", svc::eks::collect(rc).boxed()),
        ("dynamodb", svc::dynamodb::collect(rc).boxed()),
        ("secretsmanager", svc::secretsmanager::collect(rc).boxed()),
    ]
}

const GLOBAL_TASKS: usize = 3;

async fn run_task(
    rc: &Rc<'_>,
    name: &'static str,
    fut: BoxFuture<'_, Part>,
    progress: &(dyn Fn(ProgressEvent) + Sync),
) -> Part {
    let part = fut.await;
    progress(ProgressEvent::TaskFinished {
        account: rc.scope.account.clone(),
        region: rc.region.clone(),
        service: name.to_string(),
        resources: part.resources.len(),
        complete: part.attempted.iter().all(|s| part.complete.contains(s))
            && part.not_assessed.is_empty(),
    });
    part
}

async fn collect_region(rc: Rc<'_>, progress: &(dyn Fn(ProgressEvent) + Sync)) -> (String, Part) {
    let tasks = region_tasks(&rc);
    let part = Part::join(
        tasks
            .into_iter()
            .map(|(name, fut)| run_task(&rc, name, fut, progress)),
    )
    .await;
    (rc.region.clone(), part)
}

fn observed(services: impl IntoIterator<Item = &'static str>) -> Value {
    let set: BTreeSet<&str> = services.into_iter().collect();
    json!(set.into_iter().collect::<Vec<_>>())
}

async fn collect_account(
    scope: &Scope,
    requested: Option<&[String]>,
    progress: &(dyn Fn(ProgressEvent) + Sync),
) -> AccountOut {
    let global = scope.region(GLOBAL);
    let mut not_assessed = Vec::new();
    let described = match describe_regions(&global).await {
        Ok(d) => Some(d),
        Err(e) => {
            not_assessed.push(NotAssessedTarget {
                target: global.target("ec2"),
                reason: format!(
                    "{}: {}; enabled regions unknown{}",
                    e.call(),
                    e.describe(),
                    if requested.is_some() {
                        ""
                    } else {
                        ", only the home region was scanned"
                    }
                ),
            });
            None
        }
    };
    let plan = plan_regions(requested, described.as_deref(), &scope.home_region);
    for (r, reason) in &plan.skipped {
        not_assessed.push(NotAssessedTarget {
            target: format!("aws:{}:{r}", scope.account),
            reason: reason.clone(),
        });
    }
    progress(ProgressEvent::AccountStarted {
        account: scope.account.clone(),
        regions: plan.scan.clone(),
        tasks: GLOBAL_TASKS + plan.scan.len() * region_tasks(&global).len(),
    });

    let global_work = async {
        let (settings, iam_part, s3_part) = tokio::join!(
            run_task(
                &global,
                "account-settings",
                iam::account_settings(&global).boxed(),
                progress
            ),
            run_task(&global, "iam", iam::collect(&global).boxed(), progress),
            run_task(
                &global,
                "s3",
                s3::collect(&global, &plan.scan).boxed(),
                progress
            ),
        );
        let mut p = settings;
        p.merge(iam_part);
        p.merge(s3_part);
        p
    };
    let regional_work = join_all(
        plan.scan
            .iter()
            .map(|r| collect_region(scope.region(r), progress)),
    );
    let (global_part, regional) = tokio::join!(global_work, regional_work);

    let mut resources = Vec::new();
    let mut region_complete: Vec<Vec<&'static str>> = Vec::new();
    let mut regional_attempted: BTreeSet<&'static str> = BTreeSet::new();
    for (region, part) in regional {
        let rc = scope.region(&region);
        let mut r = rc.resource("aws.region", region::region_arn(&rc), &region);
        for (k, v) in part.settings {
            r.set(&k, v);
        }
        r.set("observed", observed(part.complete.iter().copied()));
        regional_attempted.extend(part.attempted.iter().copied());
        region_complete.push(part.complete);
        resources.push(r);
        resources.extend(part.resources);
        not_assessed.extend(part.not_assessed);
    }

    // A regional service counts for the account only when every region read it.
    let everywhere = regional_attempted
        .into_iter()
        .filter(|s| !region_complete.is_empty() && region_complete.iter().all(|c| c.contains(s)));
    let mut account = global.resource("aws.account", iam::account_arn(&global), &scope.account);
    for (k, v) in global_part.settings {
        account.set(&k, v);
    }
    if let Some(enabled) = &plan.enabled {
        account.set("regions", json!(enabled));
    }
    account.set(
        "observed",
        observed(global_part.complete.iter().copied().chain(everywhere)),
    );
    resources.push(account);
    resources.extend(global_part.resources);
    not_assessed.extend(global_part.not_assessed);

    AccountOut {
        account: scope.account.clone(),
        regions: plan.scan,
        resources,
        not_assessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<(String, String)> {
        vec![
            ("us-east-1".into(), "opt-in-not-required".into()),
            ("eu-west-1".into(), "opt-in-not-required".into()),
            ("ap-east-1".into(), "not-opted-in".into()),
            ("me-south-1".into(), "opted-in".into()),
        ]
    }

    #[test]
    fn all_enabled_regions_by_default() {
        let d = regions();
        let p = plan_regions(None, Some(&d), "us-east-1");
        assert_eq!(p.scan, vec!["eu-west-1", "me-south-1", "us-east-1"]);
        assert_eq!(
            p.enabled,
            Some(vec![
                "eu-west-1".into(),
                "me-south-1".into(),
                "us-east-1".into()
            ])
        );
        assert_eq!(
            p.skipped,
            vec![(
                "ap-east-1".to_string(),
                "region is not enabled for the account (opt-in status: not-opted-in)".to_string()
            )]
        );
    }

    #[test]
    fn requested_regions_are_checked() {
        let d = regions();
        let req = vec![
            "eu-west-1".to_string(),
            "ap-east-1".to_string(),
            "xx-none-1".to_string(),
        ];
        let p = plan_regions(Some(&req), Some(&d), "us-east-1");
        assert_eq!(p.scan, vec!["eu-west-1"]);
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.skipped[0].0, "ap-east-1");
        assert_eq!(p.skipped[1].0, "xx-none-1");
    }

    #[test]
    fn describe_failure_falls_back() {
        let p = plan_regions(None, None, "eu-central-1");
        assert_eq!(p.scan, vec!["eu-central-1"]);
        assert_eq!(p.enabled, None);
        let req = vec!["us-west-2".to_string()];
        assert_eq!(
            plan_regions(Some(&req), None, "eu-central-1").scan,
            vec!["us-west-2"]
        );
    }

    #[test]
    fn observed_is_sorted_and_unique() {
        assert_eq!(observed(["sns", "iam", "sns"]), json!(["iam", "sns"]));
    }
}
