//! `update` against a loopback HTTP server that mimics the OSV bucket:
//! ETags, `x-goog-hash`, Range requests, and a connection cut mid-body.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use common::{ids, record};
use md5::{Digest, Md5};
use yagura_vulndb::{update, Error, UpdateOptions, UpdateOutcome, VulnDb};

#[derive(Default)]
struct Served {
    body: Vec<u8>,
    etag: String,
    /// Overrides the correct md5 in `x-goog-hash`.
    md5_override: Option<String>,
    /// Full-body responses left that stop after half the body.
    cut_full_responses: u32,
    /// Answer Range requests with the whole body (200), as some mirrors do.
    ignore_range: bool,
    /// Request lines and the headers we care about, one string per request.
    log: Vec<String>,
}

type Shared = Arc<Mutex<Served>>;

fn serve(state: Shared) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let _ = handle(conn, &state);
        }
    });
    format!("http://{addr}")
}

fn handle(mut conn: TcpStream, state: &Shared) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let (mut range, mut if_none_match, mut if_range) = (None, None, None);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            let v = v.trim().to_string();
            match k.to_ascii_lowercase().as_str() {
                "range" => range = Some(v),
                "if-none-match" => if_none_match = Some(v),
                "if-range" => if_range = Some(v),
                _ => {}
            }
        }
    }
    let mut s = state.lock().unwrap();
    s.log.push(format!(
        "{} range={range:?} inm={if_none_match:?} if-range={if_range:?}",
        request_line.trim()
    ));
    let etag = s.etag.clone();
    let md5 = s
        .md5_override
        .clone()
        .unwrap_or_else(|| base64::engine::general_purpose::STANDARD.encode(Md5::digest(&s.body)));
    let common = format!("ETag: {etag}\r\nx-goog-hash: crc32c=AAAAAA==\r\nx-goog-hash: md5={md5}\r\nConnection: close\r\n");
    if request_line.contains("/Nope/") {
        write!(
            conn,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?;
        return Ok(());
    }
    if if_none_match.as_deref() == Some(etag.as_str()) {
        write!(conn, "HTTP/1.1 304 Not Modified\r\n{common}\r\n")?;
        return Ok(());
    }
    let len = s.body.len();
    let start = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|_| if_range.is_none() || if_range.as_deref() == Some(etag.as_str()))
        .filter(|_| !s.ignore_range);
    match start {
        Some(start) if start < len => {
            write!(
                conn,
                "HTTP/1.1 206 Partial Content\r\n{common}Content-Range: bytes {start}-{}/{len}\r\nContent-Length: {}\r\n\r\n",
                len - 1,
                len - start
            )?;
            conn.write_all(&s.body[start..])?;
        }
        _ => {
            write!(
                conn,
                "HTTP/1.1 200 OK\r\n{common}Content-Length: {len}\r\n\r\n"
            )?;
            if s.cut_full_responses > 0 {
                s.cut_full_responses -= 1;
                conn.write_all(&s.body[..len / 2])?;
                conn.flush()?;
                conn.shutdown(std::net::Shutdown::Both)?;
                return Ok(());
            }
            conn.write_all(&s.body)?;
        }
    }
    conn.flush()
}

fn export_zip(dir: &Path, records: &[serde_json::Value]) -> Vec<u8> {
    let p = dir.join("export.zip");
    common::zip_of_records(&p, records);
    std::fs::read(p).unwrap()
}

fn options(base: &str, cache: &Path, attempts: u32) -> UpdateOptions {
    let mut o = UpdateOptions::new(vec!["PyPI".into()], cache.to_path_buf());
    o.base_url = base.to_string();
    o.timeout = Duration::from_secs(10);
    o.attempts = attempts;
    o
}

/// Enough records that half the zip is well past the first read buffer.
fn many_records(prefix: &str, n: usize) -> Vec<serde_json::Value> {
    (0..n)
        .map(|i| {
            record(
                &format!("{prefix}-{i}"),
                "PyPI",
                &format!("pkg{i}"),
                "0",
                "1.0",
            )
        })
        .collect()
}

