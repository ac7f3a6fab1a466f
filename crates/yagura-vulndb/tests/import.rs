//! Import, query and failure behaviour of the advisory database.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{ids, record, zip_of_records};
use serde_json::json;
use yagura_vulndb::{detect_source, import, Error, ImportSource, VulnDb};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/advisories")
        .join(rel)
}

fn no_progress(_: u64) {}

#[test]
fn pypa_export_import_and_candidates_match_a_direct_scan() {
    let zip = shared("pypa-osv.zip");
    if !zip.is_file() {
        eprintln!("skipping: {} is absent", zip.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("vulndb.sqlite");
    let t = Instant::now();
    let report = import(
        &db_path,
        &[("pypa".into(), ImportSource::OsvZip(zip.clone()))],
        &no_progress,
    )
    .unwrap();
    eprintln!(
        "pypa import: {:?}, {} records",
        t.elapsed(),
        report.total_records
    );
    let (direct, load_issues) = yagura_osv::load_zip(&zip);
    assert_eq!(report.total_records as usize, direct.len());
    assert_eq!(
        report.issues.len(),
        load_issues.len(),
        "{:?}",
        report.issues
    );
    assert_eq!(report.sources[0].records as usize, direct.len());

    let db = VulnDb::open(&db_path).unwrap();
    let scan = |name: &str| -> BTreeSet<String> {
        direct
            .iter()
            .filter(|r| r.withdrawn.is_none())
            .filter(|r| {
                r.affected
                    .iter()
                    .filter_map(|a| a.package.as_ref())
                    .any(|p| {
                        yagura_osv::ecosystem_matches(&p.ecosystem, "PyPI")
                            && yagura_osv::package_matches(&p.ecosystem, &p.name, name)
                    })
            })
            .map(|r| r.id.clone())
            .collect()
    };
    let django = db.candidates("PyPI", "Django").unwrap();
    assert!(!django.is_empty());
    let got: BTreeSet<String> = ids(&django).into_iter().collect();
    assert_eq!(got, scan("Django"));
    assert_eq!(ids(&db.candidates("PyPI", "django").unwrap()), ids(&django));
    // Bodies round-trip: the stored record equals the one in the zip.
    let first = &django[0];
    assert_eq!(direct.iter().find(|r| r.id == first.id), Some(first));

    // Every package name in the export answers like the direct scan, and a
    // batch of them is fast.
    let names: BTreeSet<String> = direct
        .iter()
        .flat_map(|r| r.affected.iter().filter_map(|a| a.package.as_ref()))
        .map(|p| p.name.clone())
        .collect();
    let names: Vec<String> = names.into_iter().take(800).collect();
    let queries: Vec<(&str, &str)> = names.iter().map(|n| ("PyPI", n.as_str())).collect();
    let t = Instant::now();
    let batch = db.candidates_many(&queries).unwrap();
    eprintln!(
        "candidates_many of {} packages: {:?}",
        queries.len(),
        t.elapsed()
    );
    for ((_, name), got) in queries.iter().zip(&batch) {
        let got: BTreeSet<String> = ids(got).into_iter().collect();
        assert_eq!(got, scan(name), "{name}");
    }
    // An alias finds its record.
    let with_alias = direct.iter().find(|r| !r.aliases.is_empty()).unwrap();
    let by_alias = db.get(&with_alias.aliases[0]).unwrap().unwrap();
    assert!(by_alias.id == with_alias.id || by_alias.aliases.contains(&with_alias.aliases[0]));
    let status = db.status().unwrap();
    assert_eq!(status.records as usize, direct.len());
    assert!(status
        .ecosystems
        .iter()
        .any(|e| e.ecosystem == "PyPI" && e.records > 2000));
    assert_eq!(status.sources[0].sha256.as_ref().map(String::len), Some(64));
}

#[test]
fn rustsec_checkout_imports_every_advisory() {
    let repo = shared("rustsec-advisory-db");
    if !repo.join("crates").is_dir() {
        eprintln!("skipping: {} is absent", repo.display());
        return;
    }
    assert_eq!(
        detect_source(&repo).unwrap(),
        ImportSource::RustSec(repo.clone())
    );
    let md_files = fs::read_dir(repo.join("crates"))
        .unwrap()
        .flat_map(|d| fs::read_dir(d.unwrap().path()).unwrap())
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "md")
        })
        .count();
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("vulndb.sqlite");
    let report = import(
        &db_path,
        &[("rustsec".into(), ImportSource::RustSec(repo.clone()))],
        &no_progress,
    )
    .unwrap();
    let skipped = report.issues.iter().filter(|i| i.skipped).count();
    for i in &report.issues {
        eprintln!("issue: {i}");
    }
    assert_eq!(report.total_records as usize, md_files - skipped);
    assert!(md_files > 1000);

    let db = VulnDb::open(&db_path).unwrap();
    // RUSTSEC-2021-0124: patched [">= 1.8.4, < 1.9.0", ">= 1.13.1"],
    // unaffected ["< 0.1.14"].
    let tokio = db.get("RUSTSEC-2021-0124").unwrap().unwrap();
    let ev = &tokio.affected[0].ranges[0].events;
    let flat: Vec<(Option<&str>, Option<&str>)> = ev
        .iter()
        .map(|e| (e.introduced.as_deref(), e.fixed.as_deref()))
        .collect();
    assert_eq!(
        flat,
        [
            (Some("0.1.14"), None),
            (None, Some("1.8.4")),
            (Some("1.9.0"), None),
            (None, Some("1.13.1")),
        ]
    );
    assert_eq!(
        db.get("CVE-2021-45710").unwrap().unwrap().id,
        "RUSTSEC-2021-0124"
    );
    let hit = |v: &str| yagura_osv::affected(&tokio, "crates.io", "tokio", v).unwrap();
    assert!(hit("1.13.0").is_some());
    assert!(hit("1.8.4").is_none());
    assert!(hit("0.1.13").is_none());
    assert!(db
        .candidates("crates.io", "tokio")
        .unwrap()
        .iter()
        .any(|r| r.id == "RUSTSEC-2021-0124"));
    // Informational advisories are kept and marked.
    let badge = db.get("RUSTSEC-2022-0057").unwrap().unwrap();
    assert_eq!(
        badge.database_specific.unwrap()["informational"],
        "unmaintained"
    );
    // Withdrawn advisories are stored but never candidates.
    let withdrawn = db.get("RUSTSEC-2022-0044").unwrap().unwrap();
    assert!(withdrawn.withdrawn.is_some());
    assert!(!ids(&db.candidates("crates.io", "markdown").unwrap())
        .contains(&"RUSTSEC-2022-0044".to_string()));
    // crates.io names are case-sensitive.
    assert!(db.candidates("crates.io", "Tokio").unwrap().is_empty());
}

