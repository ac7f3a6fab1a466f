//! Readers against fixtures made by real tools (see tests/fixtures/regen.sh):
//! a debootstrap'd Debian bookworm, rpm databases written by rpm and libdb,
//! and hand-written Alpine and distroless files modelled on real ones.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use yagura_model::package::{FileInventory, PackageSource, SourcePackage};
use yagura_ospkg::{classify, parse, parse_debian_copyright, parse_os_release, OsFileKind};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Parses a fixture file as the scanner would: path relative to the fixture
/// root, kind from `classify`.
fn scan(root: &str, rel: &str) -> FileInventory {
    let kind = classify(rel).unwrap_or_else(|| panic!("{rel} not classified"));
    parse(kind, rel, &read(&format!("{root}/{rel}")))
}

#[test]
fn debian_bookworm_status_matches_dpkg_query() {
    let inventory = scan("debian", "var/lib/dpkg/status");
    assert!(inventory.issues.is_empty(), "{:?}", inventory.issues);
    let expected_text = String::from_utf8(read("debian/expected.tsv")).unwrap();
    let mut expected = BTreeSet::new();
    for line in expected_text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 6, "{line}");
        // `ii `, `hi `: installed (or held); anything else dpkg-query lists
        // would be config-files or not-installed.
        if cols[0].trim_end().ends_with('i') {
            expected.insert((
                cols[1].to_string(),
                cols[2].to_string(),
                cols[3].to_string(),
                cols[4].to_string(),
                cols[5].to_string(),
            ));
        }
    }
    assert!(
        expected.len() > 50,
        "ground truth suspiciously small: {}",
        expected.len()
    );
    let got: BTreeSet<_> = inventory
        .packages
        .iter()
        .map(|p| {
            let source = p
                .source_package
                .clone()
                .expect("dpkg packages always have a source");
            (
                p.name.clone(),
                p.version.clone(),
                p.arch.clone().unwrap_or_default(),
                source.name,
                source.version,
            )
        })
        .collect();
    assert_eq!(inventory.packages.len(), expected.len());
    assert_eq!(got, expected);
    for p in &inventory.packages {
        assert_eq!(p.found_by, PackageSource::Dpkg);
        assert_eq!(p.ecosystem, "");
        assert_eq!(p.path, "var/lib/dpkg/status");
        assert!(p.line.is_some());
    }
    // Spot checks: a binary whose source differs, and a versioned Source field.
    let find = |name: &str| {
        inventory
            .packages
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    assert_eq!(
        find("libc6")
            .source_package
            .as_ref()
            .map(|s| s.name.as_str()),
        Some("glibc")
    );
    assert_eq!(
        find("libc-bin")
            .source_package
            .as_ref()
            .map(|s| s.name.as_str()),
        Some("glibc")
    );
    assert_eq!(
        find("zlib1g").version.split(':').next(),
        Some("1"),
        "zlib1g carries epoch 1"
    );
    assert_eq!(
        find("bash")
            .source_package
            .as_ref()
            .map(|s| s.name.as_str()),
        Some("bash")
    );
    let first = &inventory.packages[0];
    assert_eq!(first.line, Some(1));
}

#[test]
fn debian_os_release() {
    let rel = "usr/lib/os-release";
    assert_eq!(classify(rel), Some(OsFileKind::OsRelease));
    let distro = parse_os_release(rel, &read("debian/usr/lib/os-release")).unwrap();
    assert_eq!(distro.id, "debian");
    assert_eq!(distro.version_id, "12");
    assert_eq!(distro.version_codename.as_deref(), Some("bookworm"));
    assert_eq!(distro.osv_ecosystem.as_deref(), Some("Debian:12"));
    assert_eq!(distro.path, rel);
}

#[test]
fn debian_copyright_files() {
    let licenses = |pkg: &str| {
        let rel = format!("usr/share/doc/{pkg}/copyright");
        assert_eq!(classify(&rel), Some(OsFileKind::DebianCopyright));
        parse_debian_copyright(&read(&format!("debian/{rel}")))
    };
    let bash = licenses("bash");
    assert!(bash.contains(&"GPL-3.0-or-later".to_string()), "{bash:?}");
    assert!(
        bash.contains(&"GPL-3.0-or-later WITH Bison-exception-2.2".to_string()),
        "{bash:?}"
    );
    assert!(
        bash.contains(&"BSD-4-Clause-UC AND LicenseRef-MIT-like".to_string()),
        "{bash:?}"
    );
    assert!(
        licenses("libc6").is_empty(),
        "glibc's copyright file is not DEP-5"
    );
    assert_eq!(
        licenses("tar"),
        [
            "GPL-3.0-or-later",
            "GPL-3.0-or-later WITH Bison-exception-2.2",
            "LGPL-3.0-or-later",
            "GPL-2.0-or-later"
        ]
    );
    let zlib = licenses("zlib1g");
    assert!(zlib.contains(&"Zlib".to_string()), "{zlib:?}");
    let dpkg = licenses("dpkg");
    assert!(dpkg.contains(&"GPL-2.0-or-later".to_string()), "{dpkg:?}");
    for pkg in ["coreutils", "sed"] {
        // Every value is SPDX-shaped: an id, an expression or a LicenseRef.
        for license in licenses(pkg) {
            assert!(
                !license.contains('\n') && !license.trim().is_empty(),
                "{pkg}: {license:?}"
            );
        }
    }
}

