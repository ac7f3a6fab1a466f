//! Benchmark: the whole check catalogue over N normalized resources from a
//! synthetic AWS Config snapshot, on one thread. Collection is timed separately;
//! the number that matters is evaluation.
//!
//! ```text
//! cargo run --release -p yagura-engine --example eval_bench -- 100000
//! ```

use chrono::Utc;
use std::time::Instant;
use yagura_engine::Engine;
use yagura_model::Inventory;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let doc = yagura_awsconfig::generate_synthetic_snapshot(n, 42);
    let path = std::env::temp_dir().join(format!("yagura-eval-bench-{n}.json"));
    let written = serde_json::to_vec(&doc)
        .map_err(|e| e.to_string())
        .and_then(|b| std::fs::write(&path, b).map_err(|e| e.to_string()));
    if let Err(e) = written {
        eprintln!("error: writing {}: {e}", path.display());
        std::process::exit(2);
    }
    drop(doc);
    let resources = match yagura_awsconfig::collect(&path) {
        Ok(c) => c.resources,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let _ = std::fs::remove_file(&path);
    let gen = t.elapsed();
    let count = resources.len();
    let t = Instant::now();
    let inventory = Inventory::new(resources);
    let index = t.elapsed();
    let mut engine = Engine {
        checks: yagura_checks::registry().to_vec(),
        policies: &mut [],
        suppressions: &[],
        now: Utc::now(),
    };
    let t = Instant::now();
    let ev = engine.run(&inventory);
    let eval = t.elapsed();
    println!(
        "resources {count}  checks {}  findings {}  generate+write+collect {:.2}s  index {:.3}s  evaluate {:.3}s ({:.0} resources/s, one thread)",
        yagura_checks::registry().len(),
        ev.findings.len(),
        gen.as_secs_f64(),
        index.as_secs_f64(),
        eval.as_secs_f64(),
        count as f64 / eval.as_secs_f64()
    );
}
