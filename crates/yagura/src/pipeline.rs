//! The scan pipeline shared by every scan command:
//! collected resources → checks + policies → suppressions → store → reports → exit code.

use crate::cli::CommonScanArgs;
use anyhow::Result;
use chrono::{DateTime, SubsecRound, Utc};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yagura_config::Config;
use yagura_engine::{Engine, Selection};
use yagura_model::{Finding, Inventory, NotAssessedTarget, Resource, ScanReport, Severity};
use yagura_report::{Format, RenderOptions};
use yagura_store::Store;

/// What a collector produced.
pub struct Collected {
    pub kind: String,
    pub scope: String,
    pub targets: Vec<String>,
    pub resources: Vec<Resource>,
    pub not_assessed: Vec<NotAssessedTarget>,
    pub errors: Vec<String>,
    /// Findings made outside the check registry (the secret scanner); config
    /// suppressions apply to them as to any other.
    pub findings: Vec<Finding>,
    /// Suppressions written in the scanned code, applied after the config file's.
    pub inline_suppressions: Vec<yagura_iac::InlineSuppression>,
}

impl Collected {
    pub fn new(kind: &str, scope: String) -> Self {
        Collected {
            kind: kind.to_string(),
            scope,
            targets: Vec::new(),
            resources: Vec::new(),
            not_assessed: Vec::new(),
            errors: Vec::new(),
            findings: Vec::new(),
            inline_suppressions: Vec::new(),
        }
    }
}

pub fn load_config(explicit: Option<&Path>) -> Result<Config> {
    Ok(match explicit {
        Some(p) => Config::load(p)?,
        None => Config::discover(Path::new("."))?,
    })
}

pub fn store_path(db: Option<&Path>) -> PathBuf {
    db.map(Path::to_path_buf)
        .unwrap_or_else(Store::default_path)
}

/// Parsed `--format` list; validated before any scanning starts.
pub fn formats(common: &CommonScanArgs) -> Result<Vec<Format>> {
    if common.format.is_empty() {
        return Ok(vec![Format::Table]);
    }
    common
        .format
        .iter()
        .map(|f| f.parse::<Format>().map_err(|e| anyhow::anyhow!("{e}")))
        .collect()
}

pub fn fail_on(common: &CommonScanArgs) -> Result<Option<Severity>> {
    common
        .fail_on
        .as_deref()
        .map(|s| {
            s.parse::<Severity>()
                .map_err(|e| anyhow::anyhow!("--fail-on: {e}"))
        })
        .transpose()
}

pub fn evaluate(
    collected: Collected,
    common: &CommonScanArgs,
    started: DateTime<Utc>,
) -> Result<(ScanReport, Vec<Resource>)> {
    let config = load_config(common.config.as_deref())?;
    let selection = Selection::new(&common.checks, &common.skip_checks)?;
    let mut policies = Vec::new();
    let mut errors = collected.errors;
    for dir in config.policy_dirs.iter().chain(common.policy_dir.iter()) {
        let (loaded, errs) = yagura_policy::load_dir(dir);
        policies.extend(
            loaded
                .into_iter()
                .filter(|p| selection.allows(&p.meta.code)),
        );
        for e in errs {
            tracing::error!("{e}");
            errors.push(format!("policy: {e}"));
        }
    }
    let checks = yagura_checks::registry()
        .iter()
        .copied()
        .filter(|c| selection.allows(c.code))
        .collect();
    let resource_count = collected.resources.len();
    let inventory = Inventory::new(collected.resources);
    let now = Utc::now();
    let mut engine = Engine {
        checks,
        policies: &mut policies,
        suppressions: &config.suppressions,
        now,
    };
    let mut evaluation = engine.run(&inventory);
    let mut extra = collected.findings;
    let outcome =
        yagura_config::apply_suppressions(&mut extra, &config.suppressions, now.date_naive());
    evaluation.notices.extend(outcome.expired);
    evaluation.findings.extend(extra);
    let inline =
        yagura_iac::suppress::apply(&mut evaluation.findings, &collected.inline_suppressions);
    if inline > 0 {
        tracing::info!("{inline} finding(s) muted by suppressions in the code");
    }
    for e in &evaluation.errors {
        tracing::error!("{e}");
    }
    for n in &evaluation.notices {
        tracing::warn!("{n}");
    }
    errors.extend(evaluation.errors);
    let report = ScanReport {
        id: format!(
            "{}-{}",
            Utc::now().format("%Y%m%dT%H%M%SZ"),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ),
        scope: collected.scope,
        kind: collected.kind,
        // Millisecond precision, as the store keeps times, so history compares equal.
        started: started.trunc_subsecs(3),
        finished: Utc::now().trunc_subsecs(3),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        targets: collected.targets,
        not_assessed: collected.not_assessed,
        errors,
        notices: evaluation.notices,
        resource_count,
        findings: evaluation.findings,
    };
    Ok((report, inventory.into_resources()))
}

