//! Single-thread engine throughput over a recording, broken down by event type and rule.
//!
//! `cargo run --release -p yagura-rules --example bench_recording -- RULES.yaml REC [PASSES]`
//! first checks that [`Engine::evaluate`] agrees with the rules evaluated one by one on
//! every event (exit status 1 if not), then prints events/s over the whole recording,
//! ns per event for each event type and the rules costing the most per event type.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::process::ExitCode;
use std::time::Instant;

use yagura_event::recording::Reader;
use yagura_event::{Event, EventType};
use yagura_rules::{compile, load_rules_files, Engine, EngineOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(rules), Some(rec)) = (args.first(), args.get(1)) else {
        eprintln!("usage: bench_recording RULES.yaml RECORDING [PASSES]");
        return ExitCode::FAILURE;
    };
    let passes: u32 = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(200);
    let text = match std::fs::read_to_string(rules) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{rules}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let set = match load_rules_files([(text.as_str(), rules.as_str())]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let engine = Engine::new(&compile(&set), &EngineOptions::default());
    let file = match std::fs::File::open(rec) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{rec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let events: Vec<Event> = match Reader::new(BufReader::new(file), rec) {
        Ok(r) => r.collect(),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // The compiled per-type programs must agree with the rule trees, rule by rule.
    let mut hits = Vec::new();
    let mut differ = 0usize;
    for ev in &events {
        hits.clear();
        engine.evaluate(ev, &mut hits);
        let one_by_one: Vec<usize> = (0..engine.len())
            .filter(|i| engine.matches(*i, ev))
            .collect();
        if hits != one_by_one {
            differ += 1;
            eprintln!(
                "event {}: evaluate {hits:?}, rule by rule {one_by_one:?}",
                ev.num
            );
        }
    }
    if differ > 0 {
        return ExitCode::FAILURE;
    }
    let mut matched = 0usize;
    let t0 = Instant::now();
    for _ in 0..passes {
        for ev in &events {
            hits.clear();
            engine.evaluate(ev, &mut hits);
            matched += hits.len();
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let n = events.len() as f64 * f64::from(passes);
    println!(
        "rules={} events={} matches/pass={} events_per_second={:.0}",
        engine.len(),
        events.len(),
        matched / passes.max(1) as usize,
        n / secs
    );

    let mut by_type: BTreeMap<EventType, Vec<&Event>> = BTreeMap::new();
    for ev in &events {
        by_type.entry(ev.kind).or_default().push(ev);
    }
    for (t, evs) in &by_type {
        let t0 = Instant::now();
        for _ in 0..passes {
            for ev in evs {
                hits.clear();
                engine.evaluate(ev, &mut hits);
            }
        }
        let per = t0.elapsed().as_nanos() as f64 / (evs.len() as f64 * f64::from(passes));
        let share = per * evs.len() as f64;
        println!(
            "{:<14} n={:<5} {:>7.1} ns/event  {:>8.0} ns/pass",
            t.name(),
            evs.len(),
            per,
            share
        );
        // Per rule, each evaluated alone (memoised checks are then not shared).
        let mut costs: Vec<(f64, usize)> = engine
            .rules_for(*t)
            .map(|i| {
                let t0 = Instant::now();
                for _ in 0..passes {
                    for ev in evs {
                        std::hint::black_box(engine.matches(i, ev));
                    }
                }
                let ns = t0.elapsed().as_nanos() as f64 / (evs.len() as f64 * f64::from(passes));
                (ns, i)
            })
            .collect();
        costs.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ns, i) in costs.iter().take(6) {
            println!("    {:>7.1} ns  {}", ns, engine.rule(*i).name);
        }
    }
    ExitCode::SUCCESS
}
