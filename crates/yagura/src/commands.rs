use crate::cli::{
    ChecksCmd, Cli, Command, CommonScanArgs, FindingsCmd, FrameworksCmd, ScanCmd, ScanTarget,
};
use crate::pipeline::{self, Collected};
use crate::progress;
use anyhow::{bail, Context, Result};
use chrono::Utc;
use std::io::Write;
use std::process::ExitCode;
use yagura_store::Store;

mod aws;
mod fix;
mod iac;
mod malware;
mod runtime;
mod vuln;

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let vuln_db = cli.vuln_db.clone();
    match cli.command {
        Command::Scan(scan) => run_scan(scan, vuln_db.as_deref()).await,
        Command::Sbom(cmd) => vuln::sbom(cmd),
        Command::Db(cmd) => vuln::db(cmd, vuln_db.as_deref()),
        Command::Checks(c) => checks(c),
        Command::Findings(f) => findings(f),
        Command::Frameworks(f) => frameworks(f),
        Command::Fix(f) => fix::run(f).await,
        Command::Agent(crate::cli::AgentCmd::Malware(a)) => malware::agent(a),
        Command::Agent(a) => runtime::agent(a),
        Command::Quarantine(q) => malware::quarantine(q),
        Command::Runtime(r) => runtime::runtime(r),
    }
}

async fn run_scan(scan: ScanCmd, vuln_db: Option<&std::path::Path>) -> Result<ExitCode> {
    let common = scan.common;
    // Bad flags fail before any work is done.
    pipeline::formats(&vuln::split_sbom_formats(&common).0)?;
    pipeline::fail_on(&common)?;
    let started = Utc::now();
    let collected = match scan.target {
        Some(ScanTarget::Aws { aws }) => aws::collect(&aws).await?,
        Some(ScanTarget::AwsConfig { path }) => collect_aws_config(&path)?,
        Some(ScanTarget::Iac {
            paths,
            iac: args,
            secrets,
            no_secrets,
        }) => iac::collect_iac(
            &paths,
            &args,
            (!no_secrets).then_some(&secrets),
            common.config.as_deref(),
        )?,
        Some(ScanTarget::Secrets { paths, secrets }) => {
            iac::collect_secrets(&paths, &secrets, common.config.as_deref())?
        }
        Some(ScanTarget::Malware {
            targets,
            host,
            malware: args,
        }) => malware::collect(&targets, host, &args, &common)?,
        Some(ScanTarget::Vuln {
            targets,
            vuln: args,
        }) => {
            let targets = vuln::targets(&targets)?;
            let scan = vuln::collect(vuln::Request {
                kind: "vuln",
                targets: &targets,
                args: &args,
                vuln_db,
                config: common.config.as_deref(),
                required: true,
                host_skip: None,
            })?;
            return finish_vuln(scan, &common, started);
        }
        Some(ScanTarget::Host { vuln: args }) => {
            let scan = vuln::collect(vuln::Request {
                kind: "host",
                targets: &[yagura_inventory::Target::Host],
                args: &args,
                vuln_db,
                config: None,
                required: true,
                host_skip: None,
            })?;
            return finish_vuln(scan, &common, started);
        }
        Some(ScanTarget::Image {
            image,
            vuln: args,
            no_secrets,
        }) => {
            let target = yagura_inventory::Target::Image(image.clone());
            let mut scan = vuln::collect(vuln::Request {
                kind: "image",
                targets: &[target],
                args: &args,
                vuln_db,
                config: common.config.as_deref(),
                required: true,
                host_skip: None,
            })?;
            if !no_secrets {
                let found = iac::collect_image_secrets(&image)?;
                scan.collected.findings.extend(found.findings);
                scan.collected.errors.extend(found.errors);
                scan.collected.not_assessed.extend(found.not_assessed);
            }
            return finish_vuln(scan, &common, started);
        }
        None => return scan_everything(&common, vuln_db).await,
    };
    finish(collected, &common, started)
}

/// Evaluates, stores and renders a vulnerability scan; `cyclonedx` output is
/// made here from the whole inventory.
fn finish_vuln(
    scan: vuln::VulnScan,
    common: &CommonScanArgs,
    started: chrono::DateTime<Utc>,
) -> Result<ExitCode> {
    let (rest, wants_cdx) = vuln::split_sbom_formats(common);
    let (mut report, resources) = pipeline::evaluate(scan.collected, common, started)?;
    let threshold = pipeline::fail_on(common)?;
    pipeline::store(&mut report, &resources, common)?;
    if wants_cdx {
        let doc = vuln::cyclonedx_with_vulns(&report.scope, &scan.inventories, &scan.matches);
        vuln::write_output(
            common.output.as_deref(),
            "yagura.cdx.json",
            &doc,
            !rest.format.is_empty(),
        )?;
    }
    if !wants_cdx || !rest.format.is_empty() {
        pipeline::render(&report, &pipeline::formats(&rest)?, &rest)?;
    }
    Ok(pipeline::exit_code(&report, threshold))
}