#[test]
fn distroless_status_d() {
    let dir = fixtures().join("distroless/var/lib/dpkg/status.d");
    let mut packages = Vec::new();
    let mut skipped = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    entries.sort();
    for name in entries {
        let rel = format!("var/lib/dpkg/status.d/{name}");
        match classify(&rel) {
            Some(kind) => {
                assert_eq!(kind, OsFileKind::DpkgStatusD);
                let inventory = parse(kind, &rel, &read(&format!("distroless/{rel}")));
                assert!(inventory.issues.is_empty());
                packages.extend(inventory.packages);
            }
            None => skipped.push(name),
        }
    }
    assert_eq!(skipped, ["libssl3.md5sums"]);
    let got: Vec<_> = packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "base-files",
                "12.4+deb12u5",
                "var/lib/dpkg/status.d/base-files"
            ),
            (
                "libssl3",
                "3.0.11-1~deb12u2",
                "var/lib/dpkg/status.d/libssl3"
            ),
            ("tzdata", "2024a-0+deb12u1", "var/lib/dpkg/status.d/tzdata"),
        ]
    );
    assert_eq!(
        packages[1].source_package,
        Some(SourcePackage {
            name: "openssl".into(),
            version: "3.0.11-1~deb12u2".into()
        })
    );
}

#[test]
fn alpine_installed() {
    let inventory = scan("alpine", "lib/apk/db/installed");
    assert!(inventory.issues.is_empty(), "{:?}", inventory.issues);
    let got: Vec<_> = inventory
        .packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.source_package
                    .as_ref()
                    .map(|s| s.name.as_str())
                    .unwrap_or(""),
                p.licenses.join("|"),
                p.line.unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("musl", "1.2.4_git20230717-r4", "musl", "MIT".to_string(), 1),
            (
                "busybox",
                "1.36.1-r15",
                "busybox",
                "GPL-2.0-only".to_string(),
                23
            ),
            (
                "libcrypto3",
                "3.1.4-r5",
                "openssl",
                "Apache-2.0".to_string(),
                44
            ),
            (
                "ssl_client",
                "1.36.1-r15",
                "busybox",
                "GPL-2.0-only".to_string(),
                62
            ),
            (
                "ca-certificates-bundle",
                "20230506-r0",
                "ca-certificates",
                "MPL-2.0 AND MIT".to_string(),
                80
            ),
            (
                "scanelf",
                "1.3.7-r2",
                "pax-utils",
                "GPL-2.0-only".to_string(),
                99
            ),
        ]
    );
    assert!(inventory
        .packages
        .iter()
        .all(|p| p.arch.as_deref() == Some("x86_64") && p.found_by == PackageSource::Apk));
    let distro = parse_os_release("etc/os-release", &read("alpine/etc/os-release")).unwrap();
    assert_eq!(distro.osv_ecosystem.as_deref(), Some("Alpine:v3.19"));
}

/// The rpm ground truth recorded by `rpm -qa` when the fixtures were made.
fn rpm_expected() -> Vec<(String, String, String, SourcePackage, String)> {
    let text = String::from_utf8(read("rpm/expected.tsv")).unwrap();
    text.lines()
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let version = cols[1].strip_prefix("0:").unwrap_or(cols[1]).to_string();
            let srpm = cols[3].strip_suffix(".src.rpm").unwrap();
            let (rest, release) = srpm.rsplit_once('-').unwrap();
            let (name, upstream) = rest.rsplit_once('-').unwrap();
            let source = SourcePackage {
                name: name.into(),
                version: format!("{upstream}-{release}"),
            };
            (
                cols[0].to_string(),
                version,
                cols[2].to_string(),
                source,
                cols[4].to_string(),
            )
        })
        .collect()
}

