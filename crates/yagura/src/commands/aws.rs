//! `yagura scan aws`: the live collector, with progress on stderr.

use crate::cli::AwsArgs;
use crate::pipeline::Collected;
use crate::progress;
use anyhow::Result;
use yagura_aws::{AwsScanOptions, ProgressEvent};

pub fn options(args: &AwsArgs) -> AwsScanOptions {
    AwsScanOptions {
        profile: args.profile.clone(),
        regions: if args.region.is_empty() {
            None
        } else {
            Some(args.region.clone())
        },
        endpoint_url: args.endpoint_url.clone(),
        org: args.org,
        role_name: args.role_name.clone(),
        accounts: args.accounts.clone(),
        max_concurrency_per_service: args.concurrency.max(1),
        max_attempts: args.max_attempts.max(1),
        ..AwsScanOptions::default()
    }
}

pub async fn collect(args: &AwsArgs) -> Result<Collected> {
    let opts = options(args);
    let pb = progress::spinner("connecting to AWS");
    let done = std::sync::atomic::AtomicUsize::new(0);
    let on_progress = |e: ProgressEvent| match e {
        ProgressEvent::AccountStarted {
            account, regions, ..
        } => pb.set_message(format!("account {account}: {} region(s)", regions.len())),
        ProgressEvent::TaskFinished {
            account,
            region,
            service,
            ..
        } => {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            pb.set_message(format!(
                "{n} service scans done (last: {service} in {region}, {account})"
            ))
        }
        ProgressEvent::AccountSkipped { account, reason } => {
            tracing::warn!("account {account} skipped: {reason}")
        }
    };
    let c = yagura_aws::collect(&opts, &on_progress).await?;
    pb.finish_and_clear();
    eprintln!(
        "collected {} resources from {} account(s) in {} region(s) with {} API calls; {} not assessed",
        c.resources.len(),
        c.accounts.len(),
        c.regions.len(),
        c.api_calls,
        c.not_assessed.len()
    );
    let mut accounts = c.accounts.clone();
    accounts.sort();
    let scope = if args.org || !args.accounts.is_empty() {
        format!("aws-org:{}", accounts.join(","))
    } else {
        format!("aws:{}", accounts.join(","))
    };
    let mut targets: Vec<String> = accounts.iter().map(|a| format!("aws:{a}")).collect();
    targets.extend(c.regions.iter().map(|r| format!("region:{r}")));
    Ok(Collected {
        kind: "aws".into(),
        scope,
        targets,
        resources: c.resources,
        not_assessed: c.not_assessed,
        errors: vec![],
        findings: Vec::new(),
        inline_suppressions: Vec::new(),
    })
}
