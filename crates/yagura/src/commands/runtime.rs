//! `yagura agent runtime` and `yagura runtime replay|rules`.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use yagura_rules::{EngineOptions, Priority};
use yagura_runtime::agent::{self, AgentConfig};
use yagura_runtime::outputs::{Outputs, SyslogTarget};
use yagura_runtime::{LoadedRules, RuleSources};

use crate::cli::{AgentCmd, RuleArgs, RuntimeCmd};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn load_rules(args: &RuleArgs) -> Result<LoadedRules> {
    let min = Priority::parse(&args.min_priority)
        .with_context(|| format!("--min-priority {:?} is not a priority", args.min_priority))?;
    let src = RuleSources {
        paths: args.rules.clone(),
        default_rules: !args.no_default_rules,
        skip_invalid: args.skip_invalid_rules,
        engine: EngineOptions {
            min_priority: min,
            disable_rules: args.disable_rules.clone(),
            ..Default::default()
        },
        responses: args.responses.clone(),
    };
    let rules = yagura_runtime::load(&src)?;
    for inv in &rules.invalid {
        eprintln!("yagura: skipped invalid {inv}");
    }
    Ok(rules)
}

fn report_skips(rules: &LoadedRules) {
    let skipped = rules.skipped();
    for (rule, reason) in &skipped {
        eprintln!("yagura: rule {rule:?} skipped: {reason}");
    }
    eprintln!(
        "yagura: {} rules loaded from {}, {} skipped",
        rules.engine.len(),
        rules.files.join(", "),
        skipped.len()
    );
}

