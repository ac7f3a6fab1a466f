use crate::fixture;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use yagura_model::package::{
    CvssScore, Distro, LayerRef, Package, PackageSource, SourcePackage, VulnMatch, VulnState,
};
use yagura_model::Severity;
use yagura_sbom::{cyclonedx_json, read, spdx_json, SbomFormat, SbomInput};

pub fn distro() -> Distro {
    Distro {
        id: "debian".into(),
        version_id: "12".into(),
        version_codename: Some("bookworm".into()),
        pretty_name: Some("Debian GNU/Linux 12 (bookworm)".into()),
        osv_ecosystem: Some("Debian:12".into()),
        path: "etc/os-release".into(),
    }
}

pub fn packages() -> Vec<Package> {
    let mut openssl = Package::new(
        "Debian:12",
        "openssl",
        "3.0.11-1~deb12u2",
        PackageSource::Dpkg,
        "var/lib/dpkg/status",
    );
    openssl.arch = Some("amd64".into());
    openssl.licenses = vec!["Apache 2.0".into()];
    openssl.layer = Some(LayerRef {
        index: 0,
        digest: "sha256:aaaa".into(),
        created_by: None,
    });
    let mut libssl = Package::new(
        "Debian:12",
        "libssl3",
        "3.0.11-1~deb12u2",
        PackageSource::Dpkg,
        "var/lib/dpkg/status",
    );
    libssl.arch = Some("amd64".into());
    libssl.source_package = Some(SourcePackage {
        name: "openssl".into(),
        version: "3.0.11-1~deb12u2".into(),
    });
    libssl.line = Some(120);
    let mut jinja = Package::new(
        "PyPI",
        "Jinja2",
        "3.1.2",
        PackageSource::PythonMetadata,
        "usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA",
    );
    jinja.licenses = vec!["BSD License".into()];
    let mut jinja_again = jinja.clone();
    jinja_again.path =
        "opt/app/venv/lib/python3.11/site-packages/Jinja2-3.1.2.dist-info/METADATA".into();
    let mut babel = Package::new(
        "npm",
        "@babel/core",
        "7.22.0",
        PackageSource::Lockfile,
        "app/package-lock.json",
    );
    babel.licenses = vec!["MIT".into()];
    babel.dev = true;
    let mut log4j = Package::new(
        "Maven",
        "org.apache.logging.log4j:log4j-core",
        "2.14.1",
        PackageSource::JavaArchive,
        "app/lib/log4j-core-2.14.1.jar",
    );
    log4j.licenses = vec!["Apache License, Version 2.0".into()];
    let mut serde = Package::new(
        "crates.io",
        "serde",
        "1.0.190",
        PackageSource::RustBinary,
        "usr/local/bin/tool",
    );
    serde.licenses = vec!["MIT OR Apache-2.0".into()];
    let mut ws = Package::new(
        "Go",
        "github.com/gorilla/websocket",
        "v1.5.0",
        PackageSource::GoBinary,
        "usr/local/bin/server",
    );
    ws.licenses = vec!["Acme Proprietary License".into(), "BSD-2-Clause".into()];
    vec![openssl, libssl, jinja, jinja_again, babel, log4j, serde, ws]
}

fn vuln(
    id: &str,
    p: &Package,
    severity: Severity,
    cvss: Vec<CvssScore>,
    state: VulnState,
) -> VulnMatch {
    VulnMatch {
        id: id.into(),
        aliases: Vec::new(),
        summary: None,
        package: p.clone(),
        fixed_versions: Vec::new(),
        severity,
        severity_source: "advisory: HIGH".into(),
        cvss,
        references: Vec::new(),
        published: None,
        modified: None,
        state,
    }
}

pub fn vulns(pkgs: &[Package]) -> Vec<VulnMatch> {
    let mut openssl = vuln(
        "CVE-2023-5678",
        &pkgs[0],
        Severity::Medium,
        vec![CvssScore {
            version: "3.1".into(),
            vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L".into(),
            base_score: 5.3,
        }],
        VulnState::Affected,
    );
    openssl.summary =
        Some("Excessive time spent in DH check / generation with large Q parameter value".into());
    openssl.fixed_versions = vec!["3.0.13-1~deb12u1".into()];
    openssl.aliases = vec!["DSA-5585-1".into()];
    openssl.references = vec!["https://www.openssl.org/news/secadv/20231106.txt".into()];
    openssl.published = Some("2023-11-06T16:15:42Z".into());
    let mut log4j = vuln(
        "CVE-2021-44228",
        &pkgs[5],
        Severity::Critical,
        vec![CvssScore {
            version: "3.1".into(),
            vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H".into(),
            base_score: 10.0,
        }],
        VulnState::NotAffected {
            justification: Some("vulnerable_code_not_in_execute_path".into()),
            statement: Some("JNDI lookups are disabled".into()),
        },
    );
    log4j.aliases = vec!["GHSA-jfh8-c2jp-5v3q".into()];
    log4j.fixed_versions = vec!["2.15.0".into()];
    let serde = vuln(
        "GHSA-serde-0001",
        &pkgs[6],
        Severity::High,
        Vec::new(),
        VulnState::Fixed { statement: None },
    );
    let jinja = vuln(
        "GHSA-h5c8-rqwp-cp95",
        &pkgs[3],
        Severity::Medium,
        Vec::new(),
        VulnState::NotAssessed {
            reason: "version `3.1.2` not comparable".into(),
        },
    );
    vec![openssl, log4j, serde, jinja]
}

