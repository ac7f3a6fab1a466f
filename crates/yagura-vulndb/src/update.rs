//! Downloading OSV's per-ecosystem `all.zip` exports into a cache folder,
//! then importing the changed ones.
//!
//! Per ecosystem the cache holds `all.zip` (last good download),
//! `all.zip.json` (its URL, ETag, SHA-256, fetch time), and while a download
//! is under way `all.zip.part` + `all.zip.part.json`, so an interrupted
//! download resumes with a `Range` request instead of starting over.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::db::VulnDb;
use crate::error::{io_err, Error};
use crate::import::{
    import_specs, sha256_file, ImportReport, ImportSource, Provenance, SourceSpec,
};

/// Google Cloud Storage bucket of OSV's exports.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOptions {
    /// Base URL (a mirror of the bucket layout `<base>/<Ecosystem>/all.zip`).
    pub base_url: String,
    /// OSV ecosystem names, e.g. `PyPI`, `Debian:12`, `crates.io`.
    pub ecosystems: Vec<String>,
    pub cache_dir: PathBuf,
    /// Bounds connecting and waiting for response headers. The body has no
    /// total limit: some exports are hundreds of MiB.
    pub timeout: Duration,
    /// Tries per ecosystem; each one resumes where the previous stopped.
    pub attempts: u32,
}

