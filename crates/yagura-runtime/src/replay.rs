//! Offline evaluation of a recording, to test rules.

use std::io::BufRead;

use yagura_event::recording::{Damage, Reader};

use crate::alert;
use crate::outputs::Outputs;
use crate::rulesrc::{LoadedRules, RuntimeError};

#[derive(Debug, Clone, Default)]
pub struct ReplayReport {
    pub events: u64,
    pub alerts: u64,
    /// Where the recording stopped being readable, if it did.
    pub damage: Option<Damage>,
}

pub fn replay<R: BufRead>(
    rules: &LoadedRules,
    input: R,
    file: &str,
    outputs: &mut Outputs,
) -> Result<ReplayReport, RuntimeError> {
    let mut reader = Reader::new(input, file)?;
    let host = reader.header.hostname.clone();
    let mut report = ReplayReport::default();
    let mut matches = Vec::new();
    for ev in reader.by_ref() {
        report.events += 1;
        matches.clear();
        rules.engine.evaluate(&ev, &mut matches);
        for &i in &matches {
            let a = alert::from_match(&rules.engine, i, &ev, &host);
            outputs.emit(&a)?;
            report.alerts += 1;
        }
    }
    report.damage = reader.damage().cloned();
    outputs.flush();
    Ok(report)
}

/// Throughput of the engine alone over events already in memory.
#[derive(Debug, Clone, Copy)]
pub struct BenchResult {
    pub evaluations: u64,
    pub matches: u64,
    pub seconds: f64,
}

impl BenchResult {
    pub fn events_per_second(&self) -> f64 {
        self.evaluations as f64 / self.seconds.max(1e-9)
    }
}

/// Evaluates `events` `passes` times on this thread, with no output.
pub fn bench(rules: &LoadedRules, events: &[yagura_event::Event], passes: u32) -> BenchResult {
    let mut matches = Vec::new();
    let mut total = 0u64;
    let t0 = std::time::Instant::now();
    for _ in 0..passes {
        for ev in events {
            matches.clear();
            rules.engine.evaluate(ev, &mut matches);
            total += matches.len() as u64;
        }
    }
    BenchResult {
        evaluations: events.len() as u64 * passes as u64,
        matches: total,
        seconds: t0.elapsed().as_secs_f64(),
    }
}