/// A hand-made folder: JSON and YAML records, a nested folder, a broken file.
fn osv_dir(root: &Path) {
    let nested = root.join("nested");
    fs::create_dir_all(&nested).unwrap();
    let write =
        |p: PathBuf, v: serde_json::Value| fs::write(p, serde_json::to_vec(&v).unwrap()).unwrap();
    write(
        root.join("A-1.json"),
        record("A-1", "NuGet", "Newtonsoft.Json", "0", "13.0.1"),
    );
    write(
        root.join("A-2.json"),
        record("A-2", "Debian:12", "openssl", "0", "3.0.11-1"),
    );
    write(
        root.join("A-3.json"),
        record("A-3", "Debian:11", "openssl", "0", "1.1.1w-0"),
    );
    write(
        root.join("A-4.json"),
        record("A-4", "Debian", "openssl", "0", "3.0.0"),
    );
    let mut withdrawn = record("A-5", "npm", "left-pad", "0", "1.0.0");
    withdrawn["withdrawn"] = json!("2024-02-01T00:00:00Z");
    write(nested.join("A-5.json"), withdrawn);
    fs::write(
        nested.join("A-6.yaml"),
        "id: A-6\nmodified: 2024-01-01T00:00:00Z\naffected:\n  - package: {ecosystem: PyPI, name: Zope.Interface}\n    versions: ['1.0']\n",
    )
    .unwrap();
    fs::write(root.join("broken.json"), "{not json").unwrap();
    fs::write(root.join("README.md"), "ignored").unwrap();
}

