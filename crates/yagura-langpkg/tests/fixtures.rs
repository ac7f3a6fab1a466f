//! Readers run over fixtures made by the real tools (see
//! `tests/fixtures/regen.sh`): pip, setuptools, npm, gem, go, cargo-auditable;
//! Java archives are laid out with Python's zipfile.

use std::io::Read;
use std::path::{Path, PathBuf};

use yagura_langpkg::{classify, parse, LangFileKind};
use yagura_model::package::{FileInventory, Package, PackageSource};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every file under `dir`, as a `/`-separated path relative to `dir`.
fn walk(dir: &Path) -> Vec<String> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                go(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out);
    out
}

/// Classifies and parses every file of a fixture tree as a scanner would.
fn scan_tree(dir: &Path) -> FileInventory {
    let mut inv = FileInventory::default();
    for rel in walk(dir) {
        if let Some(kind) = classify(&rel, false) {
            let got = parse(kind, &rel, &std::fs::read(dir.join(&rel)).unwrap());
            inv.packages.extend(got.packages);
            inv.issues.extend(got.issues);
        }
    }
    inv
}

fn summary(p: &Package) -> (String, String, String, Vec<String>) {
    (
        p.ecosystem.clone(),
        p.name.clone(),
        p.version.clone(),
        p.licenses.clone(),
    )
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn python_site_packages() {
    let inv = scan_tree(&fixtures().join("python"));
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    let mut got: Vec<_> = inv.packages.iter().map(summary).collect();
    got.sort();
    let want = vec![
        (
            "PyPI".into(),
            "idna".into(),
            "3.7".into(),
            s(&["LicenseRef-BSD-License"]),
        ),
        (
            "PyPI".into(),
            "packaging".into(),
            "24.1".into(),
            s(&[
                "LicenseRef-Apache-Software-License",
                "LicenseRef-BSD-License",
            ]),
        ),
        ("PyPI".into(), "six".into(), "1.16.0".into(), s(&["MIT"])),
        (
            "PyPI".into(),
            "tiny-egg".into(),
            "0.3.1".into(),
            s(&["LicenseRef-BSD-License"]),
        ),
        (
            "PyPI".into(),
            "typing_extensions".into(),
            "4.13.2".into(),
            s(&["PSF-2.0"]),
        ),
    ];
    assert_eq!(got, want);
    let egg = inv.packages.iter().find(|p| p.name == "tiny-egg").unwrap();
    assert_eq!(egg.path, "site-packages/tiny_egg.egg-info/PKG-INFO");
    assert!(inv
        .packages
        .iter()
        .all(|p| p.found_by == PackageSource::PythonMetadata));
}

#[test]
fn node_modules_with_scope_and_nesting() {
    let inv = scan_tree(&fixtures().join("node"));
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    let mut got: Vec<_> = inv
        .packages
        .iter()
        .map(|p| {
            (
                p.path.clone(),
                p.name.clone(),
                p.version.clone(),
                p.licenses.clone(),
            )
        })
        .collect();
    got.sort();
    let want = vec![
        (
            "node_modules/@isaacs/string-locale-compare/package.json".to_string(),
            "@isaacs/string-locale-compare".to_string(),
            "1.1.0".to_string(),
            s(&["ISC"]),
        ),
        (
            "node_modules/debug/node_modules/ms/package.json".into(),
            "ms".into(),
            "2.0.0".into(),
            s(&["MIT"]),
        ),
        (
            "node_modules/debug/package.json".into(),
            "debug".into(),
            "2.6.9".into(),
            s(&["MIT"]),
        ),
        (
            "node_modules/ms/package.json".into(),
            "ms".into(),
            "2.1.3".into(),
            s(&["MIT"]),
        ),
    ];
    assert_eq!(got, want);
    assert!(inv
        .packages
        .iter()
        .all(|p| p.ecosystem == "npm" && p.found_by == PackageSource::NodeModules));
}

#[test]
fn installed_gem_specifications() {
    let inv = scan_tree(&fixtures().join("ruby"));
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    let mut got: Vec<_> = inv.packages.iter().map(summary).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "RubyGems".into(),
                "bigdecimal".into(),
                "3.1.1".into(),
                s(&["Ruby"])
            ),
            (
                "RubyGems".into(),
                "tiny_gem".into(),
                "1.4.2".into(),
                s(&["MIT", "Apache-2.0"])
            ),
        ]
    );
}

