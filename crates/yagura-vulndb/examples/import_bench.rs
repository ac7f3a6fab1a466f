//! Times an import of N synthetic OSV records (default 100,000) from a zip,
//! then a batch candidate query of 800 packages, and prints the file size.
//!
//! `cargo run --release -p yagura-vulndb --example import_bench [N]`

use std::io::Write;
use std::time::Instant;

use serde_json::json;
use yagura_vulndb::{import, ImportSource, VulnDb};

const ECOSYSTEMS: [&str; 4] = ["PyPI", "npm", "Debian:12", "crates.io"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = match std::env::args().nth(1) {
        Some(a) => a.parse()?,
        None => 100_000,
    };
    let dir = tempfile::tempdir()?;
    let zip_path = dir.path().join("all.zip");
    let packages = (n / 8).max(1);
    let t = Instant::now();
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path)?);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..n {
            let id = format!("BENCH-{i:07}");
            let p = i % packages;
            let eco = ECOSYSTEMS[p % ECOSYSTEMS.len()];
            let rec = json!({
                "schema_version": "1.6.0",
                "id": id,
                "modified": "2025-01-01T00:00:00Z",
                "published": "2024-06-01T00:00:00Z",
                "aliases": [format!("CVE-2024-{i:06}"), format!("GHSA-{i:04x}-bench-xxxx")],
                "summary": format!("Synthetic advisory {i} for package pkg-{p}"),
                "details": "A moderately long description, as real advisories have: ".repeat(12),
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                "affected": [{
                    "package": {"ecosystem": eco, "name": format!("pkg-{p}"), "purl": format!("pkg:generic/pkg-{p}")},
                    "ranges": [{"type": "ECOSYSTEM", "events": [
                        {"introduced": "0"}, {"fixed": format!("1.{}.0", i % 50)}]}],
                    "versions": (0..(i % 30)).map(|v| format!("0.{v}.0")).collect::<Vec<_>>(),
                    "database_specific": {"source": "https://example.invalid/advisories"}
                }],
                "references": [
                    {"type": "ADVISORY", "url": format!("https://example.invalid/advisories/{id}")},
                    {"type": "WEB", "url": format!("https://example.invalid/issues/{i}")}
                ]
            });
            w.start_file(format!("{id}.json"), opts)?;
            w.write_all(&serde_json::to_vec(&rec)?)?;
        }
        w.finish()?;
    }
    println!(
        "synthesized {n} records ({} bytes zipped) in {:?}",
        std::fs::metadata(&zip_path)?.len(),
        t.elapsed()
    );

    let db_path = dir.path().join("vulndb.sqlite");
    let t = Instant::now();
    let report = import(
        &db_path,
        &[("bench".into(), ImportSource::OsvZip(zip_path))],
        &|_| {},
    )?;
    println!(
        "import: {} records in {:?}, {} issues, db {} bytes",
        report.total_records,
        t.elapsed(),
        report.issues.len(),
        std::fs::metadata(&db_path)?.len()
    );

    let t = Instant::now();
    let db = VulnDb::open(&db_path)?;
    println!("open: {:?}", t.elapsed());
    let t = Instant::now();
    db.verify()?;
    println!("quick_check: {:?}", t.elapsed());

    let names: Vec<String> = (0..800)
        .map(|p| format!("pkg-{}", p * 7 % packages))
        .collect();
    let queries: Vec<(&str, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, nm)| {
            (
                ECOSYSTEMS[(i * 7 % packages) % ECOSYSTEMS.len()],
                nm.as_str(),
            )
        })
        .collect();
    // Best of 5: the machine may be shared.
    let mut best = std::time::Duration::MAX;
    let mut total = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let hits = db.candidates_many(&queries)?;
        best = best.min(t.elapsed());
        total = hits.iter().map(Vec::len).sum::<usize>();
    }
    println!("candidates_many: 800 packages, {total} candidate records, best of 5 {best:?}");
    // The common case: most packages of a scan have no advisory at all.
    let misses: Vec<String> = (0..800).map(|i| format!("clean-{i}")).collect();
    let queries: Vec<(&str, &str)> = misses.iter().map(|m| ("npm", m.as_str())).collect();
    let mut best = std::time::Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        db.candidates_many(&queries)?;
        best = best.min(t.elapsed());
    }
    println!("candidates_many: 800 packages without advisories, best of 5 {best:?}");
    if let Some(keep) = std::env::var_os("BENCH_KEEP_DB") {
        std::fs::copy(&db_path, keep)?;
    }
    Ok(())
}