fn finish(
    collected: Collected,
    common: &CommonScanArgs,
    started: chrono::DateTime<Utc>,
) -> Result<ExitCode> {
    let (report, resources) = pipeline::evaluate(collected, common, started)?;
    pipeline::finish(report, &resources, common)
}

/// A bare `yagura scan`: every target this machine offers, and what was skipped.
async fn scan_everything(
    common: &CommonScanArgs,
    vuln_db: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let started = Utc::now();
    let aws_args = crate::cli::AwsArgs {
        profile: std::env::var("AWS_PROFILE").ok(),
        endpoint_url: std::env::var("AWS_ENDPOINT_URL").ok(),
        role_name: "OrganizationAccountAccessRole".into(),
        concurrency: 8,
        max_attempts: 3,
        ..Default::default()
    };
    let mut parts = Vec::new();
    if yagura_aws::credentials_available(aws_args.profile.as_deref()).await {
        eprintln!("scanning: AWS (credentials found)");
        parts.push(aws::collect(&aws_args).await?);
    } else {
        eprintln!("skipped: AWS — no credentials found (environment, ~/.aws/config profiles, SSO, instance role)");
    }
    let here = vec![std::path::PathBuf::from(".")];
    eprintln!("scanning: infrastructure code and secrets under the current folder");
    parts.push(iac::collect_iac(
        &here,
        &Default::default(),
        Some(&Default::default()),
        common.config.as_deref(),
    )?);
    eprintln!("scanning: packages of this host and of the current folder");
    let here = std::fs::canonicalize(".").ok();
    let vuln_targets = [
        yagura_inventory::Target::Host,
        yagura_inventory::Target::Dir(".".into()),
    ];
    let scan = vuln::collect(vuln::Request {
        kind: "vuln",
        targets: &vuln_targets,
        args: &Default::default(),
        vuln_db,
        config: common.config.as_deref(),
        required: false,
        host_skip: here,
    })?;
    parts.push(scan.collected);
    eprintln!("skipped: running workloads and malware — they have their own commands: `sudo yagura agent runtime`, `yagura scan malware`, `sudo yagura agent malware --watch PATH`");
    let collected = if parts.len() == 1 {
        parts.remove(0)
    } else {
        iac::merge("scan", parts)
    };
    finish(collected, common, started)
}

fn collect_aws_config(path: &std::path::Path) -> Result<Collected> {
    let pb = progress::spinner(&format!(
        "reading AWS Config files under {}",
        path.display()
    ));
    let c =
        yagura_awsconfig::collect(path).with_context(|| format!("reading {}", path.display()))?;
    pb.finish_and_clear();
    let errors: Vec<String> = c.errors.iter().map(|e| e.to_string()).collect();
    for e in &errors {
        tracing::error!("{e}");
    }
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut accounts: Vec<String> = c
        .resources
        .iter()
        .filter_map(|r| r.account.clone())
        .collect();
    accounts.sort();
    accounts.dedup();
    eprintln!(
        "read {} file(s): {} resources in {} account(s), {} error(s)",
        c.files_read,
        c.resources.len(),
        accounts.len(),
        errors.len()
    );
    if c.resources.is_empty() && !errors.is_empty() {
        bail!("no AWS Config file under {} could be read", path.display());
    }
    Ok(Collected {
        kind: "aws-config".into(),
        scope: format!("aws-config:{}", canonical.display()),
        targets: accounts.into_iter().map(|a| format!("aws:{a}")).collect(),
        resources: c.resources,
        not_assessed: c.not_assessed,
        errors,
        findings: Vec::new(),
        inline_suppressions: Vec::new(),
    })
}

