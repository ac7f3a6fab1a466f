use crate::fixture_bytes;
use yagura_model::package::PackageSource;
use yagura_sbom::{read, Error, ReadSbom, SbomFormat};

fn load(rel: &str) -> ReadSbom {
    read(&fixture_bytes(rel), rel).unwrap_or_else(|e| panic!("{e}"))
}

fn names(r: &ReadSbom) -> Vec<String> {
    r.packages
        .iter()
        .map(|p| format!("{} {} {}", p.ecosystem, p.name, p.version))
        .collect()
}

#[test]
fn cyclonedx_py_environment_16_and_14() {
    for (file, sv) in [
        ("real/cyclonedx-py-env-1.6.cdx.json", "1.6"),
        ("real/cyclonedx-py-env-1.4.cdx.json", "1.4"),
    ] {
        let r = load(file);
        assert_eq!(
            r.format,
            SbomFormat::CycloneDx {
                spec_version: sv.into()
            }
        );
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(r.distro, None);
        let n = names(&r);
        for want in [
            "PyPI attrs 23.2.0",
            "PyPI idna 3.7",
            "PyPI six 1.16.0",
            "PyPI urllib3 1.26.18",
        ] {
            assert!(
                n.contains(&want.to_string()),
                "{file}: {want} missing from {n:?}"
            );
        }
        let attrs = r
            .packages
            .iter()
            .find(|p| p.name == "attrs")
            .expect("attrs");
        assert_eq!(attrs.licenses, vec!["MIT".to_string()]);
        assert_eq!(attrs.purl.as_deref(), Some("pkg:pypi/attrs@23.2.0"));
        assert_eq!(attrs.found_by, PackageSource::Sbom);
        assert_eq!(attrs.path, file);
        // `License :: OSI Approved :: BSD License` as cyclonedx-py writes it.
        let idna = r.packages.iter().find(|p| p.name == "idna").expect("idna");
        assert_eq!(idna.licenses, vec!["BSD-3-Clause".to_string()]);
    }
}

#[test]
fn sbom4python_spdx_json_tag_value_and_cyclonedx() {
    for (file, is_spdx) in [
        ("real/sbom4python-attrs.spdx.json", true),
        ("real/sbom4python-attrs.spdx", true),
        ("real/sbom4python-attrs.cdx.json", false),
    ] {
        let r = load(file);
        assert_eq!(
            matches!(r.format, SbomFormat::Spdx { ref version } if version == "2.3"),
            is_spdx,
            "{file}"
        );
        assert_eq!(names(&r), vec!["PyPI attrs 23.2.0".to_string()], "{file}");
        assert!(r.issues.is_empty(), "{file}: {:?}", r.issues);
    }
}

#[test]
fn trivy_style_cyclonedx() {
    let r = load("handwritten/trivy-image.cdx.json");
    let d = r
        .distro
        .as_ref()
        .expect("distro from the operating-system component");
    assert_eq!((d.id.as_str(), d.version_id.as_str()), ("debian", "12.5"));
    assert_eq!(d.osv_ecosystem.as_deref(), Some("Debian:12"));
    assert_eq!(
        names(&r),
        vec![
            "Debian:12 libssl3 3.0.11-1~deb12u2",
            "Debian:12 libc6 2.36-9+deb12u4",
            "PyPI pip 24.0"
        ]
    );
    let libssl = &r.packages[0];
    assert_eq!(libssl.arch.as_deref(), Some("amd64"));
    assert_eq!(
        libssl.source_package.as_ref().map(|s| s.name.as_str()),
        Some("openssl")
    );
    assert_eq!(libssl.licenses, vec!["Apache-2.0", "Artistic-2.0"]);
    let libc = &r.packages[1];
    assert_eq!(libc.licenses, vec!["LGPL-2.1-only", "GPL-2.0-only"]);
    assert_eq!(
        r.packages[2].path,
        "handwritten/trivy-image.cdx.json!usr/local/lib/python3.12/site-packages/pip-24.0.dist-info/METADATA"
    );
    // The `Python` application group is skipped; a library without purl is reported.
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_eq!(r.issues[0].entry.as_deref(), Some("mystery-lib@0.1"));
    assert_eq!(r.issues[0].path, "handwritten/trivy-image.cdx.json");
}

