//! Prints the findings of a directory scan, one per line (redacted), with a
//! per-detector summary: a quick way to review detector noise on a real tree.
//!
//! `cargo run -p yagura-secrets --example scan_tree -- PATH [gitleaks.toml]`

use std::collections::BTreeMap;
use std::path::Path;

use yagura_secrets::{Config, Scanner};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = args
        .first()
        .ok_or("usage: scan_tree PATH [gitleaks.toml]")?;
    let cfg = match args.get(1) {
        Some(p) => Config::from_gitleaks_toml(Path::new(p))?,
        None => Config::builtin(),
    };
    let scanner = Scanner::new(cfg)?;
    let out = scanner.scan_path(Path::new(root));
    let mut by_detector: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &out.findings {
        *by_detector.entry(f.detector_id.as_str()).or_default() += 1;
        println!(
            "{}:{}:{} {} {}",
            f.file, f.line, f.column_start, f.detector_id, f.redacted
        );
    }
    for (id, n) in by_detector {
        println!("{n:6} {id}");
    }
    for (p, e) in &out.errors {
        eprintln!("error: {p}: {e}");
    }
    println!(
        "{} files, {} bytes, {} findings",
        out.files_scanned,
        out.bytes_scanned,
        out.findings.len()
    );
    Ok(())
}