/// IaC formats in a table cell: `tf,plan,cfn,k8s,docker`.
fn iac_short(formats: &[&str]) -> String {
    formats
        .iter()
        .map(|f| match *f {
            "terraform" => "tf",
            "terraform-plan" => "plan",
            "cloudformation" => "cfn",
            "kubernetes" => "k8s",
            "dockerfile" => "docker",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn checks(cmd: ChecksCmd) -> Result<ExitCode> {
    let out = std::io::stdout();
    let mut out = out.lock();
    match cmd {
        ChecksCmd::List { format, filter } => {
            let matcher = filter
                .map(|f| yagura_engine::Selection::new(&[f], &[]))
                .transpose()?
                .unwrap_or_default();
            let list: Vec<_> = yagura_checks::registry()
                .iter()
                .filter(|c| matcher.allows(c.code))
                .collect();
            match format.as_str() {
                "json" => {
                    let v: Vec<_> = list.iter().map(|c| check_json(c)).collect();
                    serde_json::to_writer_pretty(&mut out, &v)?;
                    writeln!(out)?;
                }
                "table" => {
                    writeln!(
                        out,
                        "{:<22} {:<9} {:<28} {:<18} TITLE",
                        "CODE", "SEVERITY", "RESOURCE KIND", "IAC"
                    )?;
                    for c in &list {
                        writeln!(
                            out,
                            "{:<22} {:<9} {:<28} {:<18} {}",
                            c.code,
                            c.severity.as_str(),
                            c.kind,
                            iac_short(c.iac_formats()),
                            c.title
                        )?;
                    }
                    writeln!(out, "\n{} checks", list.len())?;
                }
                other => bail!("unknown format `{other}` for checks list (table, json)"),
            }
        }
        ChecksCmd::Show { code } => {
            let Some(c) = yagura_checks::find(&code) else {
                bail!("no check with code `{code}`; `yagura checks list` shows them all");
            };
            writeln!(out, "{} — {}", c.code, c.title)?;
            writeln!(out, "severity:  {}", c.severity)?;
            writeln!(out, "resource:  {}", c.kind)?;
            if !c.iac_formats().is_empty() {
                writeln!(out, "runs on:   {}", c.iac_formats().join(", "))?;
            }
            writeln!(out, "\nWhy it matters\n  {}", c.rationale)?;
            writeln!(out, "\nHow to fix\n  {}", c.remediation)?;
            writeln!(out, "\nFrameworks")?;
            for m in c.frameworks {
                let title = m
                    .split_once(':')
                    .and_then(|(f, ctl)| {
                        yagura_checks::framework(f)
                            .and_then(|fw| fw.control(ctl))
                            .map(|x| x.title.clone())
                    })
                    .unwrap_or_default();
                writeln!(out, "  {m:<28} {title}")?;
            }
            if !c.notes.is_empty() {
                writeln!(out, "\nNotes\n  {}", c.notes)?;
            }
            if yagura_aws::fix::fix_for(c.code).is_some() {
                writeln!(
                    out,
                    "\nRemediation: `yagura fix --check {}` can fix it (opt-in).",
                    c.code
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check_json(c: &yagura_checks::Check) -> serde_json::Value {
    serde_json::json!({
        "code": c.code, "title": c.title, "severity": c.severity, "kind": c.kind,
        "rationale": c.rationale, "remediation": c.remediation, "frameworks": c.frameworks,
        "notes": c.notes, "auto_fix": yagura_aws::fix::fix_for(c.code).is_some(),
        "iac_formats": c.iac_formats(),
    })
}

fn open_store(db: Option<&std::path::Path>) -> Result<Store> {
    Ok(Store::open(&pipeline::store_path(db))?)
}

fn latest_scan(store: &Store, scan: Option<String>) -> Result<String> {
    match scan {
        Some(s) => Ok(s),
        None => store
            .list_scans(None, 1)?
            .into_iter()
            .next()
            .map(|s| s.id)
            .context("the store has no scans yet; run `yagura scan` first"),
    }
}

fn findings(cmd: FindingsCmd) -> Result<ExitCode> {
    let out = std::io::stdout();
    let mut out = out.lock();
    match cmd {
        FindingsCmd::Diff {
            from,
            to,
            scope,
            format,
            db,
        } => {
            let store = open_store(db.as_deref())?;
            let (from, to) = match (from, to) {
                (Some(a), Some(b)) => (a, b),
                (None, None) => {
                    let scope = match scope {
                        Some(s) => s,
                        None => store
                            .list_scans(None, 1)?
                            .into_iter()
                            .next()
                            .map(|s| s.scope)
                            .context("the store has no scans yet")?,
                    };
                    let scans = store.list_scans(Some(&scope), 2)?;
                    if scans.len() < 2 {
                        bail!(
                            "scope {scope} has {} scan(s); a diff needs two",
                            scans.len()
                        );
                    }
                    (scans[1].id.clone(), scans[0].id.clone())
                }
                _ => bail!("give both scan ids, or neither"),
            };
            let a = store.load_scan(&from)?;
            let b = store.load_scan(&to)?;
            if a.scope != b.scope {
                bail!(
                    "scans {} ({}) and {} ({}) are of different scopes",
                    a.id,
                    a.scope,
                    b.id,
                    b.scope
                );
            }
            let d = yagura_store::diff_reports(&a, &b);
            match format.as_str() {
                "json" => {
                    serde_json::to_writer_pretty(&mut out, &d)?;
                    writeln!(out)?;
                }
                "table" => {
                    writeln!(out, "scope {}: {} → {}", a.scope, d.from, d.to)?;
                    writeln!(
                        out,
                        "new {}, resolved {}, unchanged {}",
                        d.new.len(),
                        d.resolved.len(),
                        d.unchanged.len()
                    )?;
                    for (label, list) in [
                        ("NEW", &d.new),
                        ("RESOLVED", &d.resolved),
                        ("UNCHANGED", &d.unchanged),
                    ] {
                        for f in list {
                            let first = f
                                .first_seen
                                .map(|t| t.format("%Y-%m-%d").to_string())
                                .unwrap_or_default();
                            writeln!(
                                out,
                                "{label:<10} {:<9} {:<20} {} (first seen {first}){}",
                                f.severity,
                                f.check,
                                f.resource.id,
                                if f.muted.is_some() { " [muted]" } else { "" }
                            )?;
                        }
                    }
                }
                other => bail!("unknown format `{other}` for findings diff (table, json)"),
            }
        }
        FindingsCmd::Scans { scope, limit, db } => {
            let store = open_store(db.as_deref())?;
            writeln!(
                out,
                "{:<28} {:<10} {:<20} {:>9} {:>6} {:>6} {:>6} SCOPE",
                "SCAN", "KIND", "FINISHED", "RESOURCES", "FAIL", "MUTED", "PASS"
            )?;
            for s in store.list_scans(scope.as_deref(), limit)? {
                writeln!(
                    out,
                    "{:<28} {:<10} {:<20} {:>9} {:>6} {:>6} {:>6} {}",
                    s.id,
                    s.kind,
                    s.finished.format("%Y-%m-%d %H:%M:%S"),
                    s.resource_count,
                    s.fail,
                    s.muted,
                    s.pass,
                    s.scope
                )?;
            }
        }
        FindingsCmd::Show { scan, common } => {
            let store = open_store(common.db.as_deref())?;
            let id = latest_scan(&store, scan)?;
            let report = store.load_scan(&id)?;
            drop(out);
            pipeline::render(&report, &pipeline::formats(&common)?, &common)?;
            return Ok(pipeline::exit_code(&report, pipeline::fail_on(&common)?));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn frameworks(cmd: FrameworksCmd) -> Result<ExitCode> {
    let out = std::io::stdout();
    let mut out = out.lock();
    match cmd {
        FrameworksCmd::List => {
            for f in yagura_checks::frameworks() {
                let mapped = yagura_checks::registry()
                    .iter()
                    .flat_map(|c| c.frameworks.iter())
                    .filter_map(|m| m.strip_prefix(&format!("{}:", f.id)))
                    .collect::<std::collections::HashSet<_>>()
                    .len();
                let automated = f.controls.iter().filter(|c| c.automated).count();
                writeln!(
                    out,
                    "{:<16} {} {} — {} controls ({} automated), {} covered by checks",
                    f.id,
                    f.name,
                    f.version,
                    f.controls.len(),
                    automated,
                    mapped
                )?;
            }
        }
        FrameworksCmd::Report {
            framework,
            scan,
            db,
        } => {
            let fw = yagura_checks::framework(&framework).with_context(|| {
                format!("unknown framework `{framework}`; `yagura frameworks list` shows them")
            })?;
            let store = open_store(db.as_deref())?;
            let id = latest_scan(&store, scan)?;
            let report = store.load_scan(&id)?;
            let summaries = yagura_report::framework_summary(&report.findings);
            let Some(s) = summaries.iter().find(|s| s.id == fw.id) else {
                bail!("scan {id} has no findings mapped to {}", fw.id);
            };
            let overall = s
                .pass_rate
                .map(|r| format!("{:.1}%", r * 100.0))
                .unwrap_or_else(|| "n/a".into());
            writeln!(out, "{} — scan {id} — pass rate {overall}", s.title())?;
            writeln!(
                out,
                "{:<9} {:<13} {:>6} {:>5} {:>5} {:>6} {:>5}  TITLE",
                "CONTROL", "STATUS", "RATE", "PASS", "FAIL", "MUTED", "N/A"
            )?;
            for c in &s.controls {
                let rate = c
                    .pass_rate
                    .map(|r| format!("{:>5.1}%", r * 100.0))
                    .unwrap_or_else(|| "-".into());
                writeln!(
                    out,
                    "{:<9} {:<13} {rate:>6} {:>5} {:>5} {:>6} {:>5}  {}",
                    c.id,
                    c.status.label(),
                    c.counts.pass,
                    c.counts.fail,
                    c.counts.muted,
                    c.counts.not_assessed,
                    c.title
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