impl UpdateOptions {
    pub fn new(ecosystems: Vec<String>, cache_dir: PathBuf) -> Self {
        UpdateOptions {
            base_url: DEFAULT_BASE_URL.to_string(),
            ecosystems,
            cache_dir,
            timeout: Duration::from_secs(30),
            attempts: 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// A new export was downloaded; `resumed_from` is non-zero when part of
    /// it came from an earlier interrupted download.
    Downloaded { bytes: u64, resumed_from: u64 },
    /// The server's copy has the ETag of the cached one.
    NotModified,
    /// Download or integrity failure; this ecosystem's records (if any) were
    /// kept as they were.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcosystemUpdate {
    pub ecosystem: String,
    pub url: String,
    pub outcome: UpdateOutcome,
    /// SHA-256 of the export now cached.
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateReport {
    pub ecosystems: Vec<EcosystemUpdate>,
    /// `None` when nothing changed and the database was left as it was.
    pub import: Option<ImportReport>,
}

/// What [`update`] is doing, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateProgress<'a> {
    Downloading {
        ecosystem: &'a str,
        bytes: u64,
        total: Option<u64>,
    },
    Importing {
        records: u64,
    },
}

/// Cached-download metadata (`all.zip.json` / `all.zip.part.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CacheMeta {
    url: String,
    #[serde(default)]
    etag: Option<String>,
    /// Base64 MD5 announced by the server (`x-goog-hash`).
    #[serde(default)]
    md5: Option<String>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    sha256: Option<String>,
    #[serde(default)]
    fetched_at: Option<String>,
}

/// Name under which an ecosystem's records are stored in the database.
pub fn source_name(ecosystem: &str) -> String {
    format!("osv:{ecosystem}")
}

/// Downloads each ecosystem's export (skipping unchanged ones via ETag),
/// then rebuilds `dest` with the new exports in one atomic import. Failed
/// ecosystems keep their previous records and are listed in the report; if
/// every ecosystem failed, the first failure is returned as the error.
pub fn update(
    dest: &Path,
    opts: &UpdateOptions,
    progress: &dyn Fn(&UpdateProgress<'_>),
) -> Result<UpdateReport, Error> {
    if opts.ecosystems.is_empty() {
        return Err(Error::InvalidInput("no ecosystems to update".into()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(opts.timeout))
        .timeout_recv_response(Some(opts.timeout))
        .user_agent(concat!("yagura/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    // Sources already in the database, to re-import unchanged cached
    // exports only when the database lacks them.
    let existing = match VulnDb::open(dest) {
        Ok(db) => db.status().map(|s| s.sources).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let mut results = Vec::new();
    let mut specs = Vec::new();
    let mut first_error = None;
    for eco in &opts.ecosystems {
        let url = format!(
            "{}/{}/all.zip",
            opts.base_url.trim_end_matches('/'),
            percent_encode(eco)
        );
        let dir = opts.cache_dir.join(percent_encode(eco));
        let result = download(&agent, &url, &dir, opts.attempts.max(1), &|bytes, total| {
            progress(&UpdateProgress::Downloading {
                ecosystem: eco,
                bytes,
                total,
            })
        });
        let (outcome, meta) = match result {
            Ok(x) => x,
            Err(e) => {
                results.push(EcosystemUpdate {
                    ecosystem: eco.clone(),
                    url,
                    outcome: UpdateOutcome::Failed(e.to_string()),
                    sha256: None,
                });
                first_error.get_or_insert(e);
                continue;
            }
        };
        let name = source_name(eco);
        let in_db = existing
            .iter()
            .any(|s| s.name == name && s.sha256.is_some() && s.sha256 == meta.sha256);
        if outcome != UpdateOutcome::NotModified || !in_db {
            specs.push(SourceSpec {
                name,
                source: ImportSource::OsvZip(dir.join("all.zip")),
                provenance: Provenance {
                    location: Some(url.clone()),
                    fetched_at: meta.fetched_at.clone(),
                    sha256: meta.sha256.clone(),
                    etag: meta.etag.clone(),
                },
            });
        }
        results.push(EcosystemUpdate {
            ecosystem: eco.clone(),
            url,
            outcome,
            sha256: meta.sha256,
        });
    }
    let all_failed = results
        .iter()
        .all(|r| matches!(r.outcome, UpdateOutcome::Failed(_)));
    if all_failed {
        if let Some(e) = first_error {
            return Err(e);
        }
    }
    let import = if specs.is_empty() {
        None
    } else {
        Some(import_specs(dest, &specs, &|n| {
            progress(&UpdateProgress::Importing { records: n })
        })?)
    };
    Ok(UpdateReport {
        ecosystems: results,
        import,
    })
}

/// Percent-encodes everything but RFC 3986 unreserved characters, for
/// ecosystem names like `Debian:12` or `Red Hat` in URLs and file names.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why one attempt stopped.
enum AttemptError {
    /// Worth another attempt (connection dropped, short body, 5xx, ...).
    Retry(String),
    Fatal(Error),
}

fn download(
    agent: &ureq::Agent,
    url: &str,
    dir: &Path,
    attempts: u32,
    progress: &dyn Fn(u64, Option<u64>),
) -> Result<(UpdateOutcome, CacheMeta), Error> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut last = String::new();
    let mut resumed_from = None;
    for _ in 0..attempts {
        match attempt(agent, url, dir, progress, &mut resumed_from) {
            Ok(r) => return Ok(r),
            Err(AttemptError::Fatal(e)) => return Err(e),
            Err(AttemptError::Retry(m)) => last = m,
        }
    }
    Err(Error::Download {
        url: url.to_string(),
        message: format!("gave up after {attempts} attempts: {last}"),
    })
}

fn read_meta(path: &Path) -> Option<CacheMeta> {
    let bytes = fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn write_meta(path: &Path, meta: &CacheMeta) -> Result<(), Error> {
    let json = serde_json::to_vec_pretty(meta).map_err(|e| Error::InvalidInput(e.to_string()))?;
    fs::write(path, json).map_err(io_err(path))
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
}

/// The base64 MD5 from `x-goog-hash` (`crc32c=...,md5=...`, possibly as
/// several headers).
fn goog_md5(resp: &ureq::http::Response<ureq::Body>) -> Option<String> {
    resp.headers()
        .get_all("x-goog-hash")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|part| {
            let (k, v) = part.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("md5")
                .then(|| v.trim().to_string())
        })
}

/// `bytes START-END/TOTAL` → (START, TOTAL).
fn content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim();
    let (span, total) = rest.split_once('/')?;
    let (start, _) = span.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()))
}

fn attempt(
    agent: &ureq::Agent,
    url: &str,
    dir: &Path,
    progress: &dyn Fn(u64, Option<u64>),
    resumed_from: &mut Option<u64>,
) -> Result<(UpdateOutcome, CacheMeta), AttemptError> {
    let fatal = |e: Error| AttemptError::Fatal(e);
    let zip_path = dir.join("all.zip");
    let meta_path = dir.join("all.zip.json");
    let part_path = dir.join("all.zip.part");
    let part_meta_path = dir.join("all.zip.part.json");
    let integrity = |message: String| {
        let _ = fs::remove_file(&part_path);
        let _ = fs::remove_file(&part_meta_path);
        AttemptError::Fatal(Error::Integrity {
            url: url.to_string(),
            message,
        })
    };

    let cached = read_meta(&meta_path).filter(|m| m.url == url && zip_path.is_file());
    let part_meta = read_meta(&part_meta_path).filter(|m| m.url == url);
    let part_len = match (&part_meta, fs::metadata(&part_path)) {
        (Some(_), Ok(m)) => m.len(),
        _ => 0,
    };

    let mut req = agent.get(url);
    if part_len > 0 {
        req = req.header("Range", &format!("bytes={part_len}-"));
        // Only resume if the object is still the one we started on.
        if let Some(etag) = part_meta.as_ref().and_then(|m| m.etag.as_deref()) {
            req = req.header("If-Range", etag);
        }
    } else if let Some(etag) = cached.as_ref().and_then(|m| m.etag.as_deref()) {
        req = req.header("If-None-Match", etag);
    }
    let mut resp = req
        .call()
        .map_err(|e| AttemptError::Retry(format!("request failed: {e}")))?;
    let status = resp.status().as_u16();
    let etag = header(&resp, "etag");
    let md5 = goog_md5(&resp);

    let (offset, total, mut meta) = match status {
        304 => {
            return match cached {
                Some(m) if part_len == 0 => Ok((UpdateOutcome::NotModified, m)),
                _ => Err(AttemptError::Retry("304 without a cached copy".into())),
            };
        }
        200 => {
            let total = header(&resp, "content-length").and_then(|v| v.parse().ok());
            let meta = CacheMeta {
                url: url.to_string(),
                etag: etag.clone(),
                md5: md5.clone(),
                size: total,
                ..CacheMeta::default()
            };
            // A full response (also the answer to a stale If-Range): start over.
            *resumed_from = None;
            File::create(&part_path)
                .map_err(io_err(&part_path))
                .map_err(fatal)?;
            write_meta(&part_meta_path, &meta).map_err(fatal)?;
            (0, total, meta)
        }
        206 => {
            let Some((start, total)) =
                header(&resp, "content-range").and_then(|v| content_range(&v))
            else {
                let _ = fs::remove_file(&part_path);
                return Err(AttemptError::Retry(
                    "206 without a usable Content-Range".into(),
                ));
            };
            let mut meta = part_meta.unwrap_or_default();
            let same_object = match (&meta.etag, &etag) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            if start != part_len || !same_object {
                let _ = fs::remove_file(&part_path);
                return Err(AttemptError::Retry(format!(
                    "server resumed at byte {start} of another or shifted object; restarting"
                )));
            }
            if meta.md5.is_none() {
                meta.md5 = md5.clone();
            }
            meta.size = total.or(meta.size);
            resumed_from.get_or_insert(start);
            (start, meta.size, meta)
        }
        416 => {
            // Our partial file is at or past the end: it is stale.
            let _ = fs::remove_file(&part_path);
            return Err(AttemptError::Retry(
                "range not satisfiable; restarting".into(),
            ));
        }
        s if s >= 500 || s == 408 || s == 429 => {
            return Err(AttemptError::Retry(format!("HTTP status {s}")));
        }
        s => {
            let hint = if s == 404 {
                " (not found: is the ecosystem name spelled as OSV spells it?)"
            } else {
                ""
            };
            return Err(fatal(Error::Download {
                url: url.to_string(),
                message: format!("HTTP status {s}{hint}"),
            }));
        }
    };

    // Stream the body onto the end of the partial file.
    let mut out = OpenOptions::new()
        .append(true)
        .open(&part_path)
        .map_err(io_err(&part_path))
        .map_err(fatal)?;
    let mut reader = resp.body_mut().as_reader();
    let mut buf = vec![0u8; 64 * 1024];
    let mut written = offset;
    let mut last_report = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                let _ = out.sync_all();
                return Err(AttemptError::Retry(format!(
                    "connection lost after {written} bytes: {e}"
                )));
            }
        };
        out.write_all(buf.get(..n).unwrap_or_default())
            .map_err(io_err(&part_path))
            .map_err(fatal)?;
        written += n as u64;
        if written - last_report >= 1 << 20 {
            last_report = written;
            progress(written, total);
        }
    }
    out.sync_all().map_err(io_err(&part_path)).map_err(fatal)?;
    drop(out);
    progress(written, total);

