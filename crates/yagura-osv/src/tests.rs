use std::io::Write;

use serde_json::json;

use crate::*;

/// A PyPI record for package `pkg` whose single range has `events`.
fn record(range_type: &str, events: serde_json::Value) -> Osv {
    serde_json::from_value(json!({
        "id": "TEST-1",
        "modified": "2024-01-01T00:00:00Z",
        "aliases": ["CVE-0000-0001"],
        "affected": [{
            "package": {"ecosystem": "PyPI", "name": "Some_Pkg"},
            "ranges": [{"type": range_type, "events": events}]
        }]
    }))
    .unwrap()
}

fn hit(r: &Osv, v: &str) -> bool {
    affected(r, "PyPI", "some-pkg", v).unwrap().is_some()
}

#[test]
fn introduced_fixed_pair() {
    let r = record(
        "ECOSYSTEM",
        json!([{"introduced": "1.0"}, {"fixed": "1.2.1"}]),
    );
    assert!(!hit(&r, "0.9"));
    assert!(hit(&r, "1.0"));
    assert!(hit(&r, "1.2"));
    assert!(hit(&r, "1.2.1rc1"));
    assert!(!hit(&r, "1.2.1"));
    assert!(!hit(&r, "2.0"));
    let m = affected(&r, "PyPI", "some-pkg", "1.1").unwrap().unwrap();
    assert_eq!(m.fixed, vec!["1.2.1".to_string()]);
    assert_eq!(m.id, "TEST-1");
    assert_eq!(m.aliases, vec!["CVE-0000-0001".to_string()]);
    assert_eq!(m.affected_indexes, vec![0]);
}

#[test]
fn introduced_zero_means_all_earlier_versions() {
    let r = record("ECOSYSTEM", json!([{"introduced": "0"}, {"fixed": "2.0"}]));
    assert!(hit(&r, "0.0.1.dev1"));
    assert!(hit(&r, "1.9.9"));
    assert!(!hit(&r, "2.0"));
}

#[test]
fn multiple_introduced_fixed_pairs_in_any_order() {
    // Events are listed out of order on purpose: evaluation sorts them.
    let r = record(
        "ECOSYSTEM",
        json!([
            {"fixed": "1.1.2"}, {"introduced": "1.1.0"},
            {"introduced": "1.0.0"}, {"fixed": "1.0.2"}
        ]),
    );
    assert!(hit(&r, "1.0.0"));
    assert!(hit(&r, "1.0.1"));
    assert!(!hit(&r, "1.0.2"));
    assert!(!hit(&r, "1.0.9"));
    assert!(hit(&r, "1.1.0"));
    assert!(hit(&r, "1.1.1"));
    assert!(!hit(&r, "1.1.2"));
    assert!(!hit(&r, "0.9"));
    let m = affected(&r, "PyPI", "some-pkg", "1.0.1").unwrap().unwrap();
    assert_eq!(m.fixed, vec!["1.0.2".to_string()]);
}

#[test]
fn range_reopened_at_its_fix_version() {
    let r = record(
        "ECOSYSTEM",
        json!([
            {"introduced": "0"}, {"fixed": "3.1.1"},
            {"introduced": "3.1.1"}, {"fixed": "3.1.3"}
        ]),
    );
    assert!(hit(&r, "3.1.0"));
    assert!(hit(&r, "3.1.1"));
    assert!(hit(&r, "3.1.2"));
    assert!(!hit(&r, "3.1.3"));
    let m = affected(&r, "PyPI", "some-pkg", "3.1.1").unwrap().unwrap();
    assert_eq!(m.fixed, vec!["3.1.3".to_string()]);
}

#[test]
fn open_ended_introduced_has_no_fix() {
    let r = record("ECOSYSTEM", json!([{"introduced": "3.0"}]));
    assert!(!hit(&r, "2.9"));
    let m = affected(&r, "PyPI", "some-pkg", "99").unwrap().unwrap();
    assert!(m.fixed.is_empty());
}

#[test]
fn last_affected_is_inclusive() {
    let r = record(
        "ECOSYSTEM",
        json!([{"introduced": "0"}, {"last_affected": "1.4"}]),
    );
    assert!(hit(&r, "1.0"));
    assert!(hit(&r, "1.4"));
    assert!(hit(&r, "1.4.0"));
    assert!(!hit(&r, "1.4.1"));
    assert!(!hit(&r, "1.5"));
}

#[test]
fn limit_bounds_the_range() {
    let r = record(
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"limit": "2.0.0"}]),
    );
    assert!(!hit(&r, "0.9.0"));
    assert!(hit(&r, "1.5.0"));
    assert!(!hit(&r, "2.0.0"));
    assert!(!hit(&r, "3.0.0"));
    let unlimited = record("SEMVER", json!([{"introduced": "1.0.0"}, {"limit": "*"}]));
    assert!(hit(&unlimited, "9.0.0"));
}