fn check_rpm(rel: &str, fixture: &str) {
    let kind = classify(rel).unwrap();
    let inventory = parse(kind, rel, &read(fixture));
    assert!(
        inventory.issues.is_empty(),
        "{fixture}: {:?}",
        inventory.issues
    );
    let mut got: Vec<_> = inventory
        .packages
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.version.clone(),
                p.arch.clone().unwrap_or_default(),
                p.source_package.clone().unwrap(),
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let expected: Vec<_> = rpm_expected()
        .into_iter()
        .map(|(n, v, a, s, _)| (n, v, a, s))
        .collect();
    assert_eq!(got, expected, "{fixture}");
    let licenses: Vec<_> = {
        let mut l: Vec<_> = inventory
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.licenses.join("|")))
            .collect();
        l.sort();
        l
    };
    assert_eq!(
        licenses,
        [
            ("alpha", "MIT".to_string()),
            ("beta", "GPL-2.0-or-later AND LGPL-2.0-or-later".to_string()),
            ("gamma", "Apache-2.0".to_string())
        ]
    );
    assert!(inventory
        .packages
        .iter()
        .all(|p| p.found_by == PackageSource::Rpm && p.path == rel));
}

#[test]
fn rpm_expected_has_epochs_and_tilde() {
    let expected = rpm_expected();
    assert_eq!(expected.len(), 3);
    assert_eq!(expected[0].1, "1.0-1");
    assert_eq!(expected[1].1, "2:3.4~rc1-5.fc40");
    assert_eq!(expected[2].1, "1:0.9.7-3");
}

#[test]
fn rpm_sqlite() {
    check_rpm("usr/lib/sysimage/rpm/rpmdb.sqlite", "rpm/rpmdb.sqlite");
}

#[test]
fn rpm_bdb_little_endian() {
    check_rpm("var/lib/rpm/Packages", "rpm/Packages.le");
}

#[test]
fn rpm_bdb_big_endian() {
    check_rpm("var/lib/rpm/Packages", "rpm/Packages.be");
}

#[test]
fn rpm_ndb() {
    check_rpm("usr/lib/sysimage/rpm/Packages.db", "rpm/Packages.ndb");
}

#[test]
fn rpm_format_is_sniffed_not_named() {
    // A SQLite database under the BerkeleyDB name still reads.
    check_rpm("var/lib/rpm/Packages", "rpm/rpmdb.sqlite");
    check_rpm("var/lib/rpm/rpmdb.sqlite", "rpm/Packages.ndb");
}

fn all_fixture_files() -> Vec<(String, OsFileKind, Vec<u8>)> {
    let mut out = Vec::new();
    for (fixture, rel) in [
        ("debian/var/lib/dpkg/status", "var/lib/dpkg/status"),
        ("debian/usr/lib/os-release", "usr/lib/os-release"),
        (
            "debian/usr/share/doc/bash/copyright",
            "usr/share/doc/bash/copyright",
        ),
        ("alpine/lib/apk/db/installed", "lib/apk/db/installed"),
        (
            "distroless/var/lib/dpkg/status.d/libssl3",
            "var/lib/dpkg/status.d/libssl3",
        ),
        ("rpm/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"),
        ("rpm/Packages.le", "var/lib/rpm/Packages"),
        ("rpm/Packages.be", "var/lib/rpm/Packages"),
        ("rpm/Packages.inline", "var/lib/rpm/Packages"),
        ("rpm/Packages.ndb", "var/lib/rpm/Packages.db"),
    ] {
        out.push((rel.to_string(), classify(rel).unwrap(), read(fixture)));
    }
    out
}

fn parse_any(kind: OsFileKind, rel: &str, bytes: &[u8]) -> usize {
    match kind {
        OsFileKind::OsRelease => usize::from(parse_os_release(rel, bytes).is_ok()),
        OsFileKind::DebianCopyright => parse_debian_copyright(bytes).len(),
        _ => {
            let inventory = parse(kind, rel, bytes);
            for issue in &inventory.issues {
                assert_eq!(issue.path, rel);
            }
            inventory.packages.len()
        }
    }
}

/// Truncating any fixture anywhere must not panic.
#[test]
fn truncation_never_panics() {
    for (rel, kind, bytes) in all_fixture_files() {
        let step = (bytes.len() / 400).max(1);
        let mut cut = 0;
        while cut < bytes.len() {
            parse_any(kind, &rel, &bytes[..cut]);
            cut += step;
        }
        // Every offset of the first pages, where headers live.
        for cut in 0..bytes.len().min(600) {
            parse_any(kind, &rel, &bytes[..cut]);
        }
    }
}

/// Deterministic byte corruption (xorshift) must not panic either.
#[test]
fn corruption_never_panics() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (rel, kind, bytes) in all_fixture_files() {
        for _ in 0..150 {
            let mut copy = bytes.clone();
            for _ in 0..8 {
                let at = (next() as usize) % copy.len();
                copy[at] = next() as u8;
            }
            parse_any(kind, &rel, &copy);
        }
    }
}

