//! Helpers shared by the integration tests: synthetic OSV records and zips.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

/// A minimal OSV record affecting one package in `[introduced, fixed)`.
pub fn record(id: &str, ecosystem: &str, name: &str, introduced: &str, fixed: &str) -> Value {
    json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2024-01-01T00:00:00Z",
        "aliases": [format!("CVE-{id}")],
        "summary": format!("summary of {id}"),
        "affected": [{
            "package": {"ecosystem": ecosystem, "name": name},
            "ranges": [{"type": "ECOSYSTEM",
                        "events": [{"introduced": introduced}, {"fixed": fixed}]}]
        }]
    })
}

/// Writes `entries` (name, bytes) into a deflated zip at `path`.
pub fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

pub fn zip_of_records(path: &Path, records: &[Value]) {
    let entries: Vec<(String, Vec<u8>)> = records
        .iter()
        .map(|r| {
            (
                format!("{}.json", r["id"].as_str().unwrap()),
                serde_json::to_vec(r).unwrap(),
            )
        })
        .collect();
    write_zip(path, &entries);
}

pub fn ids(records: &[yagura_osv::Osv]) -> Vec<String> {
    records.iter().map(|r| r.id.clone()).collect()
}