/// Stores (unless `--no-store`), renders and decides the exit code.
pub fn finish(
    mut report: ScanReport,
    resources: &[Resource],
    common: &CommonScanArgs,
) -> Result<ExitCode> {
    let formats = formats(common)?;
    let threshold = fail_on(common)?;
    store(&mut report, resources, common)?;
    render(&report, &formats, common)?;
    Ok(exit_code(&report, threshold))
}

/// Saves the scan unless `--no-store`.
pub fn store(
    report: &mut ScanReport,
    resources: &[Resource],
    common: &CommonScanArgs,
) -> Result<()> {
    if !common.no_store {
        let path = store_path(common.db.as_deref());
        let mut store = Store::open(&path)?;
        store.save_scan(report, resources)?;
        tracing::info!("scan {} stored in {}", report.id, path.display());
    }
    Ok(())
}

pub fn render(report: &ScanReport, formats: &[Format], common: &CommonScanArgs) -> Result<()> {
    let opts = RenderOptions {
        color: common.output.is_none() && crate::progress::color_enabled_stdout(),
        show_passed: common.show_passed,
    };
    for path in yagura_report::render_multi(formats, report, &opts, common.output.as_deref())? {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

pub fn exit_code(report: &ScanReport, threshold: Option<Severity>) -> ExitCode {
    if !report.errors.is_empty() {
        eprintln!(
            "the scan completed only in part: {} error(s) (listed in the report)",
            report.errors.len()
        );
        return ExitCode::from(2);
    }
    match threshold {
        Some(t)
            if report
                .findings
                .iter()
                .any(|f| f.is_open_failure() && f.severity >= t) =>
        {
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// What an agent saves when it stops: its alerts or denials, already folded
/// into findings, as one scan.
pub struct AgentRun {
    pub kind: &'static str,
    pub scope: String,
    pub targets: Vec<String>,
    pub findings: Vec<Finding>,
    pub notices: Vec<String>,
    pub resource_count: usize,
    pub started: DateTime<Utc>,
}

/// Saves an agent's run in the store and says where.
pub fn save_agent_run(run: AgentRun, db: Option<&Path>) -> Result<()> {
    let mut report = ScanReport {
        id: format!(
            "{}-{}",
            Utc::now().format("%Y%m%dT%H%M%SZ"),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ),
        scope: run.scope,
        kind: run.kind.into(),
        started: run.started.trunc_subsecs(3),
        finished: Utc::now().trunc_subsecs(3),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        targets: run.targets,
        not_assessed: Vec::new(),
        errors: Vec::new(),
        notices: run.notices,
        resource_count: run.resource_count,
        findings: run.findings,
    };
    let path = store_path(db);
    let mut store = Store::open(&path)?;
    store.save_scan(&mut report, &[])?;
    eprintln!(
        "yagura: {} findings saved as scan {} in {}",
        report.findings.len(),
        report.id,
        path.display()
    );
    Ok(())
}