#[test]
fn fat_jar_with_nested_archives() {
    let dir = fixtures().join("java");
    let inv = parse(
        LangFileKind::JavaArchive,
        "app/demo.jar",
        &std::fs::read(dir.join("demo-0.0.1-SNAPSHOT.jar")).unwrap(),
    );
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    let got: Vec<_> = inv
        .packages
        .iter()
        .map(|p| {
            (
                p.path.as_str(),
                p.name.as_str(),
                p.version.as_str(),
                p.licenses.clone(),
            )
        })
        .collect();
    let lib = "app/demo.jar!/BOOT-INF/lib/";
    let want = vec![
        (
            "app/demo.jar".to_string(),
            "com.example:demo",
            "0.0.1-SNAPSHOT",
            vec![],
        ),
        (
            format!("{lib}jackson-databind-2.15.2.jar"),
            "com.fasterxml.jackson.core:jackson-databind",
            "2.15.2",
            s(&["Apache-2.0"]),
        ),
        (
            format!("{lib}snakeyaml-1.33.jar"),
            "org.yaml:snakeyaml",
            "1.33",
            s(&["Apache-2.0"]),
        ),
        (
            format!("{lib}shaded-client-3.0.0.jar"),
            "org.example:shaded-client",
            "3.0.0",
            vec![],
        ),
        (
            format!("{lib}shaded-client-3.0.0.jar"),
            "com.google.guava:guava",
            "31.1-jre",
            vec![],
        ),
        (
            format!("{lib}jetty-util-9.4.51.v20230217.jar"),
            "org.eclipse.jetty:jetty-util",
            "9.4.51.v20230217",
            s(&["EPL-2.0", "Apache-2.0"]),
        ),
        (
            format!("{lib}acme-util-1.2.3.jar"),
            "acme-util",
            "1.2.3",
            vec![],
        ),
        (
            format!("{lib}holder-0.0.2.jar"),
            "org.deep:holder",
            "0.0.2",
            vec![],
        ),
        (
            format!("{lib}holder-0.0.2.jar!/lib/inner-most-0.0.1.jar"),
            "org.deep:inner-most",
            "0.0.1",
            vec![],
        ),
    ];
    let got: Vec<_> = got
        .into_iter()
        .map(|(p, n, v, l)| (p.to_string(), n, v, l))
        .collect();
    assert_eq!(got, want);
    assert!(inv
        .packages
        .iter()
        .all(|p| p.ecosystem == "Maven" && p.found_by == PackageSource::JavaArchive));
}

#[test]
fn war_and_file_name_fallbacks() {
    let dir = fixtures().join("java");
    let war = parse(
        LangFileKind::JavaArchive,
        "srv/shop.war",
        &std::fs::read(dir.join("shop.war")).unwrap(),
    );
    let got: Vec<_> = war
        .packages
        .iter()
        .map(|p| (p.path.as_str(), p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("srv/shop.war", "com.example:shop", "2.0.0"),
            (
                "srv/shop.war!/WEB-INF/lib/snakeyaml-1.33.jar",
                "org.yaml:snakeyaml",
                "1.33"
            ),
        ]
    );
    let bare = parse(
        LangFileKind::JavaArchive,
        "lib/commons-text-1.10.0.jar",
        &std::fs::read(dir.join("commons-text-1.10.0.jar")).unwrap(),
    );
    assert_eq!(
        summary(&bare.packages[0]),
        (
            "Maven".into(),
            "commons-text".into(),
            "1.10.0".into(),
            vec![]
        )
    );
}

fn go_version_of_fixture() -> String {
    // `go version go1.19.8 linux/amd64` → `1.19.8`.
    let text = std::fs::read_to_string(fixtures().join("go/GO_VERSION")).unwrap();
    let v = text
        .split_whitespace()
        .nth(2)
        .unwrap()
        .trim_start_matches("go")
        .to_string();
    if v.matches('.').count() == 1 {
        format!("{v}.0")
    } else {
        v
    }
}

