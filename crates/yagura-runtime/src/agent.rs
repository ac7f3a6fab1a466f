//! The live agent loop.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use yagura_event::recording::{Header, Writer, FORMAT, VERSION};
use yagura_event::Event;
use yagura_rules::{kernel_predicate, PathTest, Response};
use yagura_sensor::abi::{self, Record};
use yagura_sensor::proctable::ProcessTable;
use yagura_sensor::{KillRule, Sensor, SensorConfig};

use crate::alert::{self, Alert, ResponseRecord};
use crate::metrics::Metrics;
use crate::outputs::{Outputs, SyslogTarget};
use crate::rulesrc::{LoadedRules, RuntimeError};

pub struct AgentConfig {
    pub output: Option<PathBuf>,
    pub webhooks: Vec<String>,
    pub syslog: Vec<SyslogTarget>,
    pub metrics_addr: Option<String>,
    pub record: Option<PathBuf>,
    /// Show what responses would do without doing them.
    pub dry_run: bool,
    pub duration: Option<Duration>,
    /// Minimum gap between two lost-event alerts.
    pub drop_alert_interval: Duration,
    /// Ring buffer size in bytes (default 16 MiB).
    pub ring_bytes: Option<u32>,
}

impl Default for AgentConfig {
    fn default() -> Self {
        AgentConfig {
            output: None,
            webhooks: Vec::new(),
            syslog: Vec::new(),
            metrics_addr: None,
            record: None,
            dry_run: false,
            duration: None,
            drop_alert_interval: Duration::from_secs(10),
            ring_bytes: None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AgentSummary {
    /// Alerts folded into findings of the common model (one per rule, workload
    /// and program), for the store.
    pub findings: crate::findings::FindingAggregator,
    pub events: u64,
    pub alerts: u64,
    pub responses: u64,
    pub kernel_drops: u64,
    pub kernel_filtered: u64,
}

/// How each kill rule is carried out.
#[derive(Debug, Clone, Default)]
pub struct KillPlan {
    pub kernel: Vec<KillRule>,
    /// Engine rule indices killed from user space, with why not in the kernel.
    pub user_space: Vec<(usize, String)>,
}

/// Splits `kill` rules into in-kernel kill entries and user-space fallbacks.
pub fn plan_kills(rules: &LoadedRules) -> KillPlan {
    let mut plan = KillPlan::default();
    for (i, resp) in rules.responses.iter().enumerate() {
        match resp {
            Response::Log => {}
            Response::KillProcess => plan
                .user_space
                .push((i, "kill-process was asked for".into())),
            Response::Kill => {
                let name = &rules.engine.rule(i).name;
                let Some(compiled) = rules.compiled.rules.iter().find(|r| &r.name == name) else {
                    plan.user_space
                        .push((i, "rule not found in the compiled set".into()));
                    continue;
                };
                match kernel_predicate(compiled) {
                    Err(why) => plan.user_space.push((i, why)),
                    Ok(pred) => {
                        let mut entries = Vec::new();
                        for alt in &pred.alternatives {
                            let paths: Vec<(Option<String>, Option<String>)> = match &alt.path {
                                None => vec![(None, None)],
                                Some(PathTest::Exact(v)) => {
                                    v.iter().map(|p| (Some(p.clone()), None)).collect()
                                }
                                Some(PathTest::Prefix(v)) => {
                                    v.iter().map(|p| (None, Some(p.clone()))).collect()
                                }
                            };
                            let comms: Vec<Option<String>> = match &alt.comm {
                                None => vec![None],
                                Some(v) => v.iter().cloned().map(Some).collect(),
                            };
                            for (exact, prefix) in &paths {
                                for comm in &comms {
                                    entries.push(KillRule {
                                        rule_id: i as u32,
                                        event_types: alt.event_types.clone(),
                                        path_exact: exact.clone(),
                                        path_prefix: prefix.clone(),
                                        comm: comm.clone(),
                                        container_only: alt.container_only,
                                        open_write: alt.open_write,
                                    });
                                }
                            }
                        }
                        let too_long = entries.iter().any(|e| {
                            e.path_exact
                                .as_ref()
                                .or(e.path_prefix.as_ref())
                                .is_some_and(|p| p.len() > abi::KILL_PATH_LEN)
                        });
                        if too_long {
                            plan.user_space.push((
                                i,
                                format!("a path is longer than {} bytes", abi::KILL_PATH_LEN),
                            ));
                        } else if plan.kernel.len() + entries.len() > abi::MAX_KILL_RULES as usize {
                            plan.user_space.push((
                                i,
                                format!("the kernel table holds {} entries", abi::MAX_KILL_RULES),
                            ));
                        } else {
                            plan.kernel.extend(entries);
                        }
                    }
                }
            }
        }
    }
    plan
}

/// Sensor settings for a rule set: the event types rules use, the open
/// filter, and in-kernel kill rules (none in dry-run mode).
pub fn sensor_config(rules: &LoadedRules, plan: &KillPlan, dry_run: bool) -> SensorConfig {
    let event_types: BTreeSet<_> = rules.engine.event_types_used();
    let kept: BTreeSet<&str> = (0..rules.engine.len())
        .map(|i| rules.engine.rule(i).name.as_str())
        .collect();
    let open_filter = crate::filter::open_filter(
        rules
            .compiled
            .rules
            .iter()
            .filter(|r| kept.contains(r.name.as_str())),
    );
    SensorConfig {
        event_types,
        open_filter,
        kill_rules: if dry_run {
            Vec::new()
        } else {
            plan.kernel.clone()
        },
        ring_bytes: None,
    }
}

struct Loop<'a> {
    rules: &'a LoadedRules,
    plan: &'a KillPlan,
    dry_run: bool,
    outputs: Outputs,
    metrics: Arc<Metrics>,
    recorder: Option<Writer<std::io::BufWriter<std::fs::File>>>,
    host: String,
    matches: Vec<usize>,
    summary: AgentSummary,
}

impl Loop<'_> {
    fn handle(&mut self, ev: &Event, killed_by: u32) -> Result<(), RuntimeError> {
        self.summary.events += 1;
        self.metrics.event(ev.kind);
        if let Some(w) = self.recorder.as_mut() {
            w.write(ev).map_err(|source| RuntimeError::Io {
                path: "recording".into(),
                source,
            })?;
        }
        self.matches.clear();
        let t0 = Instant::now();
        self.rules.engine.evaluate(ev, &mut self.matches);
        self.metrics
            .eval_ns
            .fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
        self.metrics.evaluations.fetch_add(1, Ordering::Relaxed);
        let mut killed_rule = killed_by.checked_sub(1).map(|r| r as usize);
        let matches = std::mem::take(&mut self.matches);
        for &i in &matches {
            let mut a = alert::from_match(&self.rules.engine, i, ev, &self.host);
            if killed_rule == Some(i) {
                a.response = Some(self.kernel_kill_record(ev));
                killed_rule = None;
            } else {
                a.response = self.respond(i, ev);
            }
            self.emit(a)?;
        }
        self.matches = matches;
        // The kernel killed for a rule the engine did not confirm (e.g. a
        // relative path resolved differently): the action is still reported.
        if let Some(i) = killed_rule {
            if i < self.rules.engine.len() {
                let mut a = alert::from_match(&self.rules.engine, i, ev, &self.host);
                a.response = Some(self.kernel_kill_record(ev));
                self.emit(a)?;
            }
        }
        Ok(())
    }

    fn kernel_kill_record(&mut self, ev: &Event) -> ResponseRecord {
        self.summary.responses += 1;
        self.metrics.responses.fetch_add(1, Ordering::Relaxed);
        ResponseRecord {
            action: "kill".into(),
            mode: "in-kernel".into(),
            pid: ev.process.pid,
            process: ev.process.name.clone(),
            done: true,
            error: String::new(),
        }
    }

    fn respond(&mut self, i: usize, ev: &Event) -> Option<ResponseRecord> {
        let resp = *self.rules.responses.get(i)?;
        if resp == Response::Log {
            return None;
        }
        // A dry run shows where the kill would come from. A live kill reaching
        // this point is from user space: kernel kills arrive as `killed_by`.
        let in_kernel = self.plan.kernel.iter().any(|k| k.rule_id as usize == i);
        let mode = if self.dry_run && in_kernel {
            "in-kernel"
        } else {
            "user-space"
        };
        let mut rec = ResponseRecord {
            action: resp.name().into(),
            mode: mode.into(),
            pid: ev.process.pid,
            process: ev.process.name.clone(),
            done: false,
            error: String::new(),
        };
        if self.dry_run {
            return Some(rec);
        }
        // SAFETY: kill has no memory-safety preconditions.
        let rc = unsafe { libc::kill(ev.process.pid as libc::pid_t, libc::SIGKILL) };
        if rc == 0 {
            rec.done = true;
        } else {
            rec.error = std::io::Error::last_os_error().to_string();
        }
        self.summary.responses += 1;
        self.metrics.responses.fetch_add(1, Ordering::Relaxed);
        Some(rec)
    }

    fn emit(&mut self, a: Alert) -> Result<(), RuntimeError> {
        self.summary.alerts += 1;
        self.summary.findings.add(&a);
        self.metrics.alert(&a.rule);
        self.outputs.emit(&a)?;
        Ok(())
    }
}

/// Runs the sensor until `stop` is set or the duration passes.
///
/// `ready` is called once the programs are attached.
pub fn run(
    rules: &LoadedRules,
    cfg: &AgentConfig,
    stop: Arc<AtomicBool>,
    ready: impl FnOnce(&SensorConfig, &KillPlan),
) -> Result<AgentSummary, RuntimeError> {
    yagura_sensor::preflight()?;
    let plan = plan_kills(rules);
    let mut sensor_cfg = sensor_config(rules, &plan, cfg.dry_run);
    sensor_cfg.ring_bytes = cfg.ring_bytes;

    let mut outputs = Outputs::new(cfg.output.as_deref())?;
    for w in &cfg.webhooks {
        outputs.add_webhook(w);
    }
    for s in &cfg.syslog {
        outputs.add_syslog(s.clone())?;
    }
    let metrics = Arc::new(Metrics::new());
    if let Some(addr) = &cfg.metrics_addr {
        let bound =
            crate::metrics::serve(addr, metrics.clone(), stop.clone()).map_err(|source| {
                RuntimeError::Io {
                    path: format!("metrics address {addr}"),
                    source,
                }
            })?;
        tracing::info!(%bound, "metrics on http://{bound}/metrics");
    }
    let host = alert::hostname();
    let recorder = match &cfg.record {
        None => None,
        Some(p) => {
            let f = std::fs::File::create(p).map_err(|source| RuntimeError::Io {
                path: p.display().to_string(),
                source,
            })?;
            let header = Header {
                format: FORMAT.into(),
                version: VERSION,
                hostname: host.clone(),
                started_ns: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0),
            };
            Some(
                Writer::new(std::io::BufWriter::new(f), &header).map_err(|source| {
                    RuntimeError::Io {
                        path: p.display().to_string(),
                        source,
                    }
                })?,
            )
        }
    };