#[test]
fn resumes_after_a_dropped_connection_then_skips_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let body = export_zip(dir.path(), &many_records("R", 400));
    let state: Shared = Arc::new(Mutex::new(Served {
        body: body.clone(),
        etag: "\"v1\"".into(),
        cut_full_responses: 1,
        ..Served::default()
    }));
    let base = serve(state.clone());
    let cache = dir.path().join("cache");
    let db_path = dir.path().join("vulndb.sqlite");

    let report = update(&db_path, &options(&base, &cache, 3), &|_| {}).unwrap();
    let half = body.len() / 2;
    assert_eq!(
        report.ecosystems[0].outcome,
        UpdateOutcome::Downloaded {
            bytes: body.len() as u64,
            resumed_from: half as u64
        }
    );
    let log = state.lock().unwrap().log.clone();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].starts_with("GET /PyPI/all.zip "), "{log:?}");
    assert!(
        log[1].contains(&format!("range=Some(\"bytes={half}-\")")),
        "{log:?}"
    );
    assert!(log[1].contains("if-range=Some(\"\\\"v1\\\"\")"), "{log:?}");
    assert_eq!(
        std::fs::read(cache.join("PyPI").join("all.zip")).unwrap(),
        body
    );
    assert!(!cache.join("PyPI").join("all.zip.part").exists());

    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(ids(&db.candidates("PyPI", "PKG7").unwrap()), ["R-7"]);
    let status = db.status().unwrap();
    let src = &status.sources[0];
    assert_eq!(src.name, "osv:PyPI");
    assert_eq!(src.location, format!("{base}/PyPI/all.zip"));
    assert_eq!(src.etag.as_deref(), Some("\"v1\""));
    assert_eq!(src.record_count, 400);
    assert!(src.fetched_at.is_some());
    let sha = src.sha256.clone().unwrap();
    drop(db);
    let built = std::fs::read(&db_path).unwrap();

    // Same ETag: 304, nothing imported, database untouched.
    let report = update(&db_path, &options(&base, &cache, 3), &|_| {}).unwrap();
    assert_eq!(report.ecosystems[0].outcome, UpdateOutcome::NotModified);
    assert_eq!(report.ecosystems[0].sha256.as_deref(), Some(sha.as_str()));
    assert!(report.import.is_none());
    assert!(state.lock().unwrap().log[2].contains("inm=Some(\"\\\"v1\\\"\")"));
    assert_eq!(std::fs::read(&db_path).unwrap(), built);

    // Unchanged upstream but the database was lost: re-imported from cache.
    std::fs::remove_file(&db_path).unwrap();
    let report = update(&db_path, &options(&base, &cache, 3), &|_| {}).unwrap();
    assert_eq!(report.ecosystems[0].outcome, UpdateOutcome::NotModified);
    assert_eq!(report.import.unwrap().total_records, 400);
}

#[test]
fn an_interrupted_run_resumes_in_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let body = export_zip(dir.path(), &many_records("I", 300));
    let state: Shared = Arc::new(Mutex::new(Served {
        body: body.clone(),
        etag: "\"e\"".into(),
        cut_full_responses: 1,
        ..Served::default()
    }));
    let base = serve(state.clone());
    let cache = dir.path().join("cache");
    let db_path = dir.path().join("vulndb.sqlite");
    let err = update(&db_path, &options(&base, &cache, 1), &|_| {}).unwrap_err();
    assert!(matches!(err, Error::Download { .. }), "{err}");
    assert!(!db_path.exists());
    let part = cache.join("PyPI").join("all.zip.part");
    assert_eq!(
        std::fs::metadata(&part).unwrap().len(),
        (body.len() / 2) as u64
    );

    let report = update(&db_path, &options(&base, &cache, 1), &|_| {}).unwrap();
    assert!(matches!(
        report.ecosystems[0].outcome,
        UpdateOutcome::Downloaded { resumed_from, .. } if resumed_from == (body.len() / 2) as u64
    ));
    assert_eq!(report.import.unwrap().total_records, 300);
}

