//! End-to-end tests of vulnerability scanning and SBOMs: the binary on a
//! project with lockfiles and on a three-layer image, against a small OSV
//! folder imported into a fresh advisory database. The expected advisories are
//! exact: nothing missing, nothing extra.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vuln")
}

fn yagura(dir: &Path, vuln_db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yagura"))
        .args(args)
        .current_dir(dir)
        .env("YAGURA_DB", dir.join("findings.db"))
        .env("YAGURA_VULN_DB", vuln_db)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run yagura")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// Runs a scan with `-f json --no-store`, checks the exit code, and returns
/// the report.
fn scan_json(dir: &Path, vuln_db: &Path, args: &[&str], code: i32) -> Value {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["-f", "json", "--no-store"]);
    let out = yagura(dir, vuln_db, &all);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out)
}

/// The finding of one vulnerability ID.
fn finding<'a>(report: &'a Value, check: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no finding {check}"))
}

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn setup() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("advisories.db");
    let out = yagura(
        dir.path(),
        &db,
        &["db", "import", fixtures().join("osv").to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Env { dir, db }
}

/// (check, package name, version, status) of every finding.
fn summary(report: &Value) -> BTreeSet<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["vulnerability"].is_object())
        .map(|f| {
            let p = &f["vulnerability"]["package"];
            (
                f["check"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, &str, &str)]) -> BTreeSet<(String, String, String, String)> {
    items
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect()
}

#[test]
fn lockfiles_yield_exactly_the_expected_advisories() {
    let env = setup();
    let project = fixtures().join("project");
    let report = scan_json(
        env.dir.path(),
        &env.db,
        &["scan", "vuln", project.to_str().unwrap()],
        0,
    );
    assert_eq!(
        summary(&report),
        set(&[
            ("CVE-2021-33203", "Django", "3.2.0", "FAIL"),
            ("CVE-2018-18074", "requests", "2.19.1", "FAIL"),
            ("CVE-2021-25900", "smallvec", "1.6.0", "FAIL"),
        ])
    );
    let django = finding(&report, "CVE-2021-33203");
    // Two advisories, one finding listing both IDs.
    assert_eq!(
        django["vulnerability"]["aliases"],
        serde_json::json!(["GHSA-68w8-qjq3-2gfm", "PYSEC-2021-98"])
    );
    assert_eq!(
        django["vulnerability"]["fixed_versions"],
        serde_json::json!(["3.2.4"])
    );
    // Severity from the GHSA record's CVSS 3.1 vector (4.4).
    assert_eq!(django["severity"], "medium");
    assert_eq!(django["vulnerability"]["severity_source"], "CVSS:3.1 4.4");
    assert!(django["resource"]["location"]["file"]
        .as_str()
        .unwrap()
        .ends_with("requirements.txt"));
    // --fail-on and --ignore-unfixed.
    let out = yagura(
        env.dir.path(),
        &env.db,
        &[
            "scan",
            "vuln",
            project.to_str().unwrap(),
            "--fail-on",
            "critical",
            "--no-store",
            "-f",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "smallvec is critical (9.8)");
}

#[test]
fn an_image_yields_exactly_the_expected_advisories_with_layers() {
    let env = setup();
    let image = env.dir.path().join("image.tar");
    let made = Command::new("python3")
        .arg(fixtures().join("make_image.py"))
        .arg(&image)
        .status()
        .expect("python3");
    assert!(made.success());
    let report = scan_json(
        env.dir.path(),
        &env.db,
        &["scan", "image", image.to_str().unwrap()],
        0,
    );
    assert_eq!(
        summary(&report),
        set(&[
            // Through its source package: the advisory names openssl.
            ("CVE-2023-5678", "libssl3", "3.0.11-1~deb12u2", "FAIL"),
            ("CVE-2021-33203", "Django", "3.2.0", "FAIL"),
            // A version PEP 440 cannot read is NOT_ASSESSED, never clean.
            (
                "GHSA-weird-0000-0000",
                "oddball",
                "not-a-pep440-version!",
                "NOT_ASSESSED"
            ),
            // requests 2.19.1 was deleted by a later layer: no finding.
        ])
    );
    let by_check = |c: &str| finding(&report, c).clone();
    let ssl = by_check("CVE-2023-5678");
    assert_eq!(ssl["vulnerability"]["package"]["layer"]["index"], 0);
    assert_eq!(
        ssl["vulnerability"]["package"]["path"],
        "var/lib/dpkg/status"
    );
    assert_eq!(
        ssl["vulnerability"]["package"]["licenses"],
        serde_json::json!(["Apache-2.0"])
    );
    let django = by_check("CVE-2021-33203");
    assert_eq!(django["vulnerability"]["package"]["layer"]["index"], 1);
    assert!(django["vulnerability"]["package"]["layer"]["created_by"]
        .as_str()
        .unwrap()
        .contains("pip install"));
    assert!(django["vulnerability"]["package"]["path"]
        .as_str()
        .unwrap()
        .starts_with("usr/local/lib/python3.11/site-packages/Django-3.2.0.dist-info"));

    // The SBOM lists every package that is still in the image, curl included
    // (added in layer 2), requests not.
    let out = yagura(env.dir.path(), &env.db, &["sbom", image.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bom = json(&out);
    assert_eq!(bom["specVersion"], "1.6");
    let names: BTreeSet<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    for n in ["libssl3", "zlib1g", "curl", "Django", "oddball"] {
        assert!(names.contains(n), "{n} missing from {names:?}");
    }
    assert!(!names.contains("requests"));
    let out = yagura(
        env.dir.path(),
        &env.db,
        &["sbom", image.to_str().unwrap(), "-f", "spdx"],
    );
    assert!(out.status.success());
    assert_eq!(json(&out)["spdxVersion"], "SPDX-2.3");

    // The SBOM scanned again gives the same vulnerabilities (layers aside).
    let sbom_path = env.dir.path().join("image.cdx.json");
    std::fs::write(&sbom_path, serde_json::to_vec(&bom).unwrap()).unwrap();
    let out = yagura(
        env.dir.path(),
        &env.db,
        &[
            "scan",
            "vuln",
            sbom_path.to_str().unwrap(),
            "-f",
            "json",
            "--no-store",
        ],
    );
    let from_sbom: BTreeSet<String> = summary(&json(&out)).into_iter().map(|s| s.0).collect();
    assert_eq!(
        from_sbom,
        ["CVE-2023-5678", "CVE-2021-33203", "GHSA-weird-0000-0000"]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn vex_marks_a_finding_not_affected_and_cyclonedx_carries_vulnerabilities() {
    let env = setup();
    let project = fixtures().join("project");
    let vex = env.dir.path().join("vex.json");
    std::fs::write(
        &vex,
        serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/vex/1",
            "author": "test",
            "timestamp": "2026-01-01T00:00:00Z",
            "version": 1,
            "statements": [{
                "vulnerability": {"name": "CVE-2018-18074"},
                "products": [{"@id": "pkg:pypi/requests@2.19.1"}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path"
            }]
        })
        .to_string(),
    )
    .unwrap();
    let out = yagura(
        env.dir.path(),
        &env.db,
        &[
            "scan",
            "vuln",
            project.to_str().unwrap(),
            "--vex",
            vex.to_str().unwrap(),
            "-f",
            "json",
            "--no-store",
        ],
    );
    let report = json(&out);
    let requests = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "CVE-2018-18074")
        .expect("still reported");
    assert!(requests["muted"]["reason"]
        .as_str()
        .unwrap()
        .contains("not_affected"));

    let out = yagura(
        env.dir.path(),
        &env.db,
        &[
            "scan",
            "vuln",
            project.to_str().unwrap(),
            "-f",
            "cyclonedx",
            "--no-store",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bom = json(&out);
    let ids: BTreeSet<&str> = bom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert!(ids.contains("CVE-2021-25900"), "{ids:?}");
}

#[test]
fn without_an_advisory_database_the_scan_says_so_and_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.db");
    let project = fixtures().join("project");
    let out = yagura(
        dir.path(),
        &missing,
        &[
            "scan",
            "vuln",
            project.to_str().unwrap(),
            "-f",
            "json",
            "--no-store",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("yagura db update"), "{stderr}");
    // A corrupt database is named as such.
    std::fs::write(&missing, b"this is not a database").unwrap();
    let out = yagura(dir.path(), &missing, &["db", "status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.db"));
}

#[test]
fn bad_input_is_named_and_the_rest_is_still_scanned() {
    let env = setup();
    let project = env.dir.path().join("broken");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::copy(
        fixtures().join("project/requirements.txt"),
        project.join("requirements.txt"),
    )
    .unwrap();
    std::fs::write(
        project.join("package-lock.json"),
        b"{\"lockfileVersion\": 3, \"packages\": {",
    )
    .unwrap();
    let out = yagura(
        env.dir.path(),
        &env.db,
        &[
            "scan",
            "vuln",
            project.to_str().unwrap(),
            "-f",
            "json",
            "--no-store",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a broken lockfile means the scan is partial"
    );
    let report = json(&out);
    let errors = report["errors"].to_string();
    assert!(errors.contains("package-lock.json"), "{errors}");
    assert!(summary(&report).iter().any(|s| s.0 == "CVE-2021-33203"));
    // A truncated image: what could be read is still reported.
    let image = env.dir.path().join("image.tar");
    assert!(Command::new("python3")
        .arg(fixtures().join("make_image.py"))
        .arg(&image)
        .status()
        .unwrap()
        .success());
    let bytes = std::fs::read(&image).unwrap();
    let cut = env.dir.path().join("cut.tar");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = yagura(
        env.dir.path(),
        &env.db,
        &[
            "scan",
            "vuln",
            cut.to_str().unwrap(),
            "-f",
            "json",
            "--no-store",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cut.tar"));
}

/// Real data: the PyPA advisories from ../shared. Skips when absent.
#[test]
fn real_pypa_advisories_match_a_pinned_django() {
    let zip = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/advisories/pypa-osv.zip");
    if !zip.exists() {
        eprintln!("skipped: {} is absent (shared test data)", zip.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("adv.db");
    let out = yagura(dir.path(), &db, &["db", "import", zip.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = yagura(dir.path(), &db, &["db", "status", "-f", "json"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("PyPI"));
    let project = fixtures().join("project");
    let out = yagura(
        dir.path(),
        &db,
        &[
            "scan",
            "vuln",
            project.join("requirements.txt").to_str().unwrap(),
            "-f",
            "json",
            "--no-store",
        ],
    );
    let report = json(&out);
    let ids: BTreeSet<String> = summary(&report).into_iter().map(|s| s.0).collect();
    // Known Django 3.2.0 and requests 2.19.1 vulnerabilities.
    for id in ["CVE-2021-33203", "CVE-2021-33571", "CVE-2018-18074"] {
        assert!(ids.contains(id), "{id} missing from {ids:?}");
    }
}

/// Serves `files` (URL path → body) on 127.0.0.1 until the test process
/// ends; every other path is a 404.
fn serve(files: Vec<(String, Vec<u8>)>) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let req = String::from_utf8_lossy(&buf);
            let path = req.split_whitespace().nth(1).unwrap_or("").to_string();
            let _ = match files.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => {
                    let _ = write!(
                        s,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    s.write_all(body)
                }
                None => s.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    port
}

#[test]
fn db_update_downloads_from_a_mirror_and_a_failed_update_keeps_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("all.zip");
    let made = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile, pathlib\n\
             with zipfile.ZipFile(sys.argv[1], 'w') as z:\n\
             \x20   for p in sorted(pathlib.Path(sys.argv[2]).glob('*.json')):\n\
             \x20       z.write(p, p.name)",
            zip.to_str().unwrap(),
            fixtures().join("osv").to_str().unwrap(),
        ])
        .status()
        .expect("python3");
    assert!(made.success());
    let port = serve(vec![("/PyPI/all.zip".into(), std::fs::read(&zip).unwrap())]);
    let db = dir.path().join("adv.db");
    let url = format!("http://127.0.0.1:{port}");
    let out = yagura(
        dir.path(),
        &db,
        &["db", "update", "--ecosystem", "PyPI", "--url", &url],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = |dir: &Path| {
        let out = yagura(dir, &db, &["db", "status", "-f", "json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out)
    };
    let before = status(dir.path());
    assert_eq!(before["records"], 8, "{before}");
    assert!(before["sources"][0]["location"]
        .as_str()
        .unwrap()
        .contains("/PyPI/all.zip"));
    // The mirror has no npm export: the update fails and the database stays.
    let out = yagura(
        dir.path(),
        &db,
        &["db", "update", "--ecosystem", "npm", "--url", &url],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(status(dir.path())["records"], 8);
    // Scans work on the downloaded data.
    let out = yagura(
        dir.path(),
        &db,
        &[
            "scan",
            "vuln",
            fixtures()
                .join("project/requirements.txt")
                .to_str()
                .unwrap(),
            "-f",
            "json",
            "--no-store",
        ],
    );
    let ids: BTreeSet<String> = summary(&json(&out)).into_iter().map(|s| s.0).collect();
    assert!(ids.contains("CVE-2021-33203"), "{ids:?}");
}

/// Real lockfiles made by cargo and pip (bench/vuln/lockfiles), real advisories
/// from ../shared, and the findings cargo-audit and pip-audit reported on the
/// same inputs (bench/vuln/expected, written by bench/vuln/run.sh's peers) as
/// the oracle: yagura must report exactly those vulnerabilities, each with an
/// overlapping ID. Skips when ../shared is absent.
#[test]
fn real_lockfiles_match_what_cargo_audit_and_pip_audit_report() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = repo.join("../shared/advisories");
    if !shared.exists() {
        eprintln!("skipped: {} is absent (shared test data)", shared.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("adv.db");
    let out = yagura(
        dir.path(),
        &db,
        &[
            "db",
            "import",
            shared.join("pypa-osv.zip").to_str().unwrap(),
            shared.join("rustsec-advisory-db").to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (lockfile, expected) in [
        (
            "bench/vuln/lockfiles/cargo/Cargo.lock",
            "bench/vuln/expected/cargo-audit.json",
        ),
        (
            "bench/vuln/lockfiles/python/requirements.txt",
            "bench/vuln/expected/pip-audit.json",
        ),
    ] {
        let want: Vec<(String, String, Vec<String>)> =
            serde_json::from_slice(&std::fs::read(repo.join(expected)).unwrap()).unwrap();
        let report = scan_json(
            dir.path(),
            &db,
            &["scan", "vuln", repo.join(lockfile).to_str().unwrap()],
            0,
        );
        let got: Vec<(String, String, BTreeSet<String>)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let v = &f["vulnerability"];
                let mut ids: BTreeSet<String> = v["aliases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string())
                    .collect();
                ids.insert(f["check"].as_str().unwrap().to_string());
                (
                    v["package"]["name"].as_str().unwrap().to_lowercase(),
                    v["package"]["version"].as_str().unwrap().to_string(),
                    ids,
                )
            })
            .collect();
        assert_eq!(got.len(), want.len(), "{lockfile}: {got:?}");
        for (name, version, ids) in &want {
            assert!(
                got.iter().any(|(n, v, g)| *n == name.to_lowercase()
                    && v == version
                    && ids.iter().any(|i| g.contains(i))),
                "{lockfile}: the peer's {name} {version} {ids:?} is missing"
            );
        }
    }
}

#[test]
fn the_table_shows_fixed_versions_for_vulnerabilities() {
    let env = setup();
    let project = fixtures().join("project");
    let out = yagura(
        env.dir.path(),
        &env.db,
        &["scan", "vuln", project.to_str().unwrap(), "--no-store"],
    );
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("FIXED IN"), "{table}");
    let row = table
        .lines()
        .find(|l| l.contains("CVE-2021-33203") && l.contains("Django@3.2.0"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        row.contains("Django@3.2.0") && row.contains("3.2.4"),
        "{row}"
    );
    assert!(row.contains("requirements.txt"), "{row}");
}