    let size = fs::metadata(&part_path)
        .map_err(io_err(&part_path))
        .map_err(fatal)?
        .len();
    if let Some(t) = total {
        if size < t {
            return Err(AttemptError::Retry(format!(
                "body ended after {size} of {t} bytes"
            )));
        }
        if size > t {
            return Err(integrity(format!(
                "received {size} bytes, the server announced {t}"
            )));
        }
    }
    if let Some(expected) = &meta.md5 {
        let want = base64::engine::general_purpose::STANDARD
            .decode(expected)
            .map_err(|e| integrity(format!("unreadable md5 in x-goog-hash {expected:?}: {e}")))?;
        let mut h = Md5::new();
        File::open(&part_path)
            .and_then(|mut f| std::io::copy(&mut f, &mut h))
            .map_err(io_err(&part_path))
            .map_err(fatal)?;
        let got = h.finalize();
        if got.as_slice() != want.as_slice() {
            return Err(integrity(format!(
                "md5 mismatch: server says {expected}, download has {}",
                base64::engine::general_purpose::STANDARD.encode(got)
            )));
        }
    }
    // The central directory must parse and list entries; entry CRCs are
    // checked as the import reads them.
    match File::open(&part_path).map(std::io::BufReader::new) {
        Ok(f) => {
            if let Err(e) = zip::ZipArchive::new(f) {
                return Err(integrity(format!("not a valid zip: {e}")));
            }
        }
        Err(e) => {
            return Err(fatal(Error::Io {
                path: part_path.clone(),
                source: e,
            }))
        }
    }
    meta.sha256 = Some(
        sha256_file(&part_path)
            .map_err(io_err(&part_path))
            .map_err(fatal)?,
    );
    meta.size = Some(size);
    meta.fetched_at = Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    fs::rename(&part_path, &zip_path)
        .map_err(io_err(&zip_path))
        .map_err(fatal)?;
    write_meta(&meta_path, &meta).map_err(fatal)?;
    let _ = fs::remove_file(&part_meta_path);
    Ok((
        UpdateOutcome::Downloaded {
            bytes: size,
            resumed_from: resumed_from.unwrap_or(0),
        },
        meta,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_ecosystem_names() {
        assert_eq!(percent_encode("Debian:12"), "Debian%3A12");
        assert_eq!(percent_encode("Red Hat"), "Red%20Hat");
        assert_eq!(percent_encode("crates.io"), "crates.io");
    }

    #[test]
    fn parses_content_range() {
        assert_eq!(content_range("bytes 100-199/200"), Some((100, Some(200))));
        assert_eq!(content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(content_range("items 1-2/3"), None);
    }
}