#[test]
fn truncated_rpm_databases_report_issues() {
    for (fixture, rel) in [
        ("rpm/Packages.le", "var/lib/rpm/Packages"),
        ("rpm/Packages.be", "var/lib/rpm/Packages"),
        ("rpm/Packages.ndb", "var/lib/rpm/Packages.db"),
        ("rpm/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"),
    ] {
        let bytes = read(fixture);
        let cut = &bytes[..bytes.len() * 2 / 3];
        let inventory = parse(classify(rel).unwrap(), rel, cut);
        assert!(
            !inventory.issues.is_empty(),
            "{fixture}: truncation went unnoticed"
        );
        assert!(inventory.issues.iter().all(|i| i.path == rel));
    }
}

/// BerkeleyDB page pointers aimed outside the file are reported per record.
#[test]
fn bdb_out_of_bounds_overflow_pointer() {
    let mut bytes = read("rpm/Packages.le");
    let page_size = u32::from_le_bytes(bytes[20..24].try_into().unwrap()) as usize;
    // Find an off-page item (type 3) on a hash page and point it past the end.
    let mut patched = false;
    for pgno in 1..bytes.len() / page_size {
        let base = pgno * page_size;
        if bytes[base + 25] != 13 {
            continue;
        }
        let entries = u16::from_le_bytes([bytes[base + 20], bytes[base + 21]]) as usize;
        for i in 0..entries {
            let at = base + 26 + i * 2;
            let offset = u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize;
            if bytes[base + offset] == 3 {
                bytes[base + offset + 4..base + offset + 8].copy_from_slice(&9999u32.to_le_bytes());
                patched = true;
                break;
            }
        }
        if patched {
            break;
        }
    }
    assert!(
        patched,
        "fixture has no overflow item; regen.sh should make gamma's header > 4 KiB"
    );
    let rel = "var/lib/rpm/Packages";
    let inventory = parse(OsFileKind::RpmBdb, rel, &bytes);
    assert_eq!(inventory.packages.len(), 2, "the other records still read");
    assert_eq!(inventory.issues.len(), 1, "{:?}", inventory.issues);
    let issue = &inventory.issues[0];
    assert_eq!(issue.path, rel);
    assert!(
        issue
            .entry
            .as_deref()
            .is_some_and(|e| e.starts_with("record ")),
        "{issue}"
    );
    assert!(issue.message.contains("outside the file"), "{issue}");
}

#[test]
fn ndb_corrupt_blob_is_reported() {
    let mut bytes = read("rpm/Packages.ndb");
    // Flip a byte inside the first blob's data: the Adler-32 catches it.
    bytes[4096 + 40] ^= 0xff;
    let inventory = parse(
        OsFileKind::RpmNdb,
        "usr/lib/sysimage/rpm/Packages.db",
        &bytes,
    );
    assert_eq!(inventory.packages.len(), 2);
    assert_eq!(inventory.issues.len(), 1);
    assert!(
        inventory.issues[0].message.contains("checksum"),
        "{}",
        inventory.issues[0]
    );
    assert_eq!(inventory.issues[0].entry.as_deref(), Some("record 1"));
}

#[test]
fn garbage_everywhere() {
    let garbage: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for rel in [
        "var/lib/rpm/Packages",
        "var/lib/rpm/Packages.db",
        "var/lib/rpm/rpmdb.sqlite",
    ] {
        let inventory = parse(classify(rel).unwrap(), rel, &garbage);
        assert!(inventory.packages.is_empty());
        assert_eq!(inventory.issues.len(), 1);
        assert_eq!(inventory.issues[0].path, rel);
    }
    assert!(
        parse(OsFileKind::DpkgStatus, "var/lib/dpkg/status", &garbage)
            .packages
            .is_empty()
    );
    assert!(
        parse(OsFileKind::ApkInstalled, "lib/apk/db/installed", &garbage)
            .packages
            .is_empty()
    );
    assert!(parse_os_release("etc/os-release", &garbage).is_err());
    assert!(parse_debian_copyright(&garbage).is_empty());
}

/// Values small enough to stay on the hash page (type 1 items).
#[test]
fn rpm_bdb_inline_value() {
    let inventory = parse(
        OsFileKind::RpmBdb,
        "var/lib/rpm/Packages",
        &read("rpm/Packages.inline"),
    );
    assert!(inventory.issues.is_empty(), "{:?}", inventory.issues);
    let got: Vec<_> = inventory
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    let expected: Vec<_> = (1..=300)
        .map(|n| (format!("tiny{n}"), format!("1.{n}-3")))
        .collect();
    assert_eq!(got, expected);
    assert!(inventory
        .packages
        .iter()
        .all(|p| p.arch.as_deref() == Some("noarch")));
}