#[test]
fn go_binaries_plain_and_trimpath() {
    // ELF plain and -trimpath, PE and Mach-O cross-built.
    for name in [
        "hello.gz",
        "hello-trimpath.gz",
        "hello.exe.gz",
        "hello-darwin.gz",
    ] {
        let bytes = gunzip(&fixtures().join("go").join(name));
        assert_eq!(
            classify("usr/local/bin/hello", true),
            Some(LangFileKind::Binary)
        );
        let inv = parse(LangFileKind::Binary, "usr/local/bin/hello", &bytes);
        assert!(inv.issues.is_empty(), "{name}: {:?}", inv.issues);
        let mut got: Vec<_> = inv
            .packages
            .iter()
            .map(|p| (p.ecosystem.as_str(), p.name.as_str(), p.version.clone()))
            .collect();
        got.sort();
        // The main module is `(devel)` and `example.com/local` is replaced by
        // a directory: neither is listed. `example.com/old` is replaced by
        // the fork, whose version is the one built in.
        let want = vec![
            ("Go", "example.com/fork", "0.3.1".to_string()),
            ("Go", "example.com/greet", "1.2.0".to_string()),
            ("Go", "stdlib", go_version_of_fixture()),
        ];
        assert_eq!(got, want, "{name}");
        assert!(inv
            .packages
            .iter()
            .all(|p| p.found_by == PackageSource::GoBinary && p.path == "usr/local/bin/hello"));
    }
}

#[test]
fn cargo_auditable_binary() {
    let bytes = gunzip(&fixtures().join("rust/tiny-audited.gz"));
    let inv = parse(LangFileKind::Binary, "usr/bin/tiny-audited", &bytes);
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    let got: Vec<_> = inv.packages.iter().map(summary).collect();
    // The root crate is `local`: not a crates.io release, not listed.
    assert_eq!(
        got,
        vec![("crates.io".into(), "itoa".into(), "1.0.11".into(), vec![])]
    );
    assert_eq!(inv.packages[0].found_by, PackageSource::RustBinary);
}

#[test]
fn bad_inputs_become_issues_naming_the_path() {
    let jar = std::fs::read(fixtures().join("java/demo-0.0.1-SNAPSHOT.jar")).unwrap();
    let truncated = parse(
        LangFileKind::JavaArchive,
        "opt/t.jar",
        &jar[..jar.len() / 2],
    );
    assert!(truncated.packages.is_empty());
    // Cut in half, the last end-of-directory record left belongs to a nested
    // jar, so the zip reader gets as far as the entries: one issue anyway.
    assert_eq!(truncated.issues.len(), 1, "{:?}", truncated.issues);
    assert_eq!(truncated.issues[0].path, "opt/t.jar");

    // Corrupt a nested archive's bytes but keep the outer directory: the outer
    // jar still reads, the damaged member becomes an issue.
    let mut damaged = jar.clone();
    let at = find(&damaged, b"snakeyaml").unwrap() + 300;
    for b in &mut damaged[at..at + 200] {
        *b = 0x5a;
    }
    let inv = parse(LangFileKind::JavaArchive, "opt/d.jar", &damaged);
    assert!(inv.packages.iter().any(|p| p.name == "com.example:demo"));
    assert!(!inv.issues.is_empty());
    assert!(
        inv.issues.iter().all(|i| i.path.starts_with("opt/d.jar")),
        "{:?}",
        inv.issues
    );

    let mut elf = gunzip(&fixtures().join("go/hello.gz"));
    elf.truncate(200);
    let inv = parse(LangFileKind::Binary, "usr/bin/cut", &elf);
    assert_eq!(inv.issues.len(), 1, "{:?}", inv.issues);
    assert_eq!(inv.issues[0].path, "usr/bin/cut");

    let inv = parse(
        LangFileKind::NodePackageJson,
        "node_modules/x/package.json",
        b"{\"name\":\"x\",",
    );
    assert_eq!(inv.issues[0].path, "node_modules/x/package.json");
    let inv = parse(
        LangFileKind::PythonMetadata,
        "a.dist-info/METADATA",
        b"\x00\xff\xfe",
    );
    assert_eq!(inv.issues[0].path, "a.dist-info/METADATA");
}

#[test]
fn damaged_cargo_auditable_section_is_an_issue() {
    let mut bytes = gunzip(&fixtures().join("rust/tiny-audited.gz"));
    // Keep the zlib header, scramble the compressed stream behind it.
    let inv = parse(LangFileKind::Binary, "b", &bytes);
    assert_eq!(inv.packages.len(), 1);
    let section = auditable_section_range(&bytes).expect(".dep-v0 present");
    for b in &mut bytes[section.start + 2..section.end] {
        *b ^= 0xa5;
    }
    let inv = parse(LangFileKind::Binary, "usr/bin/tiny", &bytes);
    assert!(inv.packages.is_empty());
    assert_eq!(inv.issues.len(), 1, "{:?}", inv.issues);
    assert_eq!(inv.issues[0].path, "usr/bin/tiny");
}