fn with_input<T>(f: impl FnOnce(&SbomInput) -> T) -> T {
    let d = distro();
    let pkgs = packages();
    let vs = vulns(&pkgs);
    let input = SbomInput {
        name: "registry.example.com/app:1.0",
        distro: Some(&d),
        packages: &pkgs,
        vulnerabilities: &vs,
        tool_version: "0.1.0",
        timestamp: "2024-05-01T10:00:00Z",
    };
    f(&input)
}

/// Compares with the committed expected output; `YAGURA_BLESS=1` rewrites it.
fn golden(name: &str, got: &Value) {
    let path = fixture(&format!("golden/{name}"));
    let text = serde_json::to_string_pretty(got).expect("serialises") + "\n";
    if std::env::var_os("YAGURA_BLESS").is_some() {
        std::fs::write(&path, &text).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with YAGURA_BLESS=1 to create)",
            path.display()
        )
    });
    assert_eq!(
        text,
        want,
        "{} differs; YAGURA_BLESS=1 refreshes it after review",
        path.display()
    );
}

/// Runs tests/fixtures/validate.py with the schemas venv's Python; skips
/// (returns false, printing why) when that Python or its modules are absent.
fn validate(kind: &str, doc: &Value) -> bool {
    let python = std::env::var("YAGURA_SCHEMA_PYTHON")
        .unwrap_or_else(|_| "/var/cache/yagura/bench-venv/schemas/bin/python".into());
    if !Path::new(&python).exists() {
        println!("skipping {kind} schema validation: {python} not found (tests/fixtures/regen.sh makes it)");
        return false;
    }
    let dir = std::env::temp_dir().join(format!("yagura-sbom-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{kind}.json"));
    std::fs::write(&file, serde_json::to_vec_pretty(doc).expect("serialises")).expect("write temp");
    let out = Command::new(&python)
        .arg(fixture("validate.py"))
        .arg(kind)
        .arg(&file)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) => true,
        Some(2) => {
            println!("skipping {kind} schema validation: {stdout}");
            false
        }
        _ => panic!(
            "{kind} output is invalid:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn cyclonedx_matches_golden_and_schema() {
    let doc = with_input(cyclonedx_json);
    golden("cyclonedx.json", &doc);
    validate("cyclonedx", &doc);
    // The same input gives the same document, serial number included.
    assert_eq!(with_input(cyclonedx_json), doc);
}

#[test]
fn spdx_matches_golden_and_validates() {
    let doc = with_input(spdx_json);
    golden("spdx.json", &doc);
    validate("spdx", &doc);
    assert_eq!(with_input(spdx_json), doc);
}

#[test]
fn cyclonedx_details() {
    let doc = with_input(cyclonedx_json);
    let comps = doc["components"].as_array().expect("components");
    assert_eq!(comps[0]["type"], "operating-system");
    let refs: Vec<&str> = comps.iter().filter_map(|c| c["bom-ref"].as_str()).collect();
    let unique: std::collections::HashSet<_> = refs.iter().collect();
    assert_eq!(unique.len(), refs.len(), "bom-refs are unique: {refs:?}");
    let log4j = comps
        .iter()
        .find(|c| c["name"] == "log4j-core")
        .expect("log4j");
    assert_eq!(log4j["group"], "org.apache.logging.log4j");
    assert_eq!(log4j["licenses"][0]["license"]["id"], "Apache-2.0");
    let serde = comps.iter().find(|c| c["name"] == "serde").expect("serde");
    assert_eq!(serde["licenses"][0]["expression"], "MIT OR Apache-2.0");
    let ws = comps
        .iter()
        .find(|c| c["name"] == "github.com/gorilla/websocket")
        .expect("ws");
    assert_eq!(
        ws["licenses"][0]["license"]["name"],
        "LicenseRef-Acme-Proprietary-License"
    );
    assert_eq!(ws["licenses"][1]["license"]["id"], "BSD-2-Clause");
    let vulns = doc["vulnerabilities"].as_array().expect("vulns");
    let log4j_v = vulns
        .iter()
        .find(|v| v["id"] == "CVE-2021-44228")
        .expect("log4j vuln");
    assert_eq!(log4j_v["analysis"]["state"], "not_affected");
    assert_eq!(log4j_v["analysis"]["justification"], "code_not_reachable");
    assert_eq!(log4j_v["ratings"][0]["method"], "CVSSv31");
    assert_eq!(log4j_v["ratings"][0]["severity"], "critical");
    assert_eq!(log4j_v["affects"][0]["ref"], log4j["bom-ref"]);
    let jinja_v = vulns
        .iter()
        .find(|v| v["id"] == "GHSA-h5c8-rqwp-cp95")
        .expect("jinja vuln");
    assert!(
        jinja_v["affects"][0]["ref"]
            .as_str()
            .is_some_and(|r| r.contains("package-index=3")),
        "the vuln of the second Jinja2 points at the second component: {jinja_v}"
    );
}

