use crate::fixture_bytes;
use crate::writers::{distro, packages, vulns};
use yagura_model::package::VulnState;
use yagura_sbom::{apply_vex, read_vex, VexStatus};

#[test]
fn reads_openvex() {
    let s = read_vex(&fixture_bytes("vex/openvex.json"), "openvex.json").expect("reads");
    assert_eq!(s.len(), 4);
    assert_eq!(s[0].vulnerability, "CVE-2021-44228");
    assert_eq!(s[0].aliases, vec!["GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(
        s[0].products,
        vec!["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"],
        "subcomponents, not the image"
    );
    assert_eq!(s[0].status, VexStatus::NotAffected);
    assert_eq!(
        s[0].justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(
        s[0].statement.as_deref(),
        Some("JNDI lookups are disabled by configuration")
    );
    assert_eq!(
        s[1].aliases,
        vec!["https://osv.dev/vulnerability/GHSA-4q6p-r6v2-jvc5"]
    );
    assert_eq!(s[1].status, VexStatus::Fixed);
    assert_eq!(s[2].status, VexStatus::UnderInvestigation);
    let old = read_vex(&fixture_bytes("vex/openvex-v0.0.1.json"), "old").expect("reads");
    assert_eq!(old[0].products, vec!["pkg:deb/debian/openssl"]);
    assert_eq!(old[1].status, VexStatus::Affected);
    assert_eq!(old[1].statement.as_deref(), Some("upgrade"));
}

#[test]
fn reads_cyclonedx_vex() {
    let s = read_vex(&fixture_bytes("vex/cyclonedx-vex.json"), "cdx-vex.json").expect("reads");
    assert_eq!(s.len(), 4);
    assert_eq!(s[0].status, VexStatus::NotAffected);
    assert_eq!(s[0].justification.as_deref(), Some("code_not_reachable"));
    assert_eq!(s[0].aliases, vec!["GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(s[1].status, VexStatus::Fixed);
    assert_eq!(
        s[1].products,
        vec!["pkg:cargo/serde@1.0.190"],
        "BOM-link resolved through bom-ref"
    );
    assert_eq!(s[2].status, VexStatus::NotAffected);
    assert_eq!(s[2].statement.as_deref(), Some("false positive"));
    assert_eq!(s[2].products, vec!["unknown-ref"]);
    assert_eq!(s[3].status, VexStatus::UnderInvestigation);
    assert_eq!(s[3].products, vec!["pkg:cargo/serde@1.0.190"]);
}

#[test]
fn applies_openvex_by_alias_and_versionless_product() {
    let pkgs = packages();
    let mut matches = vulns(&pkgs);
    // Start from affected everywhere so every change is VEX's doing.
    for m in &mut matches {
        m.state = VulnState::Affected;
    }
    // Name the log4j match by its GHSA only; the statement names the CVE
    // with the GHSA as alias.
    matches[1].id = "GHSA-jfh8-c2jp-5v3q".into();
    matches[1].aliases = vec![];
    matches[3].id = "GHSA-4q6p-r6v2-jvc5".into();
    let d = distro();
    let s = read_vex(&fixture_bytes("vex/openvex.json"), "openvex.json").expect("reads");
    apply_vex(&s, &mut matches, Some(&d));
    assert_eq!(
        matches[1].state,
        VulnState::NotAffected {
            justification: Some("vulnerable_code_not_in_execute_path".into()),
            statement: Some("JNDI lookups are disabled by configuration".into()),
        }
    );
    assert_eq!(
        matches[3].state,
        VulnState::Fixed {
            statement: Some("patched in our fork".into())
        },
        "pkg:pypi/jinja2 without version"
    );
    assert_eq!(
        matches[0].state,
        VulnState::Affected,
        "under_investigation changes nothing"
    );
    assert_eq!(
        matches[2].state,
        VulnState::Affected,
        "no statement names serde"
    );
}

#[test]
fn later_statements_win_and_versions_must_match() {
    let pkgs = packages();
    let mut matches = vulns(&pkgs);
    let d = distro();
    let s = read_vex(&fixture_bytes("vex/openvex-v0.0.1.json"), "old").expect("reads");
    apply_vex(&s[..1], &mut matches, Some(&d));
    assert!(
        matches!(matches[0].state, VulnState::NotAffected { .. }),
        "versionless product, qualifiers ignored"
    );
    apply_vex(&s, &mut matches, Some(&d));
    assert_eq!(
        matches[0].state,
        VulnState::Affected,
        "the later affected statement wins"
    );

    let mut m2 = vulns(&pkgs);
    let mut wrong_version =
        read_vex(&fixture_bytes("vex/openvex-v0.0.1.json"), "old").expect("reads");
    wrong_version.truncate(1);
    wrong_version[0].products = vec!["pkg:deb/debian/openssl@9.9".into()];
    apply_vex(&wrong_version, &mut m2, Some(&d));
    assert_eq!(m2[0].state, VulnState::Affected);
    // A NotAssessed match stays so under an `affected` statement.
    let mut m3 = vulns(&pkgs);
    let aff = vec![yagura_sbom::VexStatement {
        vulnerability: "GHSA-h5c8-rqwp-cp95".into(),
        aliases: vec![],
        products: vec!["pkg:pypi/Jinja2@3.1.2".into()],
        status: VexStatus::Affected,
        justification: None,
        statement: None,
    }];
    apply_vex(&aff, &mut m3, Some(&d));
    assert!(matches!(m3[3].state, VulnState::NotAssessed { .. }));
}

#[test]
fn applies_cyclonedx_vex() {
    let pkgs = packages();
    let mut matches = vulns(&pkgs);
    matches[1].state = VulnState::Affected;
    matches[2].state = VulnState::Affected;
    let s = read_vex(&fixture_bytes("vex/cyclonedx-vex.json"), "cdx").expect("reads");
    apply_vex(&s, &mut matches, None);
    assert!(
        matches!(matches[1].state, VulnState::NotAffected { .. }),
        "log4j purl with ?type=jar still matches"
    );
    assert_eq!(
        matches[2].state,
        VulnState::Fixed {
            statement: Some("backported".into())
        }
    );
    assert_eq!(
        matches[0].state,
        VulnState::Affected,
        "unresolvable ref matches nothing"
    );
}

#[test]
fn bad_vex_is_an_error_naming_the_label() {
    for (bytes, want) in [
        (&b"nope"[..], "not valid JSON"),
        (br#"{"statements":{}}"#, "not an array"),
        (
            br#"{"statements":[{"products":[]}]}"#,
            "statement 1: no vulnerability",
        ),
        (
            br#"{"statements":[{"vulnerability":"CVE-1","status":"maybe"}]}"#,
            "unknown status",
        ),
        (
            br#"{"vulnerabilities":[{"analysis":{"state":"not_affected"}}]}"#,
            "has no id",
        ),
        (
            br#"{"vulnerabilities":[{"id":"X","analysis":{"state":"odd"}}]}"#,
            "unknown analysis state",
        ),
        (br#"{"foo":1}"#, "neither"),
        (
            br#"{"statements":[{"vulnerability":"CVE-1","status":"affected""#,
            "not valid JSON",
        ),
    ] {
        let e = read_vex(bytes, "vex.json")
            .expect_err("must fail")
            .to_string();
        assert!(
            e.starts_with("vex.json: ") && e.contains(want),
            "{e} should mention {want}"
        );
    }
}
