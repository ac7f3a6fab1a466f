//! `yagura fix`: remediation, only for allowlisted checks, with a dry run that
//! prints the exact API calls. Every planned or applied change is recorded in the
//! store with the state before and after it.

use crate::cli::{CommonScanArgs, FixCmd};
use crate::pipeline;
use anyhow::{bail, Context, Result};
use chrono::Utc;
use std::collections::{HashMap, HashSet};
use std::process::ExitCode;
use yagura_aws::fix::{self, FixClients, FixPlan};
use yagura_model::{Resource, Status};
use yagura_store::{RemediationRecord, Store};

pub async fn run(cmd: FixCmd) -> Result<ExitCode> {
    let config = pipeline::load_config(cmd.config.as_deref())?;
    // The command line narrows or replaces the file's allowlist; nothing is fixed
    // unless one of them names it.
    let allow: Vec<String> = if cmd.checks.is_empty() {
        config.fix_allow.clone()
    } else {
        cmd.checks.clone()
    };
    if allow.is_empty() {
        bail!("nothing is allowlisted for remediation: name checks with --check CODE or under `fix.allow` in yagura.yaml");
    }
    let fixable: Vec<&str> = fix::FIXES.iter().map(|(c, _)| *c).collect();
    let mut allowed = Vec::new();
    for code in &allow {
        let Some(check) = yagura_checks::find(code) else {
            bail!("unknown check `{code}`");
        };
        if fix::fix_for(check.code).is_none() {
            bail!(
                "check {} has no automatic remediation; these do: {}",
                check.code,
                fixable.join(", ")
            );
        }
        allowed.push(check.code.to_string());
    }

    let (findings, resources) = match &cmd.scan {
        Some(id) => {
            let store = Store::open(&pipeline::store_path(cmd.db.as_deref()))?;
            let report = store.load_scan(id)?;
            (report.findings, store.resources_of(id)?)
        }
        None => {
            let started = Utc::now();
            let collected = super::aws::collect(&cmd.aws).await?;
            let common = CommonScanArgs {
                checks: allowed.clone(),
                config: cmd.config.clone(),
                no_store: true,
                ..Default::default()
            };
            let (report, resources) = pipeline::evaluate(collected, &common, started)?;
            (report.findings, resources)
        }
    };
    let by_id: HashMap<&str, &Resource> = resources.iter().map(|r| (r.id.as_str(), r)).collect();

    let mut plans: Vec<FixPlan> = Vec::new();
    let mut seen = HashSet::new();
    let mut skipped = 0usize;
    for f in findings
        .iter()
        .filter(|f| f.status == Status::Fail && allowed.contains(&f.check))
    {
        if let Some(m) = &f.muted {
            eprintln!(
                "skip {} on {}: muted ({})",
                f.check, f.resource.id, m.reason
            );
            skipped += 1;
            continue;
        }
        let Some(r) = by_id.get(f.resource.id.as_str()) else {
            eprintln!(
                "skip {} on {}: the resource is not in the scan",
                f.check, f.resource.id
            );
            skipped += 1;
            continue;
        };
        match fix::plan(&f.check, r).await {
            Some(p) => {
                // Several checks can share one fix (the password policy): apply it once.
                if seen.insert((format!("{:?}", p.kind), p.resource_id.clone())) {
                    plans.push(p);
                }
            }
            None => {
                eprintln!(
                    "skip {} on {}: nothing to change, or its current state was not observed",
                    f.check, f.resource.id
                );
                skipped += 1;
            }
        }
    }
    if plans.is_empty() {
        eprintln!("nothing to fix ({skipped} failing finding(s) skipped)");
        return Ok(ExitCode::SUCCESS);
    }

    let mut store = Store::open(&pipeline::store_path(cmd.db.as_deref()))?;
    if cmd.dry_run {
        for p in &plans {
            println!("# {} — {} ({})", p.check, p.summary, p.resource_id);
            for c in &p.calls {
                println!(
                    "{}:{} region={} {}",
                    c.service, c.operation, c.region, c.parameters
                );
            }
            store.record_remediation(&record(
                p,
                true,
                "planned",
                serde_json::Value::Null,
                serde_json::Value::Null,
                None,
            ))?;
        }
        eprintln!("dry run: {} fix(es) planned, nothing changed", plans.len());
        return Ok(ExitCode::SUCCESS);
    }

    let clients = FixClients::new(&super::aws::options(&cmd.aws))
        .await
        .context("connecting to AWS for remediation")?;
    let mut failed = 0usize;
    for p in &plans {
        match fix::apply(p, &clients).await {
            Ok(rec) => {
                println!("fixed {} on {}: {}", p.check, p.resource_id, p.summary);
                store.record_remediation(&record(
                    p, false, "applied", rec.before, rec.after, None,
                ))?;
            }
            Err(e) => {
                eprintln!("FAILED {} on {}: {e}", p.check, p.resource_id);
                failed += 1;
                store.record_remediation(&record(
                    p,
                    false,
                    "failed",
                    serde_json::Value::Null,
                    serde_json::Value::Null,
                    Some(e.to_string()),
                ))?;
            }
        }
    }
    eprintln!(
        "{} fix(es) applied, {failed} failed, {skipped} skipped",
        plans.len() - failed
    );
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn record(
    p: &FixPlan,
    dry_run: bool,
    status: &str,
    before: serde_json::Value,
    after: serde_json::Value,
    error: Option<String>,
) -> RemediationRecord {
    RemediationRecord {
        time: Utc::now(),
        check: p.check.clone(),
        resource_id: p.resource_id.clone(),
        account: p.account.clone(),
        region: Some(p.region.clone()),
        dry_run,
        calls: serde_json::to_value(&p.calls).unwrap_or(serde_json::Value::Null),
        before,
        after,
        status: status.to_string(),
        error,
    }
}
