use super::*;
use yagura_model::package::{PackageSource, SourcePackage};

fn rec(json: serde_json::Value) -> Osv {
    serde_json::from_value(json).expect("test record")
}

fn pypi(name: &str, version: &str) -> Package {
    Package::new(
        "PyPI",
        name,
        version,
        PackageSource::Lockfile,
        "requirements.txt",
    )
}

fn range(eco: &str, name: &str, introduced: &str, fixed: &str) -> serde_json::Value {
    serde_json::json!({
        "package": {"ecosystem": eco, "name": name},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": introduced}, {"fixed": fixed}]}]
    })
}

#[test]
fn aliases_merge_into_one_match_listing_every_id() {
    let pysec = rec(serde_json::json!({
        "id": "PYSEC-2023-1", "aliases": ["CVE-2023-0001", "GHSA-aaaa-bbbb-cccc"],
        "affected": [range("PyPI", "Django", "4.0", "4.1.7")]
    }));
    let ghsa = rec(serde_json::json!({
        "id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2023-0001"], "summary": "SQL injection",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [range("PyPI", "django", "4.0", "4.1.8")]
    }));
    let other = rec(serde_json::json!({
        "id": "PYSEC-2023-2", "affected": [range("PyPI", "django", "0", "5.0")]
    }));
    let m = match_package(
        &pypi("django", "4.1.2"),
        &[pysec, ghsa, other],
        MatchOptions::default(),
    );
    assert_eq!(m.len(), 2, "{m:#?}");
    let merged = m
        .iter()
        .find(|x| x.id == "CVE-2023-0001")
        .expect("merged under the CVE");
    assert_eq!(merged.aliases, vec!["GHSA-aaaa-bbbb-cccc", "PYSEC-2023-1"]);
    assert_eq!(merged.fixed_versions, vec!["4.1.7", "4.1.8"]);
    assert_eq!(merged.severity, Severity::Critical);
    assert_eq!(merged.severity_source, "CVSS:3.1 9.8");
    assert_eq!(merged.summary.as_deref(), Some("SQL injection"));
    assert_eq!(merged.state, VulnState::Affected);
    let lone = m
        .iter()
        .find(|x| x.id == "PYSEC-2023-2")
        .expect("unrelated record");
    assert_eq!(lone.severity_source, "unknown (reported as medium)");
}

#[test]
fn fixed_versions_and_withdrawn_records_do_not_match() {
    let r =
        rec(serde_json::json!({"id": "X-1", "affected": [range("PyPI", "flask", "0", "2.2.5")]}));
    let w = rec(
        serde_json::json!({"id": "X-2", "withdrawn": "2024-01-01T00:00:00Z",
        "affected": [range("PyPI", "flask", "0", "9")]}),
    );
    assert!(match_package(
        &pypi("flask", "2.2.5"),
        &[r.clone(), w.clone()],
        MatchOptions::default()
    )
    .is_empty());
    let m = match_package(&pypi("flask", "2.2.4"), &[r, w], MatchOptions::default());
    assert_eq!(
        m.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec!["X-1"]
    );
}

#[test]
fn an_uncomparable_version_is_not_assessed_never_clean() {
    let r =
        rec(serde_json::json!({"id": "X-3", "affected": [range("PyPI", "flask", "0", "2.2.5")]}));
    let m = match_package(
        &pypi("flask", "not a version!"),
        &[r],
        MatchOptions::default(),
    );
    assert_eq!(m.len(), 1);
    assert!(
        matches!(&m[0].state, VulnState::NotAssessed { reason } if reason.contains("X-3")),
        "{m:?}"
    );
}

#[test]
fn ignore_unfixed_drops_only_matches_without_a_fix() {
    let unfixed = rec(
        serde_json::json!({"id": "X-4", "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}),
    );
    let fixed = rec(serde_json::json!({"id": "X-5", "affected": [range("PyPI", "a", "0", "2")]}));
    let all = match_package(
        &pypi("a", "1"),
        &[unfixed.clone(), fixed.clone()],
        MatchOptions::default(),
    );
    assert_eq!(all.len(), 2);
    let some = match_package(
        &pypi("a", "1"),
        &[unfixed, fixed],
        MatchOptions {
            ignore_unfixed: true,
        },
    );
    assert_eq!(
        some.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec!["X-5"]
    );
}

#[test]
fn debian_packages_match_through_their_source_package_and_urgency() {
    let mut p = Package::new(
        "Debian:12",
        "libssl3",
        "3.0.11-1~deb12u1",
        PackageSource::Dpkg,
        "var/lib/dpkg/status",
    );
    p.source_package = Some(SourcePackage {
        name: "openssl".into(),
        version: "3.0.11-1~deb12u1".into(),
    });
    let dsa = rec(
        serde_json::json!({"id": "DSA-5678-1", "aliases": ["CVE-2024-1111"],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}],
            "ecosystem_specific": {"urgency": "high"}}]}),
    );
    let other_release = rec(serde_json::json!({"id": "DSA-1-1",
        "affected": [range("Debian:11", "openssl", "0", "9")]}));
    assert_eq!(
        query_key(&p),
        Some(("Debian:12", "openssl", "3.0.11-1~deb12u1"))
    );
    let m = match_package(&p, &[dsa, other_release], MatchOptions::default());
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].id, "CVE-2024-1111");
    assert_eq!(m[0].severity, Severity::High);
    assert_eq!(m[0].severity_source, "advisory: high");
    assert_eq!(m[0].fixed_versions, vec!["3.0.11-1~deb12u2"]);
}

#[test]
fn rustsec_informational_advisories_are_info() {
    let p = Package::new(
        "crates.io",
        "ansi_term",
        "0.12.1",
        PackageSource::Lockfile,
        "Cargo.lock",
    );
    let r = rec(serde_json::json!({"id": "RUSTSEC-2021-0139",
        "database_specific": {"informational": "unmaintained"},
        "affected": [{"package": {"ecosystem": "crates.io", "name": "ansi_term"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}]}]}));
    let m = match_package(&p, &[r], MatchOptions::default());
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].severity, Severity::Info);
}

#[test]
fn packages_without_an_ecosystem_are_not_matched() {
    let p = Package::new(
        "",
        "openssl",
        "1",
        PackageSource::Dpkg,
        "var/lib/dpkg/status",
    );
    assert_eq!(query_key(&p), None);
}

#[test]
fn findings_carry_package_path_layer_and_stable_ids() {
    let r = rec(serde_json::json!({"id": "X-6", "affected": [range("PyPI", "a", "0", "2")]}));
    let mut p = pypi("a", "1");
    p.layer = Some(yagura_model::package::LayerRef {
        index: 2,
        digest: "sha256:0123456789abcdef".into(),
        created_by: Some("RUN pip install a==1".into()),
    });
    let m = match_package(&p, &[r], MatchOptions::default());
    let f = finding_for(&m[0], "image:app.tar");
    assert_eq!(f.check, "X-6");
    assert_eq!(f.status, yagura_model::Status::Fail);
    assert!(f.message.contains("layer 2 0123456789ab"), "{}", f.message);
    assert!(f.remediation.contains("RUN pip install a==1"));
    assert_eq!(f.id, finding_for(&m[0], "image:app.tar").id);
    assert_ne!(f.id, finding_for(&m[0], "other").id);
    assert_eq!(
        f.resource.location.as_ref().map(|l| l.file.as_str()),
        Some("requirements.txt")
    );
}
