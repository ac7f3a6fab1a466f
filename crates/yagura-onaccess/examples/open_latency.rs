//! Measure open()+close() latency of one file under a (possibly) watched dir.
//!
//! ```text
//! open_latency <dir> [iterations] [--protect]
//! ```
//!
//! Without `--protect` it only measures (run it once with and once without
//! a guard running elsewhere). With `--protect` it starts a guard on `<dir>`
//! in a child process (a guard never intercepts its own process), warms the
//! verdict cache with one open, and measures cached opens. Needs root for
//! `--protect`.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use yagura_onaccess::{Config, Guard, Judge, Verdict};

/// Reads the whole file, like a real engine would, and finds nothing.
struct ReadAll;

impl Judge for ReadAll {
    fn judge(&self, file: &File, _path: &Path) -> Verdict {
        let mut buf = Vec::new();
        match (&*file).read_to_end(&mut buf) {
            Ok(_) => Verdict::Clean,
            Err(e) => Verdict::Unknown {
                reason: e.to_string(),
            },
        }
    }
}

fn serve(dir: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let cfg = Config {
        watch: vec![dir],
        ..Config::default()
    };
    let guard = Guard::start(cfg, Arc::new(ReadAll), Box::new(|d| eprintln!("{d:?}")))?;
    println!("ready");
    std::io::stdout().flush()?;
    // Run until the parent closes our stdin.
    let mut sink = Vec::new();
    std::io::stdin().read_to_end(&mut sink)?;
    let stats = guard.stop()?;
    eprintln!("guard stats: {}", serde_json::to_string(&stats)?);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        let dir = args.get(1).ok_or("--serve needs a dir")?;
        return serve(PathBuf::from(dir));
    }
    let protect = args.iter().any(|a| a == "--protect");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let dir = PathBuf::from(
        pos.first()
            .ok_or("usage: open_latency <dir> [iterations] [--protect]")?,
    );
    let n: usize = match pos.get(1) {
        Some(s) => s.parse()?,
        None => 20_000,
    };
    if n == 0 {
        return Err("iterations must be at least 1".into());
    }
    let file = dir.join("open-latency-probe.txt");
    if !file.exists() {
        std::fs::write(&file, vec![b'x'; 4096])?;
    }

    let mut child = None;
    if protect {
        let mut c = Command::new(std::env::current_exe()?)
            .arg("--serve")
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let out = c.stdout.take().ok_or("no child stdout")?;
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line)?;
        if line.trim() != "ready" {
            let _ = c.wait();
            return Err("guard failed to start".into());
        }
        child = Some(c);
    }

    // Warm-up: the first open under a guard is a scan (cache miss).
    let t = Instant::now();
    drop(File::open(&file)?);
    let first = t.elapsed();
    for _ in 0..100 {
        drop(File::open(&file)?);
    }
    let mut lat: Vec<Duration> = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let f = File::open(&file)?;
        drop(f);
        lat.push(t.elapsed());
    }
    lat.sort();
    let total: Duration = lat.iter().sum();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "file={} protect={} n={} first_open_us={:.1} mean_us={:.2} p50_us={:.2} p99_us={:.2} max_us={:.1}",
        file.display(),
        protect,
        n,
        us(first),
        us(total / n.max(1) as u32),
        us(pct(0.50)),
        us(pct(0.99)),
        us(lat[lat.len() - 1]),
    );

    if let Some(mut c) = child {
        drop(c.stdin.take());
        c.wait()?;
    }
    Ok(())
}
