//! Imports a real OSV export zip and times a batch candidate query of every
//! package it names (best of 5):
//! `cargo run --release -p yagura-vulndb --example query_bench -- <all.zip>`

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use yagura_vulndb::{import, ImportSource, VulnDb};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let zip = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: query_bench <all.zip>")?,
    );
    let dir = tempfile::tempdir()?;
    let db_path = dir.path().join("vulndb.sqlite");
    let t = Instant::now();
    let report = import(
        &db_path,
        &[("bench".into(), ImportSource::OsvZip(zip.clone()))],
        &|_| {},
    )?;
    println!(
        "import: {} records in {:?}, db {} bytes",
        report.total_records,
        t.elapsed(),
        std::fs::metadata(&db_path)?.len()
    );
    let (records, _) = yagura_osv::load_zip(&zip);
    let packages: BTreeSet<(String, String)> = records
        .iter()
        .flat_map(|r| r.affected.iter().filter_map(|a| a.package.as_ref()))
        .map(|p| (p.ecosystem.clone(), p.name.clone()))
        .collect();
    let queries: Vec<(&str, &str)> = packages
        .iter()
        .map(|(e, n)| (e.as_str(), n.as_str()))
        .collect();
    let db = VulnDb::open(&db_path)?;
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let hits = db.candidates_many(&queries)?;
        best = best.min(t.elapsed());
        found = hits.iter().map(Vec::len).sum::<usize>();
    }
    println!(
        "{} packages, {found} candidate records, best of 5 {best:?}",
        queries.len()
    );
    Ok(())
}