#[test]
fn syft_style_cyclonedx_with_nested_components() {
    let r = load("handwritten/syft-dir.cdx.json");
    assert_eq!(
        names(&r),
        vec![
            "npm @babel/core 7.22.0",
            "Maven org.apache.logging.log4j:log4j-core 2.14.1",
            "Maven org.apache.logging.log4j:log4j-api 2.14.1",
            "Go github.com/gorilla/websocket v1.5.0",
        ]
    );
    assert_eq!(r.packages[3].licenses, vec!["BSD-2-Clause"]);
    assert_eq!(
        r.packages[0].path,
        "handwritten/syft-dir.cdx.json!src/package-lock.json"
    );
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_eq!(r.issues[0].entry.as_deref(), Some("actions/checkout@v4"));
    assert!(
        r.issues[0].message.contains("github"),
        "{}",
        r.issues[0].message
    );
}

#[test]
fn syft_style_spdx_with_distro_from_purl() {
    let r = load("handwritten/syft-image.spdx.json");
    assert_eq!(
        r.format,
        SbomFormat::Spdx {
            version: "2.3".into()
        }
    );
    let d = r.distro.as_ref().expect("distro from the distro qualifier");
    assert_eq!(d.osv_ecosystem.as_deref(), Some("Alpine:v3.20"));
    assert_eq!(
        names(&r),
        vec![
            "Alpine:v3.20 busybox 1.36.1-r29",
            "Alpine:v3.20 musl 1.2.5-r0"
        ]
    );
    assert_eq!(r.packages[0].licenses, vec!["GPL-2.0-only"]);
    // The binary without purl is reported; the described image is not.
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_eq!(r.issues[0].entry.as_deref(), Some("scanelf@1.3.7"));
}

#[test]
fn trivy_style_spdx_ubuntu_lts() {
    let r = load("handwritten/trivy-image.spdx.json");
    let d = r
        .distro
        .as_ref()
        .expect("distro from the OPERATING-SYSTEM package");
    assert_eq!(d.osv_ecosystem.as_deref(), Some("Ubuntu:22.04:LTS"));
    assert_eq!(names(&r), vec!["Ubuntu:22.04:LTS bash 5.1-6ubuntu1.1"]);
    assert_eq!(r.packages[0].licenses, vec!["GPL-3.0-or-later"]);
    let entries: Vec<_> = r.issues.iter().filter_map(|i| i.entry.as_deref()).collect();
    assert_eq!(entries, vec!["not-json-object-follows@1.0", "packages[4]"]);
}

#[test]
fn os_packages_take_the_release_of_the_os_component() {
    let doc = br#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
        {"type":"operating-system","name":"debian","version":"11"},
        {"type":"library","name":"curl","version":"7.74.0-1.3","purl":"pkg:deb/debian/curl@7.74.0-1.3"}]}"#;
    let r = read(doc, "mini").expect("reads");
    assert_eq!(names(&r), vec!["Debian:11 curl 7.74.0-1.3"]);
}

#[test]
fn spdx_22_is_read() {
    let doc = br#"{"spdxVersion":"SPDX-2.2","SPDXID":"SPDXRef-DOCUMENT","packages":[
        {"SPDXID":"SPDXRef-p","name":"lodash","versionInfo":"4.17.21","licenseConcluded":"MIT","licenseDeclared":"NOASSERTION",
         "externalRefs":[{"referenceCategory":"PACKAGE_MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/lodash@4.17.21"}]}]}"#;
    let r = read(doc, "old.spdx.json").expect("reads");
    assert_eq!(
        r.format,
        SbomFormat::Spdx {
            version: "2.2".into()
        }
    );
    assert_eq!(names(&r), vec!["npm lodash 4.17.21"]);
    assert_eq!(
        r.packages[0].licenses,
        vec!["MIT"],
        "concluded when declared is NOASSERTION"
    );
}