    let resolver =
        yagura_container::Resolver::new(yagura_container::ResolverConfig::default()).ok();
    let mut table = ProcessTable::new(resolver);
    // Attach first, then seed: a process started in between is seen twice
    // (harmless) rather than never.
    let mut sensor = Sensor::start(&sensor_cfg)?;
    let seeded = table.seed_from_proc();
    tracing::debug!(seeded, "process table seeded from /proc");
    ready(&sensor_cfg, &plan);

    let mut lp = Loop {
        rules,
        plan: &plan,
        dry_run: cfg.dry_run,
        outputs,
        metrics: metrics.clone(),
        recorder,
        host: host.clone(),
        matches: Vec::new(),
        summary: AgentSummary::default(),
    };
    let started = Instant::now();
    let mut last_counters = Instant::now();
    let mut last_drop_alert: Option<Instant> = None;
    let mut seen_drops = 0u64;
    let mut err: Option<RuntimeError> = None;
    while !stop.load(Ordering::Relaxed) {
        if cfg.duration.is_some_and(|d| started.elapsed() >= d) {
            break;
        }
        let mut events: Vec<(Event, u32)> = Vec::new();
        sensor.poll(Duration::from_millis(20), |data| match abi::decode(data) {
            Ok(Record::Sys(rec)) => {
                if let Some(ev) = table.convert(&rec) {
                    events.push((ev, rec.killed_by));
                }
            }
            Ok(Record::Proc(rec)) => {
                if let Some(ev) = table.apply(&rec) {
                    let killed = if rec.kind == abi::EV_EXEC {
                        rec.exit_code
                    } else {
                        0
                    };
                    events.push((ev, killed));
                }
            }
            Err(e) => {
                metrics.decode_errors.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, "malformed record from the kernel");
            }
        })?;
        for (ev, killed) in &events {
            if let Err(e) = lp.handle(ev, *killed) {
                err = Some(e);
                break;
            }
        }
        if err.is_some() {
            break;
        }
        if last_counters.elapsed() >= Duration::from_secs(1) {
            last_counters = Instant::now();
            let c = sensor.counters()?;
            metrics
                .kernel_ring_full
                .store(c.ring_full, Ordering::Relaxed);
            metrics
                .kernel_inflight_full
                .store(c.inflight_full, Ordering::Relaxed);
            metrics.kernel_filtered.store(c.filtered, Ordering::Relaxed);
            metrics.output_dropped.store(
                lp.outputs.dropped.load(Ordering::Relaxed),
                Ordering::Relaxed,
            );
            let drops = c.ring_full + c.inflight_full;
            if drops > seen_drops
                && last_drop_alert.is_none_or(|t| t.elapsed() >= cfg.drop_alert_interval)
            {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0);
                let a = alert::internal(
                    "Runtime events dropped",
                    "Critical",
                    format!(
                        "{} events lost since the last report ({} ring buffer full, {} in-flight table full): detections may be missing",
                        drops - seen_drops,
                        c.ring_full,
                        c.inflight_full
                    ),
                    now,
                    &host,
                );
                lp.emit(a)?;
                last_drop_alert = Some(Instant::now());
                seen_drops = drops;
            }
        }
    }
    if let Ok(c) = sensor.counters() {
        lp.summary.kernel_drops = c.ring_full + c.inflight_full;
        lp.summary.kernel_filtered = c.filtered;
    }
    if let Some(w) = lp.recorder.as_mut() {
        let _ = w.flush();
    }
    lp.outputs.flush();
    match err {
        Some(e) => Err(e),
        None => Ok(lp.summary.clone()),
    }
}