pub fn agent(cmd: AgentCmd) -> Result<ExitCode> {
    let AgentCmd::Runtime(args) = cmd else {
        bail!("not a runtime agent command");
    };
    let rules = load_rules(&args.rules)?;
    report_skips(&rules);
    let syslog = args
        .syslog
        .iter()
        .map(|s| SyslogTarget::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let duration = match args.duration {
        Some(d) if !(d.is_finite() && d > 0.0) => {
            bail!("--duration must be a positive number of seconds")
        }
        Some(d) => Some(Duration::from_secs_f64(d)),
        None => None,
    };
    let cfg = AgentConfig {
        output: args.output.clone(),
        webhooks: args.webhooks.clone(),
        syslog,
        metrics_addr: args.metrics_addr.clone(),
        record: args.record.clone(),
        dry_run: args.dry_run,
        duration,
        ring_bytes: args.ring_buffer_size,
        ..Default::default()
    };
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        std::thread::spawn(move || loop {
            if STOP.load(Ordering::SeqCst) {
                stop.store(true, Ordering::SeqCst);
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        });
    }
    let dry_run = args.dry_run;
    let started = chrono::Utc::now();
    let summary = agent::run(&rules, &cfg, stop, |sensor, plan| {
        let types: Vec<&str> = sensor.event_types.iter().map(|t| t.name()).collect();
        for (i, why) in &plan.user_space {
            eprintln!(
                "yagura: rule {:?} responds from user space: {why}",
                rules.engine.rule(*i).name
            );
        }
        eprintln!(
            "yagura: runtime sensor attached: {} rules, {} syscall event types ({}), {} in-kernel kill entries{}, open filter {}",
            rules.engine.len(),
            types.len(),
            types.join(","),
            plan.kernel.len(),
            if dry_run { " (dry run: not armed)" } else { "" },
            match &sensor.open_filter {
                None => "off (a rule needs every open)".to_string(),
                Some(f) => format!(
                    "on ({} prefixes, {} write prefixes, all writes: {}, head test: {})",
                    f.prefixes.len(),
                    f.write_prefixes.len(),
                    f.all_writes,
                    match yagura_sensor::kernel::open_heads(f) {
                        Some(h) => format!("{} heads", h.len()),
                        None => "off".into(),
                    }
                ),
            }
        );
    })?;
    eprintln!(
        "yagura: runtime sensor stopped: {} events, {} alerts, {} responses, {} lost in the kernel, {} opens filtered in the kernel",
        summary.events, summary.alerts, summary.responses, summary.kernel_drops, summary.kernel_filtered
    );
    if !args.no_store {
        store_findings(&args, &summary, started)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Saves the run's alerts, folded into findings, as a `runtime` scan.
fn store_findings(
    args: &crate::cli::AgentRuntimeArgs,
    summary: &agent::AgentSummary,
    started: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let host = yagura_runtime::alert::hostname();
    let findings = summary.findings.findings();
    let workloads: std::collections::BTreeSet<&str> =
        findings.iter().map(|f| f.resource.id.as_str()).collect();
    let mut notices = vec![format!(
        "{} events, {} alerts, {} responses, {} events lost in the kernel",
        summary.events, summary.alerts, summary.responses, summary.kernel_drops
    )];
    if summary.findings.overflow > 0 {
        notices.push(format!(
            "{} alerts beyond {} distinct findings were not kept",
            summary.findings.overflow,
            yagura_runtime::findings::MAX_FINDINGS
        ));
    }
    crate::pipeline::save_agent_run(
        crate::pipeline::AgentRun {
            kind: "runtime",
            scope: format!("runtime:{host}"),
            targets: vec![host],
            resource_count: workloads.len(),
            findings,
            notices,
            started,
        },
        args.db.as_deref(),
    )
}

pub fn runtime(cmd: RuntimeCmd) -> Result<ExitCode> {
    match cmd {
        RuntimeCmd::Replay {
            file,
            rules,
            output,
            bench,
        } => {
            let rules = load_rules(&rules)?;
            report_skips(&rules);
            if let Some(passes) = bench {
                let f = std::fs::File::open(&file)
                    .with_context(|| format!("{}: cannot open the recording", file.display()))?;
                let mut reader = yagura_event::recording::Reader::new(
                    std::io::BufReader::new(f),
                    &file.display().to_string(),
                )?;
                let events: Vec<_> = reader.by_ref().collect();
                if let Some(d) = reader.damage() {
                    bail!("{}: recording damaged at {d}", file.display());
                }
                let r = yagura_runtime::replay::bench(&rules, &events, passes.max(1));
                println!(
                    "{}",
                    serde_json::json!({
                        "rules": rules.engine.len(),
                        "events": events.len(),
                        "passes": passes.max(1),
                        "evaluations": r.evaluations,
                        "matches": r.matches,
                        "seconds": r.seconds,
                        "events_per_second": r.events_per_second().round(),
                    })
                );
                return Ok(ExitCode::SUCCESS);
            }
            let f = std::fs::File::open(&file)
                .with_context(|| format!("{}: cannot open the recording", file.display()))?;
            let mut outputs = Outputs::new(output.as_deref())?;
            let report = yagura_runtime::replay::replay(
                &rules,
                std::io::BufReader::new(f),
                &file.display().to_string(),
                &mut outputs,
            )?;
            eprintln!(
                "yagura: replayed {} events from {}, {} alerts",
                report.events,
                file.display(),
                report.alerts
            );
            if let Some(d) = report.damage {
                eprintln!(
                    "yagura: error: {}: recording damaged at {d}; events after it were not replayed",
                    file.display()
                );
                return Ok(ExitCode::from(2));
            }
            Ok(ExitCode::SUCCESS)
        }
        RuntimeCmd::Rules { rules, format } => {
            let rules = load_rules(&rules)?;
            let skipped = rules.skipped();
            match format.as_str() {
                "json" => {
                    let loaded: Vec<serde_json::Value> = (0..rules.engine.len())
                        .map(|i| {
                            let r = rules.engine.rule(i);
                            serde_json::json!({
                                "rule": r.name,
                                "priority": r.priority_text,
                                "tags": r.tags,
                                "response": rules.responses[i].name(),
                                "file": r.file,
                                "line": r.line,
                            })
                        })
                        .collect();
                    let skipped: Vec<serde_json::Value> = skipped
                        .iter()
                        .map(|(r, why)| serde_json::json!({"rule": r, "reason": why}))
                        .collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "loaded": loaded,
                            "skipped": skipped,
                        }))?
                    );
                }
                "table" => {
                    for i in 0..rules.engine.len() {
                        let r = rules.engine.rule(i);
                        println!(
                            "{:<13} {:<12} {}",
                            r.priority_text,
                            rules.responses[i].name(),
                            r.name
                        );
                    }
                    for (r, why) in &skipped {
                        println!("{:<13} {:<12} {r}: {why}", "SKIPPED", "-");
                    }
                }
                other => bail!("--format {other:?}: expected table or json"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