#[test]
fn osv_folder_round_trip_and_ecosystem_rules() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("records");
    osv_dir(&src);
    assert_eq!(
        detect_source(&src).unwrap(),
        ImportSource::OsvDir(src.clone())
    );
    let db_path = dir.path().join("db").join("vulndb.sqlite");
    let report = import(
        &db_path,
        &[("local".into(), ImportSource::OsvDir(src.clone()))],
        &no_progress,
    )
    .unwrap();
    assert_eq!(report.total_records, 6);
    assert_eq!(report.issues.len(), 1);
    assert!(report.issues[0].path.ends_with("broken.json"));
    assert!(report.issues[0].message.contains("invalid OSV JSON"));

    let db = VulnDb::open(&db_path).unwrap();
    let original: yagura_osv::Osv =
        serde_json::from_slice(&fs::read(src.join("A-1.json")).unwrap()).unwrap();
    assert_eq!(db.get("A-1").unwrap().unwrap(), original);
    assert_eq!(db.get("CVE-A-1").unwrap().unwrap().id, "A-1");
    assert_eq!(db.get("nope").unwrap(), None);
    // NuGet names are case-insensitive; PyPI names PEP 503-normalised.
    assert_eq!(
        ids(&db.candidates("NuGet", "newtonsoft.json").unwrap()),
        ["A-1"]
    );
    assert_eq!(
        ids(&db.candidates("PyPI", "zope-interface").unwrap()),
        ["A-6"]
    );
    assert_eq!(
        ids(&db.candidates("pypi", "ZOPE_interface").unwrap()),
        ["A-6"]
    );
    // Releases: a release query matches that release and release-less
    // records; a family query matches all.
    assert_eq!(
        ids(&db.candidates("Debian:12", "openssl").unwrap()),
        ["A-2", "A-4"]
    );
    assert_eq!(
        ids(&db.candidates("Debian", "openssl").unwrap()),
        ["A-2", "A-3", "A-4"]
    );
    assert!(db.candidates("Debian:13", "OpenSSL").unwrap().is_empty());
    // Withdrawn: stored, not a candidate.
    assert!(db.candidates("npm", "left-pad").unwrap().is_empty());
    assert!(db.get("A-5").unwrap().unwrap().withdrawn.is_some());
    let many = db
        .candidates_many(&[
            ("Debian:11", "openssl"),
            ("npm", "nothing"),
            ("Debian:11", "openssl"),
        ])
        .unwrap();
    assert_eq!(many.len(), 3);
    assert_eq!(ids(&many[0]), ["A-3", "A-4"]);
    assert!(many[1].is_empty());
    assert_eq!(many[0], many[2]);

    // A single record file is a source too.
    let single = src.join("A-1.json");
    assert_eq!(
        detect_source(&single).unwrap(),
        ImportSource::OsvDir(single.clone())
    );
}