#[test]
fn a_wrong_md5_is_an_integrity_error_and_keeps_the_old_database() {
    let dir = tempfile::tempdir().unwrap();
    let state: Shared = Arc::new(Mutex::new(Served {
        body: export_zip(dir.path(), &many_records("OLD", 5)),
        etag: "\"1\"".into(),
        ..Served::default()
    }));
    let base = serve(state.clone());
    let cache = dir.path().join("cache");
    let db_path = dir.path().join("vulndb.sqlite");
    update(&db_path, &options(&base, &cache, 3), &|_| {}).unwrap();
    let before = std::fs::read(&db_path).unwrap();

    {
        let mut s = state.lock().unwrap();
        s.body = export_zip(dir.path(), &many_records("NEW", 5));
        s.etag = "\"2\"".into();
        s.md5_override = Some(base64::engine::general_purpose::STANDARD.encode([0u8; 16]));
    }
    let err = update(&db_path, &options(&base, &cache, 3), &|_| {}).unwrap_err();
    match &err {
        Error::Integrity { url, message } => {
            assert!(url.ends_with("/PyPI/all.zip"));
            assert!(message.contains("md5 mismatch"), "{message}");
        }
        other => panic!("expected Integrity, got {other}"),
    }
    assert_eq!(std::fs::read(&db_path).unwrap(), before);
    assert!(!cache.join("PyPI").join("all.zip.part").exists());
    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(ids(&db.candidates("PyPI", "pkg1").unwrap()), ["OLD-1"]);

    // A body that is not a zip, with a matching md5, is rejected too.
    {
        let mut s = state.lock().unwrap();
        s.body = b"<html>captive portal</html>".to_vec();
        s.md5_override = None;
    }
    let err = update(&db_path, &options(&base, &cache, 3), &|_| {}).unwrap_err();
    assert!(
        matches!(&err, Error::Integrity { message, .. } if message.contains("zip")),
        "{err}"
    );
    assert_eq!(std::fs::read(&db_path).unwrap(), before);
}

#[test]
fn ecosystem_names_are_url_encoded_and_http_errors_reported() {
    let dir = tempfile::tempdir().unwrap();
    let state: Shared = Arc::new(Mutex::new(Served {
        body: export_zip(
            dir.path(),
            &[record("D-1", "Debian:12", "openssl", "0", "3.0.11-1")],
        ),
        etag: "\"d\"".into(),
        ..Served::default()
    }));
    let base = serve(state.clone());
    let mut opts = options(&base, &dir.path().join("cache"), 1);
    opts.ecosystems = vec!["Debian:12".into()];
    let db_path = dir.path().join("vulndb.sqlite");
    update(&db_path, &opts, &|_| {}).unwrap();
    assert!(state.lock().unwrap().log[0].starts_with("GET /Debian%3A12/all.zip "));
    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(
        ids(&db.candidates("Debian:12", "openssl").unwrap()),
        ["D-1"]
    );

    // Nothing listening: a download error naming the URL.
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    opts.base_url = format!("http://{free}");
    let err = update(&dir.path().join("other.sqlite"), &opts, &|_| {}).unwrap_err();
    assert!(
        matches!(&err, Error::Download { url, .. } if url.contains("Debian%3A12")),
        "{err}"
    );
}

#[test]
fn a_full_response_to_a_range_request_restarts_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let body = export_zip(dir.path(), &many_records("F", 300));
    let state: Shared = Arc::new(Mutex::new(Served {
        body: body.clone(),
        etag: "\"f\"".into(),
        cut_full_responses: 1,
        ignore_range: true,
        ..Served::default()
    }));
    let base = serve(state.clone());
    let cache = dir.path().join("cache");
    let db_path = dir.path().join("vulndb.sqlite");
    let report = update(&db_path, &options(&base, &cache, 3), &|_| {}).unwrap();
    assert_eq!(
        report.ecosystems[0].outcome,
        UpdateOutcome::Downloaded {
            bytes: body.len() as u64,
            resumed_from: 0
        }
    );
    let log = state.lock().unwrap().log.clone();
    assert!(log[1].contains("range=Some"), "{log:?}");
    assert_eq!(
        std::fs::read(cache.join("PyPI").join("all.zip")).unwrap(),
        body
    );
    assert_eq!(report.import.unwrap().total_records, 300);
}

#[test]
fn one_failed_ecosystem_does_not_block_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let state: Shared = Arc::new(Mutex::new(Served {
        body: export_zip(dir.path(), &many_records("P", 3)),
        etag: "\"p\"".into(),
        ..Served::default()
    }));
    let base = serve(state);
    let mut opts = options(&base, &dir.path().join("cache"), 3);
    opts.ecosystems = vec!["Nope".into(), "PyPI".into()];
    let db_path = dir.path().join("vulndb.sqlite");
    let report = update(&db_path, &opts, &|_| {}).unwrap();
    match &report.ecosystems[0].outcome {
        UpdateOutcome::Failed(m) => assert!(m.contains("404"), "{m}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(matches!(
        report.ecosystems[1].outcome,
        UpdateOutcome::Downloaded { .. }
    ));
    assert_eq!(report.import.unwrap().total_records, 3);
    assert_eq!(
        ids(&VulnDb::open(&db_path)
            .unwrap()
            .candidates("PyPI", "pkg2")
            .unwrap()),
        ["P-2"]
    );
}
