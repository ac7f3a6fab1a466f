use yagura_model::package::{Distro, LayerRef, Package, PackageSource, SourcePackage};
use yagura_sbom::{parse_purl, purl, Purl};

fn pkg(eco: &str, name: &str, version: &str, found_by: PackageSource) -> Package {
    Package::new(eco, name, version, found_by, "x")
}

fn debian12() -> Distro {
    Distro {
        id: "debian".into(),
        version_id: "12".into(),
        osv_ecosystem: Some("Debian:12".into()),
        ..Default::default()
    }
}

/// A package, its distro, its expected purl, and what parsing that gives.
type Case = (
    Package,
    Option<Distro>,
    &'static str,
    (&'static str, &'static str, &'static str),
);

/// Every purl type: the purl made from a package, and what parsing it gives.
#[test]
fn purl_round_trips_for_every_type() {
    let mut openssl = pkg(
        "Debian:12",
        "openssl",
        "3.0.11-1~deb12u2",
        PackageSource::Dpkg,
    );
    openssl.arch = Some("amd64".into());
    let mut libssl = pkg(
        "Debian:12",
        "libssl3",
        "3.0.11-1~deb12u2",
        PackageSource::Dpkg,
    );
    libssl.arch = Some("amd64".into());
    libssl.source_package = Some(SourcePackage {
        name: "openssl".into(),
        version: "3.0.11-1~deb12u2".into(),
    });
    let mut libc = pkg("Debian:12", "libc6", "2.36-9+deb12u4", PackageSource::Dpkg);
    libc.source_package = Some(SourcePackage {
        name: "glibc".into(),
        version: "2.36-9+deb12u3".into(),
    });
    let mut musl = pkg("Alpine:v3.20", "musl", "1.2.5-r0", PackageSource::Apk);
    musl.arch = Some("x86_64".into());
    let mut rpm = pkg(
        "Rocky Linux:9",
        "openssl",
        "1:3.0.7-27.el9",
        PackageSource::Rpm,
    );
    rpm.arch = Some("x86_64".into());
    let ubuntu = pkg(
        "Ubuntu:22.04:LTS",
        "bash",
        "5.1-6ubuntu1",
        PackageSource::Dpkg,
    );
    let cases: Vec<Case> = vec![
        (
            openssl,
            Some(debian12()),
            "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
            ("Debian:12", "openssl", "3.0.11-1~deb12u2"),
        ),
        (
            libssl,
            Some(debian12()),
            "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
            ("Debian:12", "libssl3", "3.0.11-1~deb12u2"),
        ),
        (
            libc,
            None,
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?distro=debian-12&upstream=glibc%402.36-9%2Bdeb12u3",
            ("Debian:12", "libc6", "2.36-9+deb12u4"),
        ),
        (
            ubuntu,
            None,
            "pkg:deb/ubuntu/bash@5.1-6ubuntu1?distro=ubuntu-22.04",
            ("Ubuntu:22.04:LTS", "bash", "5.1-6ubuntu1"),
        ),
        (
            musl,
            None,
            "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20",
            ("Alpine:v3.20", "musl", "1.2.5-r0"),
        ),
        (
            rpm,
            None,
            "pkg:rpm/rocky/openssl@3.0.7-27.el9?arch=x86_64&distro=rocky-9&epoch=1",
            ("Rocky Linux:9", "openssl", "1:3.0.7-27.el9"),
        ),
        (
            pkg("PyPI", "Jinja2", "3.1.2", PackageSource::PythonMetadata),
            None,
            "pkg:pypi/jinja2@3.1.2",
            ("PyPI", "jinja2", "3.1.2"),
        ),
        (
            pkg("PyPI", "zope.interface", "6.0", PackageSource::PythonMetadata),
            None,
            "pkg:pypi/zope-interface@6.0",
            ("PyPI", "zope-interface", "6.0"),
        ),
        (
            pkg("npm", "@babel/core", "7.22.0", PackageSource::NodeModules),
            None,
            "pkg:npm/%40babel/core@7.22.0",
            ("npm", "@babel/core", "7.22.0"),
        ),
        (pkg("npm", "lodash", "4.17.21", PackageSource::Lockfile), None, "pkg:npm/lodash@4.17.21", ("npm", "lodash", "4.17.21")),
        (pkg("crates.io", "serde", "1.0.190", PackageSource::Lockfile), None, "pkg:cargo/serde@1.0.190", ("crates.io", "serde", "1.0.190")),
        (
            pkg("Go", "github.com/gorilla/websocket", "v1.5.0", PackageSource::GoBinary),
            None,
            "pkg:golang/github.com/gorilla/websocket@v1.5.0",
            ("Go", "github.com/gorilla/websocket", "v1.5.0"),
        ),
        (
            pkg("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", PackageSource::JavaArchive),
            None,
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
        ),
        (pkg("RubyGems", "rails", "7.0.4", PackageSource::Gemspec), None, "pkg:gem/rails@7.0.4", ("RubyGems", "rails", "7.0.4")),
        (
            pkg("NuGet", "Newtonsoft.Json", "13.0.1", PackageSource::Lockfile),
            None,
            "pkg:nuget/Newtonsoft.Json@13.0.1",
            ("NuGet", "Newtonsoft.Json", "13.0.1"),
        ),
        (
            pkg("Packagist", "laravel/framework", "v10.0.0", PackageSource::Lockfile),
            None,
            "pkg:composer/laravel/framework@v10.0.0",
            ("Packagist", "laravel/framework", "v10.0.0"),
        ),
    ];
    for (p, distro, want, (eco, name, version)) in cases {
        let got = purl(&p, distro.as_ref()).unwrap_or_else(|| panic!("no purl for {p:?}"));
        assert_eq!(got, want, "purl of {} {}", p.ecosystem, p.name);
        let parsed = parse_purl(&got).unwrap_or_else(|e| panic!("{got}: {e}"));
        assert_eq!(
            parsed,
            (eco.to_string(), name.to_string(), version.to_string()),
            "parse of {got}"
        );
        // Display of a parsed purl gives back the same text.
        assert_eq!(
            Purl::parse(&got).map(|u| u.to_string()).ok().as_deref(),
            Some(want)
        );
    }
}

#[test]
fn given_purl_is_kept_and_unknown_ecosystems_have_none() {
    let mut p = pkg("PyPI", "x", "1", PackageSource::Sbom);
    p.purl = Some("pkg:pypi/x@1?foo=bar".into());
    assert_eq!(purl(&p, None).as_deref(), Some("pkg:pypi/x@1?foo=bar"));
    assert_eq!(
        purl(&pkg("SwiftURL", "x", "1", PackageSource::Lockfile), None),
        None
    );
    let mut layered = pkg(
        "Debian:12",
        "zlib1g",
        "1:1.2.13.dfsg-1",
        PackageSource::Dpkg,
    );
    layered.layer = Some(LayerRef {
        index: 0,
        digest: "sha256:00".into(),
        created_by: None,
    });
    assert_eq!(
        purl(&layered, None).as_deref(),
        Some("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?distro=debian-12"),
        "the dpkg epoch stays in the version, `:` unencoded"
    );
}

#[test]
fn parse_purl_maps_producer_variants() {
    let cases = [
        // Trivy writes the apk distro as a bare version.
        (
            "pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=3.20.3",
            ("Alpine:v3.20", "busybox", "1.36.1-r29"),
        ),
        (
            "pkg:deb/debian/curl@7.88.1-10?distro=bookworm",
            ("Debian:12", "curl", "7.88.1-10"),
        ),
        (
            "pkg:deb/debian/curl@7.88.1-10?distro=debian-12.5",
            ("Debian:12", "curl", "7.88.1-10"),
        ),
        (
            "pkg:deb/debian/curl@7.88.1-10",
            ("Debian", "curl", "7.88.1-10"),
        ),
        (
            "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?distro=ubuntu-23.10",
            ("Ubuntu:23.10", "curl", "7.81.0-1ubuntu1.15"),
        ),
        (
            "pkg:npm/@types/node@20.1.0",
            ("npm", "@types/node", "20.1.0"),
        ),
        ("PKG:PyPI/Django_Rest@3.0", ("PyPI", "django-rest", "3.0")),
        (
            "pkg:rpm/redhat/openssl@3.0.7-27.el9?epoch=1",
            ("Red Hat", "openssl", "1:3.0.7-27.el9"),
        ),
        ("pkg:golang/stdlib@1.21.0", ("Go", "stdlib", "1.21.0")),
        (
            "pkg:maven/org.springframework/spring-core@5.3.0?type=jar",
            ("Maven", "org.springframework:spring-core", "5.3.0"),
        ),
        ("pkg:cargo/rand", ("crates.io", "rand", "")),
    ];
    for (s, (eco, name, version)) in cases {
        assert_eq!(
            parse_purl(s).unwrap_or_else(|e| panic!("{s}: {e}")),
            (eco.to_string(), name.to_string(), version.to_string()),
            "{s}"
        );
    }
}

#[test]
fn bad_purls_are_errors_not_panics() {
    for s in [
        "",
        "pkg:",
        "pkg:/",
        "npm/lodash@1",
        "http://x/y",
        "pkg:npm",
        "pkg:npm/",
        "pkg:oci/debian@sha256%3Aabc",
        "pkg:github/package-url/purl-spec@244fd47",
        "pkg:maven/log4j@1",
        "pkg:deb/kali/x@1",
        "pkg:9x/y@1",
        "pkg:npm/x@1?novalue",
        "pkg:npm/%E2%28%A1@%",
    ] {
        assert!(
            parse_purl(s).is_err() || s == "pkg:npm/%E2%28%A1@%",
            "{s} should not parse"
        );
    }
    // Invalid UTF-8 escapes decode lossily instead of panicking.
    assert!(parse_purl("pkg:npm/%E2%28%A1@%").is_ok());
    let err = parse_purl("pkg:oci/debian@sha256%3Aabc")
        .unwrap_err()
        .to_string();
    assert!(err.contains("oci"), "{err}");
}