fn err_text(bytes: &[u8]) -> String {
    match read(bytes, "bad.json") {
        Err(e @ Error::Document { .. }) => e.to_string(),
        other => panic!("expected a document error, got {other:?}"),
    }
}

#[test]
fn bad_input_is_an_error_naming_the_label() {
    let good = fixture_bytes("real/cyclonedx-py-env-1.6.cdx.json");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"".to_vec(), "empty"),
        (b"this is not json".to_vec(), "not valid JSON"),
        (good[..good.len() / 2].to_vec(), "not valid JSON"),
        (
            br#"{"bomFormat":"SPDX","specVersion":"1.6"}"#.to_vec(),
            "bomFormat",
        ),
        (br#"{"bomFormat":"CycloneDX"}"#.to_vec(), "specVersion"),
        (
            br#"{"bomFormat":"CycloneDX","specVersion":"2.0"}"#.to_vec(),
            "specVersion",
        ),
        (
            br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":{}}"#.to_vec(),
            "components",
        ),
        (br#"{"spdxVersion":"SPDX-3.0"}"#.to_vec(), "SPDX"),
        (
            br#"{"spdxVersion":"SPDX-2.3","packages":7}"#.to_vec(),
            "packages",
        ),
        (br#"[1,2]"#.to_vec(), "not a JSON object"),
        (br#"{"hello":1}"#.to_vec(), "neither"),
        (b"<?xml version=\"1.0\"?><bom/>".to_vec(), "XML"),
        (
            b"SPDXVersion: SPDX-2.3\nPackageName: x\nPackageSummary: <text>never closed\n".to_vec(),
            "never closed",
        ),
        (
            b"SPDXVersion: SPDX-2.3\nthis line has no tag\n".to_vec(),
            "line 2",
        ),
        (vec![0xff, 0xfe, 0x00], "not valid JSON"),
    ];
    for (bytes, want) in cases {
        let e = err_text(&bytes);
        assert!(e.starts_with("bad.json: "), "{e}");
        assert!(e.contains(want), "{e} should mention {want}");
    }
}

#[test]
fn hostile_nesting_and_odd_values_do_not_panic() {
    let nested = |levels: usize| {
        let mut doc = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#);
        for _ in 0..levels {
            doc.push_str(r#"[{"type":"library","name":"x","purl":"pkg:npm/x@1","components":"#);
        }
        doc.push_str("[]");
        for _ in 0..levels {
            doc.push_str("}]");
        }
        doc.push('}');
        doc
    };
    let r = read(nested(40).as_bytes(), "deep").expect("reads");
    assert_eq!(r.packages.len(), 40);
    let e = read(nested(1000).as_bytes(), "deep")
        .expect_err("too deep")
        .to_string();
    assert!(
        e.starts_with("deep: ") && e.contains("recursion limit"),
        "{e}"
    );
    let odd = br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
        1, {"type":"library","name":7,"purl":3}, {"type":"library","name":"y","purl":"pkg:"},
        {"type":"library","name":"z","version":"1","purl":"pkg:npm/z@1","licenses":[{"license":5},{"expression":"MIT"}],
         "properties":[{"name":"yagura:layer:index","value":"x"}]}]}"#;
    let r = read(odd, "odd").expect("reads");
    assert_eq!(names(&r), vec!["npm z 1"]);
    assert_eq!(r.packages[0].licenses, vec!["MIT"]);
    assert_eq!(r.issues.len(), 3, "{:?}", r.issues);
}

/// Every prefix of every fixture (every 7th byte) reads to a result or an
/// error, never a panic; VEX reading likewise.
#[test]
fn truncated_fixtures_never_panic() {
    for rel in [
        "real/cyclonedx-py-env-1.6.cdx.json",
        "real/sbom4python-attrs.spdx",
        "handwritten/trivy-image.cdx.json",
        "handwritten/syft-image.spdx.json",
        "vex/openvex.json",
        "vex/cyclonedx-vex.json",
    ] {
        let bytes = fixture_bytes(rel);
        for cut in (0..bytes.len()).step_by(7) {
            let part = &bytes[..cut];
            let _ = read(part, rel);
            let _ = yagura_sbom::read_vex(part, rel);
        }
    }
}