/// An ELF section's (file offset, virtual address, size), read from the
/// section headers of a little-endian 64-bit ELF.
fn elf_section(elf: &[u8], wanted: &str) -> Option<(usize, u64, usize)> {
    let u16_at = |o: usize| u16::from_le_bytes(elf[o..o + 2].try_into().unwrap()) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap());
    let (shoff, shentsize, shnum, shstrndx) = (
        u64_at(0x28) as usize,
        u16_at(0x3a),
        u16_at(0x3c),
        u16_at(0x3e),
    );
    let strtab = u64_at(shoff + shstrndx * shentsize + 0x18) as usize;
    (0..shnum).find_map(|i| {
        let h = shoff + i * shentsize;
        let name_off = strtab + u32::from_le_bytes(elf[h..h + 4].try_into().unwrap()) as usize;
        let name = &elf[name_off..name_off + wanted.len() + 1];
        (name == format!("{wanted}\0").as_bytes()).then(|| {
            (
                u64_at(h + 0x18) as usize,
                u64_at(h + 0x10),
                u64_at(h + 0x20) as usize,
            )
        })
    })
}

fn auditable_section_range(elf: &[u8]) -> Option<std::ops::Range<usize>> {
    elf_section(elf, ".dep-v0").map(|(offset, _, size)| offset..offset + size)
}

/// Go before 1.18 stored pointers to Go string headers instead of inline
/// strings. No such toolchain is at hand, so the real 1.19 ELF gets its
/// `.go.buildinfo` rewritten in the old layout, with addresses that resolve
/// through its real section table.
#[test]
fn go_build_info_pointer_format() {
    let mut elf = gunzip(&fixtures().join("go/hello.gz"));
    let (offset, addr, size) = elf_section(&elf, ".go.buildinfo").expect(".go.buildinfo");
    let version = b"go1.16.15";
    let text = "path\texample.com/old\nmod\texample.com/old\tv0.9.0\t\ndep\texample.com/a\tv1.0.0\th1:x=\n";
    let mut modinfo = vec![0x30u8; 16];
    modinfo.extend_from_slice(text.as_bytes());
    modinfo.extend_from_slice(&[0x31u8; 16]);
    let mut blob = Vec::new();
    blob.extend_from_slice(b"\xff Go buildinf:");
    blob.extend_from_slice(&[8, 0]); // pointer size 8, little endian, not inline
    blob.extend_from_slice(&(addr + 32).to_le_bytes());
    blob.extend_from_slice(&(addr + 48).to_le_bytes());
    blob.extend_from_slice(&(addr + 64).to_le_bytes());
    blob.extend_from_slice(&(version.len() as u64).to_le_bytes());
    blob.extend_from_slice(&(addr + 64 + version.len() as u64).to_le_bytes());
    blob.extend_from_slice(&(modinfo.len() as u64).to_le_bytes());
    blob.extend_from_slice(version);
    blob.extend_from_slice(&modinfo);
    assert!(
        blob.len() <= size,
        "section too small for the rewrite: {} > {size}",
        blob.len()
    );
    elf[offset..offset + blob.len()].copy_from_slice(&blob);

    let inv = parse(LangFileKind::Binary, "bin/old", &elf);
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    let mut got: Vec<_> = inv
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("example.com/a", "1.0.0"),
            ("example.com/old", "0.9.0"),
            ("stdlib", "1.16.15")
        ]
    );

    // A pointer that leads nowhere is an issue, not a panic.
    elf[offset + 16..offset + 24].copy_from_slice(&u64::MAX.to_le_bytes());
    let inv = parse(LangFileKind::Binary, "bin/old", &elf);
    assert!(inv.packages.is_empty());
    assert_eq!(inv.issues.len(), 1, "{:?}", inv.issues);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Every fixture cut at many lengths: never a panic, and every issue names
/// the file it came from.
#[test]
fn truncation_at_many_offsets_never_panics() {
    let root = fixtures();
    let mut cases: Vec<(LangFileKind, String, Vec<u8>)> = Vec::new();
    for rel in walk(&root) {
        let full = root.join(&rel);
        if let Some(stem) = rel.strip_suffix(".gz") {
            cases.push((LangFileKind::Binary, stem.to_string(), gunzip(&full)));
        } else if let Some(kind) = classify(&rel, false) {
            cases.push((kind, rel.clone(), std::fs::read(&full).unwrap()));
        }
    }
    assert!(cases.len() >= 15, "fixtures missing: {}", cases.len());
    for (kind, rel, bytes) in &cases {
        let n = bytes.len();
        let mut cuts: Vec<usize> = (0..n.min(64)).collect();
        cuts.extend((1..100).map(|i| n * i / 100));
        cuts.extend(n.saturating_sub(64)..n);
        for cut in cuts {
            let inv = parse(*kind, rel, &bytes[..cut]);
            assert!(
                inv.issues.iter().all(|i| i.path.starts_with(rel.as_str())),
                "{rel} at {cut}: {:?}",
                inv.issues
            );
        }
    }
}