#[test]
fn reimporting_a_source_replaces_only_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let zip_a = dir.path().join("a.zip");
    let zip_b = dir.path().join("b.zip");
    zip_of_records(
        &zip_a,
        &[
            record("A-1", "npm", "x", "0", "1"),
            record("A-2", "npm", "y", "0", "1"),
        ],
    );
    zip_of_records(&zip_b, &[record("B-1", "npm", "x", "0", "2")]);
    assert_eq!(
        detect_source(&zip_a).unwrap(),
        ImportSource::OsvZip(zip_a.clone())
    );
    let db_path = dir.path().join("vulndb.sqlite");
    import(
        &db_path,
        &[
            ("a".into(), ImportSource::OsvZip(zip_a.clone())),
            ("b".into(), ImportSource::OsvZip(zip_b)),
        ],
        &no_progress,
    )
    .unwrap();
    assert_eq!(
        ids(&VulnDb::open(&db_path)
            .unwrap()
            .candidates("npm", "x")
            .unwrap()),
        ["A-1", "B-1"]
    );

    zip_of_records(&zip_a, &[record("A-3", "npm", "x", "0", "1")]);
    let report = import(
        &db_path,
        &[("a".into(), ImportSource::OsvZip(zip_a))],
        &no_progress,
    )
    .unwrap();
    assert_eq!(report.kept_records, 1);
    assert_eq!(report.total_records, 2);
    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(ids(&db.candidates("npm", "x").unwrap()), ["A-3", "B-1"]);
    assert!(db.candidates("npm", "y").unwrap().is_empty());
    assert_eq!(db.get("CVE-B-1").unwrap().unwrap().id, "B-1");
    let status = db.status().unwrap();
    let counts: Vec<(String, u64)> = status
        .sources
        .iter()
        .map(|s| (s.name.clone(), s.record_count))
        .collect();
    assert_eq!(counts, [("a".to_string(), 1), ("b".to_string(), 1)]);
    assert_eq!(status.ecosystems.len(), 1);
    assert_eq!(status.ecosystems[0].records, 2);
}

#[test]
fn failed_import_leaves_the_old_database_intact() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.zip");
    zip_of_records(&good, &[record("G-1", "npm", "x", "0", "1")]);
    let db_path = dir.path().join("vulndb.sqlite");
    import(
        &db_path,
        &[("good".into(), ImportSource::OsvZip(good.clone()))],
        &no_progress,
    )
    .unwrap();
    let before = fs::read(&db_path).unwrap();

    // The first source imports fine, the second cannot be read at all.
    let newer = dir.path().join("newer.zip");
    zip_of_records(&newer, &[record("N-1", "npm", "x", "0", "1")]);
    let garbage = dir.path().join("garbage.zip");
    fs::write(&garbage, b"PK\x03\x04 this is not really a zip").unwrap();
    let err = import(
        &db_path,
        &[
            ("good".into(), ImportSource::OsvZip(newer)),
            ("broken".into(), ImportSource::OsvZip(garbage.clone())),
        ],
        &no_progress,
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Source { path, .. } if path == &garbage),
        "{err}"
    );
    assert_eq!(fs::read(&db_path).unwrap(), before);
    let db = VulnDb::open(&db_path).unwrap();
    assert_eq!(ids(&db.candidates("npm", "x").unwrap()), ["G-1"]);
    // No temp file is left behind.
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("building"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A missing source path fails the same way.
    assert!(matches!(
        import(
            &db_path,
            &[("x".into(), ImportSource::OsvDir(dir.path().join("missing")))],
            &no_progress
        ),
        Err(Error::Source { .. })
    ));
}