#[test]
fn spdx_details() {
    let doc = with_input(spdx_json);
    let pkgs = doc["packages"].as_array().expect("packages");
    let ids: Vec<&str> = pkgs.iter().filter_map(|p| p["SPDXID"].as_str()).collect();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "SPDXIDs unique: {ids:?}");
    for id in &ids {
        assert!(
            id.starts_with("SPDXRef-")
                && id[8..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
    }
    let ws = pkgs
        .iter()
        .find(|p| p["name"] == "github.com/gorilla/websocket")
        .expect("ws");
    assert_eq!(
        ws["licenseDeclared"],
        "LicenseRef-Acme-Proprietary-License AND BSD-2-Clause"
    );
    let infos = doc["hasExtractedLicensingInfos"]
        .as_array()
        .expect("extracted infos");
    assert_eq!(infos[0]["licenseId"], "LicenseRef-Acme-Proprietary-License");
    let rels = doc["relationships"].as_array().expect("relationships");
    assert_eq!(rels[0]["relationshipType"], "DESCRIBES");
    assert_eq!(
        rels.len(),
        pkgs.len(),
        "one DESCRIBES and a CONTAINS per other package"
    );
}

/// What yagura writes, yagura reads back: same packages, same distro.
#[test]
fn written_documents_read_back() {
    let pkgs = packages();
    for (doc, is_cdx) in [
        (with_input(cyclonedx_json), true),
        (with_input(spdx_json), false),
    ] {
        let bytes = serde_json::to_vec(&doc).expect("serialises");
        let got = read(&bytes, "out.json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(matches!(got.format, SbomFormat::CycloneDx { .. }), is_cdx);
        assert_eq!(
            got.distro.as_ref().and_then(|d| d.osv_ecosystem.as_deref()),
            Some("Debian:12")
        );
        assert!(got.issues.is_empty(), "{:?}", got.issues);
        assert_eq!(got.packages.len(), pkgs.len());
        for (a, b) in got.packages.iter().zip(&pkgs) {
            assert_eq!(a.ecosystem, b.ecosystem);
            assert_eq!(a.version, b.version);
            let name = if b.ecosystem == "PyPI" {
                b.name.to_lowercase()
            } else {
                b.name.clone()
            };
            assert_eq!(a.name, name);
            assert_eq!(a.found_by, PackageSource::Sbom);
        }
        if is_cdx {
            let libssl = &got.packages[1];
            assert_eq!(
                libssl.source_package.as_ref().map(|s| s.name.as_str()),
                Some("openssl")
            );
            assert_eq!(libssl.path, "out.json!var/lib/dpkg/status");
            assert_eq!(libssl.line, Some(120));
            assert_eq!(
                got.packages[0].layer.as_ref().map(|l| l.digest.as_str()),
                Some("sha256:aaaa")
            );
            assert!(got.packages[4].dev);
        }
    }
}

/// No distro, no packages, no vulnerabilities: still valid documents.
#[test]
fn empty_input_is_still_valid() {
    let input = SbomInput {
        name: "empty dir/",
        distro: None,
        packages: &[],
        vulnerabilities: &[],
        tool_version: "0.1.0",
        timestamp: "2024-05-01T10:00:00Z",
    };
    let cdx = cyclonedx_json(&input);
    assert!(cdx.get("vulnerabilities").is_none());
    validate("cyclonedx", &cdx);
    let spdx = spdx_json(&input);
    assert_eq!(spdx["packages"].as_array().map(Vec::len), Some(1));
    validate("spdx", &spdx);
    assert_ne!(
        cdx["serialNumber"],
        with_input(cyclonedx_json)["serialNumber"],
        "serials differ with content"
    );
}