#[test]
fn explicit_versions_list() {
    let r: Osv = serde_json::from_value(json!({
        "id": "TEST-2",
        "affected": [{
            "package": {"ecosystem": "PyPI", "name": "some-pkg"},
            "versions": ["1.0", "1.1"]
        }]
    }))
    .unwrap();
    assert!(hit(&r, "1.0"));
    // PEP 440 equality, not string equality.
    assert!(hit(&r, "1.1.0"));
    assert!(!hit(&r, "1.2"));
    assert!(affected(&r, "PyPI", "some-pkg", "1.0")
        .unwrap()
        .unwrap()
        .fixed
        .is_empty());
}

#[test]
fn withdrawn_never_matches() {
    let mut r = record("ECOSYSTEM", json!([{"introduced": "0"}]));
    assert!(hit(&r, "1.0"));
    r.withdrawn = Some("2024-02-01T00:00:00Z".into());
    assert!(!hit(&r, "1.0"));
}

#[test]
fn git_ranges_are_ignored() {
    let r = record("GIT", json!([{"introduced": "0"}, {"fixed": "a1b2c3d4"}]));
    assert!(!hit(&r, "1.0"));
}

#[test]
fn other_package_or_ecosystem_does_not_match() {
    let r = record("ECOSYSTEM", json!([{"introduced": "0"}]));
    assert!(affected(&r, "PyPI", "other", "1.0").unwrap().is_none());
    assert!(affected(&r, "npm", "some-pkg", "1.0.0").unwrap().is_none());
}

#[test]
fn ecosystem_suffix_is_a_release_not_a_family() {
    assert!(ecosystem_matches("Debian:12", "Debian"));
    assert!(ecosystem_matches("Debian", "Debian:12"));
    assert!(ecosystem_matches("Debian:12", "Debian:12"));
    assert!(!ecosystem_matches("Debian:11", "Debian:12"));
    assert!(!ecosystem_matches("Ubuntu:22.04", "Debian:12"));
    let r: Osv = serde_json::from_value(json!({
        "id": "TEST-3",
        "affected": [{
            "package": {"ecosystem": "Debian:12", "name": "openssl"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u1"}]}]
        }]
    }))
    .unwrap();
    let m = affected(&r, "Debian", "openssl", "3.0.9-1")
        .unwrap()
        .unwrap();
    assert_eq!(m.fixed, vec!["3.0.11-1~deb12u1".to_string()]);
    assert!(affected(&r, "Debian:12", "openssl", "3.0.11-1~deb12u1")
        .unwrap()
        .is_none());
}

#[test]
fn pypi_name_normalisation() {
    assert_eq!(normalize_pypi_name("Friendly-Bard"), "friendly-bard");
    assert_eq!(normalize_pypi_name("FRIENDLY-BARD"), "friendly-bard");
    assert_eq!(normalize_pypi_name("friendly.bard"), "friendly-bard");
    assert_eq!(normalize_pypi_name("friendly_bard"), "friendly-bard");
    assert_eq!(normalize_pypi_name("friendly--bard"), "friendly-bard");
    assert_eq!(normalize_pypi_name("FrIeNdLy-._.-bArD"), "friendly-bard");
    assert!(package_matches("PyPI", "Zope.Interface", "zope_interface"));
    assert!(!package_matches("PyPI", "zopeinterface", "zope_interface"));
    // Other ecosystems keep names exact.
    assert!(!package_matches("npm", "Foo", "foo"));
    assert!(!package_matches("npm", "foo_bar", "foo-bar"));
    assert!(package_matches(
        "NuGet",
        "Newtonsoft.Json",
        "newtonsoft.json"
    ));
}

#[test]
fn go_versions_match_semver_ranges() {
    let r: Osv = serde_json::from_value(json!({
        "id": "TEST-4",
        "affected": [{
            "package": {"ecosystem": "Go", "name": "example.com/mod"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}]
        }]
    }))
    .unwrap();
    assert!(affected(&r, "Go", "example.com/mod", "v1.2.2")
        .unwrap()
        .is_some());
    assert!(affected(&r, "Go", "example.com/mod", "v1.2.3")
        .unwrap()
        .is_none());
}