/// Callers hand sub-slices of larger buffers: the executable parsers must not
/// depend on the alignment of the bytes.
#[test]
fn binaries_at_unaligned_addresses() {
    for name in [
        "go/hello.gz",
        "go/hello.exe.gz",
        "go/hello-darwin.gz",
        "rust/tiny-audited.gz",
    ] {
        let bytes = gunzip(&fixtures().join(name));
        let aligned = parse(LangFileKind::Binary, "b", &bytes);
        for shift in 1..8 {
            let mut shifted = vec![0u8; shift];
            shifted.extend_from_slice(&bytes);
            assert_eq!(
                parse(LangFileKind::Binary, "b", &shifted[shift..]),
                aligned,
                "{name} +{shift}"
            );
        }
        assert!(!aligned.packages.is_empty(), "{name}");
    }
}

/// Bytes overwritten at pseudo-random places in every kind of fixture: no
/// panic, issues name the file.
#[test]
fn random_corruption_never_panics() {
    let root = fixtures();
    let cases: Vec<(LangFileKind, &str, Vec<u8>)> = vec![
        (
            LangFileKind::JavaArchive,
            "demo.jar",
            std::fs::read(root.join("java/demo-0.0.1-SNAPSHOT.jar")).unwrap(),
        ),
        (
            LangFileKind::JavaArchive,
            "shop.war",
            std::fs::read(root.join("java/shop.war")).unwrap(),
        ),
        (
            LangFileKind::Binary,
            "hello",
            gunzip(&root.join("go/hello.gz")),
        ),
        (
            LangFileKind::Binary,
            "hello.exe",
            gunzip(&root.join("go/hello.exe.gz")),
        ),
        (
            LangFileKind::Binary,
            "hello-darwin",
            gunzip(&root.join("go/hello-darwin.gz")),
        ),
        (
            LangFileKind::Binary,
            "tiny-audited",
            gunzip(&root.join("rust/tiny-audited.gz")),
        ),
        (
            LangFileKind::NodePackageJson,
            "node_modules/debug/package.json",
            std::fs::read(root.join("node/node_modules/debug/package.json")).unwrap(),
        ),
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (kind, name, bytes) in &cases {
        for _ in 0..60 {
            let mut damaged = bytes.clone();
            // Hit the headers often: that is where the parsers make decisions.
            let span = if next() % 2 == 0 {
                damaged.len().min(4096)
            } else {
                damaged.len()
            };
            for _ in 0..1 + next() % 8 {
                let at = (next() as usize) % span;
                damaged[at] = next() as u8;
            }
            let inv = parse(*kind, name, &damaged);
            assert!(
                inv.issues.iter().all(|i| i.path.starts_with(name)),
                "{name}: {:?}",
                inv.issues
            );
        }
    }
}

/// An unstripped binary (symbols and DWARF kept) built now with the local Go
/// toolchain; skipped when `go` is not installed.
#[test]
fn unstripped_go_binary_built_at_test_time() {
    let Ok(version) = std::process::Command::new("go")
        .args(["env", "GOVERSION"])
        .output()
    else {
        eprintln!("skipped: `go` is not installed");
        return;
    };
    let go_version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/unstripped\n\ngo 1.19\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.go"),
        "package main\n\nfunc main() { println(\"hi\") }\n",
    )
    .unwrap();
    let status = std::process::Command::new("go")
        .args(["build", "-o", "unstripped", "."])
        .current_dir(dir.path())
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=mod")
        .env("GOTOOLCHAIN", "local")
        .env("CGO_ENABLED", "0")
        .status()
        .unwrap();
    assert!(status.success(), "go build failed");
    let bytes = std::fs::read(dir.path().join("unstripped")).unwrap();
    let inv = parse(LangFileKind::Binary, "bin/unstripped", &bytes);
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    let names: Vec<_> = inv
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    let want = go_version
        .trim_start_matches("go")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(names[0].0, "stdlib");
    assert!(names[0].1.starts_with(&want), "{} vs {want}", names[0].1);
}