#[test]
fn unusable_files_are_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.sqlite");
    assert!(matches!(VulnDb::open(&missing), Err(Error::Missing { .. })));
    let msg = VulnDb::open(&missing).unwrap_err().to_string();
    assert!(msg.contains("yagura db update"), "{msg}");

    let expect_corrupt = |p: &Path, needle: &str| match VulnDb::open(p) {
        Err(Error::Corrupt { path, reason }) => {
            assert_eq!(path, p);
            assert!(reason.contains(needle), "{reason:?} lacks {needle:?}");
        }
        other => panic!("{}: expected Corrupt, got {other:?}", p.display()),
    };
    let garbage = dir.path().join("garbage.sqlite");
    fs::write(&garbage, vec![0x5a; 5000]).unwrap();
    expect_corrupt(&garbage, "not a SQLite database");

    // A real database of ours, cut in half.
    let src = dir.path().join("r.zip");
    let records: Vec<_> = (0..2000)
        .map(|i| record(&format!("R-{i}"), "npm", &format!("p{i}"), "0", "1"))
        .collect();
    zip_of_records(&src, &records);
    let good = dir.path().join("good.sqlite");
    import(
        &good,
        &[("r".into(), ImportSource::OsvZip(src))],
        &no_progress,
    )
    .unwrap();
    let bytes = fs::read(&good).unwrap();
    let truncated = dir.path().join("truncated.sqlite");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    expect_corrupt(&truncated, "truncated");

    // Another application's SQLite file.
    let foreign = dir.path().join("foreign.sqlite");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE records(x); INSERT INTO records VALUES (1);")
            .unwrap();
    }
    expect_corrupt(&foreign, "another application");

    // Ours, but from a different schema version.
    let old = dir.path().join("old.sqlite");
    fs::copy(&good, &old).unwrap();
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.execute(
            "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    }
    expect_corrupt(&old, "schema version 99");

    // Ours, with a table missing.
    let holed = dir.path().join("holed.sqlite");
    fs::copy(&good, &holed).unwrap();
    {
        let c = rusqlite::Connection::open(&holed).unwrap();
        c.execute_batch("DROP TABLE aliases;").unwrap();
    }
    expect_corrupt(&holed, "unexpected tables");

    let db = VulnDb::open(&good).unwrap();
    db.verify().unwrap();

    // Importing over a corrupt file replaces it and says so.
    let rep = import(
        &garbage,
        &[(
            "r2".into(),
            ImportSource::OsvDir(dir.path().join("none.json")),
        )],
        &no_progress,
    );
    assert!(rep.is_err(), "missing source must fail");
    let src2 = dir.path().join("one.json");
    fs::write(
        &src2,
        serde_json::to_vec(&record("O-1", "npm", "o", "0", "1")).unwrap(),
    )
    .unwrap();
    let rep = import(
        &garbage,
        &[("r2".into(), ImportSource::OsvDir(src2))],
        &no_progress,
    )
    .unwrap();
    assert!(rep
        .previous_discarded
        .as_deref()
        .is_some_and(|m| m.contains("not a SQLite")));
    assert_eq!(
        ids(&VulnDb::open(&garbage)
            .unwrap()
            .candidates("npm", "o")
            .unwrap()),
        ["O-1"]
    );
}

#[test]
fn bad_zip_entries_become_issues() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("mixed.zip");
    common::write_zip(
        &zip,
        &[
            (
                "ok.json".into(),
                serde_json::to_vec(&record("OK-1", "Go", "example.com/m", "0", "1.2.3")).unwrap(),
            ),
            ("bad.json".into(), b"[1,2".to_vec()),
            ("noid.json".into(), br#"{"id": ""}"#.to_vec()),
            (
                "dup.json".into(),
                serde_json::to_vec(&record("OK-1", "Go", "example.com/m", "0", "9")).unwrap(),
            ),
            ("notes.txt".into(), b"skip me".to_vec()),
        ],
    );
    let db_path = dir.path().join("vulndb.sqlite");
    let progress_calls = std::cell::Cell::new(0u64);
    let report = import(&db_path, &[("m".into(), ImportSource::OsvZip(zip))], &|n| {
        progress_calls.set(n)
    })
    .unwrap();
    assert_eq!(progress_calls.get(), 4);
    assert_eq!(report.total_records, 1);
    let entries: Vec<_> = report
        .issues
        .iter()
        .map(|i| i.entry.clone().unwrap())
        .collect();
    assert_eq!(entries, ["bad.json", "noid.json", "OK-1"]);
    assert_eq!(report.sources[0].skipped, 3);
}