#[test]
fn unassessable_is_an_error_not_a_clean_result() {
    let r = record("ECOSYSTEM", json!([{"introduced": "0"}, {"fixed": "2.0"}]));
    assert!(matches!(
        affected(&r, "PyPI", "some-pkg", "not a version!"),
        Err(MatchError::Version { .. })
    ));
    let bad_event = record(
        "ECOSYSTEM",
        json!([{"introduced": "1.0"}, {"fixed": "%%%"}]),
    );
    assert!(affected(&bad_event, "PyPI", "some-pkg", "1.5").is_err());
    let no_intro = record("ECOSYSTEM", json!([{"fixed": "2.0"}]));
    assert!(matches!(
        affected(&no_intro, "PyPI", "some-pkg", "1.0"),
        Err(MatchError::InvalidRange { .. })
    ));
    let unknown: Osv = serde_json::from_value(json!({
        "id": "TEST-5",
        "affected": [{
            "package": {"ecosystem": "NoSuchEco", "name": "x"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]
        }]
    }))
    .unwrap();
    assert!(matches!(
        affected(&unknown, "NoSuchEco", "x", "1"),
        Err(MatchError::UnknownEcosystem { .. })
    ));
    // A positive answer from a versions list still wins over a bad range.
    let mut both = bad_event.clone();
    both.affected[0].versions = vec!["1.5".into()];
    assert!(affected(&both, "PyPI", "some-pkg", "1.5")
        .unwrap()
        .is_some());
}

#[test]
fn unknown_fields_are_ignored() {
    let r = parse_json(
        br#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","future_field":{"a":1},
            "affected":[{"package":{"ecosystem":"PyPI","name":"a","new":1},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}],"x":2}]}]}"#,
    )
    .unwrap();
    assert_eq!(r.id, "X-1");
    assert_eq!(r.affected[0].ranges[0].kind, RangeType::Ecosystem);
}

const GOOD_JSON: &str = r#"{"id":"A-1","modified":"2024-01-01T00:00:00Z",
 "affected":[{"package":{"ecosystem":"PyPI","name":"a"},
 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]}"#;

const GOOD_YAML: &str = "id: B-1\nmodified: '2024-01-01T00:00:00Z'\naffected:\n  - package: {ecosystem: PyPI, name: b}\n    ranges:\n      - type: ECOSYSTEM\n        events:\n          - introduced: '0'\n          - fixed: '2.0'\n";

#[test]
fn load_dir_reports_bad_files_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.json"), GOOD_JSON).unwrap();
    std::fs::write(dir.path().join("sub/b.yaml"), GOOD_YAML).unwrap();
    std::fs::write(dir.path().join("broken.json"), "{\"id\": ").unwrap();
    std::fs::write(dir.path().join("noid.yml"), "summary: x\n").unwrap();
    std::fs::write(dir.path().join("README.md"), "not a record").unwrap();
    let (records, issues) = load_dir(dir.path());
    let mut ids: Vec<_> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["A-1", "B-1"]);
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert!(issues
        .iter()
        .any(|i| i.path.ends_with("broken.json") && i.message.contains("invalid OSV JSON")));
    assert!(issues
        .iter()
        .any(|i| i.path.ends_with("noid.yml") && i.message.contains("id")));
    let b = records.iter().find(|r| r.id == "B-1").unwrap();
    assert!(affected(b, "PyPI", "B", "1.9").unwrap().is_some());
}

#[test]
fn load_zip_reports_bad_and_oversized_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("A-1.json", opts).unwrap();
        w.write_all(GOOD_JSON.as_bytes()).unwrap();
        w.start_file("BAD-1.json", opts).unwrap();
        w.write_all(b"[1, 2").unwrap();
        w.start_file("BIG-1.json", opts).unwrap();
        // Compresses to almost nothing but inflates past the limit.
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..=MAX_RECORD_BYTES / (1 << 20) {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap();
    }
    let (records, issues) = load_zip(&path);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].id, "A-1");
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert!(issues.iter().any(
        |i| i.entry.as_deref() == Some("BAD-1.json") && i.message.contains("invalid OSV JSON")
    ));
    assert!(issues
        .iter()
        .any(|i| i.entry.as_deref() == Some("BIG-1.json") && i.message.contains("skipped")));
    assert!(issues[0].to_string().contains("export.zip!"));

    let (records, issues) = load_zip(dir.path().join("missing.zip"));
    assert!(records.is_empty());
    assert_eq!(issues.len(), 1);
    assert!(issues[0].message.contains("cannot open zip"));
}

#[test]
fn load_dir_on_a_missing_folder_is_one_issue() {
    let dir = tempfile::tempdir().unwrap();
    let (records, issues) = load_dir(dir.path().join("nope"));
    assert!(records.is_empty());
    assert_eq!(issues.len(), 1);
    assert!(issues[0].message.contains("cannot read directory"));
}

#[test]
fn records_round_trip_through_json() {
    let r = parse_yaml(GOOD_YAML.as_bytes()).unwrap();
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.contains(r#""type":"ECOSYSTEM""#), "{text}");
    assert_eq!(parse_json(text.as_bytes()).unwrap(), r);
}
