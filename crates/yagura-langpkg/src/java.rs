//! Java archives: `META-INF/maven/**/pom.properties`, the manifest, the file
//! name, and archives nested inside (Spring Boot `BOOT-INF/lib`, WAR
//! `WEB-INF/lib`, any `*.jar` member), read recursively within limits.
//!
//! Without `pom.properties` the Maven group is only known when the manifest
//! has `Implementation-Vendor-Id`. Otherwise the package is named by its
//! artifact alone (no `group:` prefix): it is listed, but since every OSV
//! Maven name is `group:artifact` it can never match an advisory by a
//! guessed group.

use std::io::{Cursor, Read};

use yagura_model::package::{FileInventory, InventoryIssue, Package, PackageSource};

use crate::license::{normalize, push_unique};
use crate::{split_name_version, JAVA_EXTENSIONS};

/// How many archives deep nested archives are opened (the file itself is 0).
const MAX_NESTING_DEPTH: usize = 3;
/// Total inflated bytes of nested archives read for one outer file, against
/// zip bombs and runaway memory.
const MAX_NESTED_BYTES: u64 = 512 << 20;
/// A manifest or `pom.properties` larger than this is not metadata.
const MAX_METADATA_BYTES: u64 = 1 << 20;

pub(crate) fn parse_archive(path: &str, bytes: &[u8]) -> FileInventory {
    let mut reader = ArchiveReader {
        inv: FileInventory::default(),
        nested_budget: MAX_NESTED_BYTES,
    };
    reader.read(path, bytes, 0);
    reader.inv
}

struct ArchiveReader {
    inv: FileInventory,
    nested_budget: u64,
}

/// One `pom.properties`.
#[derive(PartialEq)]
struct MavenCoordinates {
    group: String,
    artifact: String,
    version: String,
}

impl ArchiveReader {
    fn issue(&mut self, path: &str, entry: Option<&str>, message: String) {
        self.inv.issues.push(InventoryIssue {
            path: path.to_string(),
            entry: entry.map(str::to_string),
            message,
        });
    }

    /// Reads one archive; `label` is its path, with `!/member` for nested ones.
    fn read(&mut self, label: &str, bytes: &[u8], depth: usize) {
        let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(z) => z,
            Err(e) => return self.issue(label, None, format!("unreadable Java archive: {e}")),
        };
        let mut manifest = None;
        let mut poms: Vec<MavenCoordinates> = Vec::new();
        let mut nested: Vec<usize> = Vec::new();
        let mut damaged = false;
        for index in 0..zip.len() {
            let entry = match zip.by_index(index) {
                Ok(e) => e,
                Err(e) => {
                    // Later entries of a damaged archive fail the same way;
                    // one issue says enough.
                    self.issue(
                        label,
                        Some(&format!("entry #{index}")),
                        format!("unreadable entry: {e}"),
                    );
                    damaged = true;
                    break;
                }
            };
            if entry.is_dir() {
                continue;
            }
            let name = entry.name().to_string();
            let is_manifest = name.eq_ignore_ascii_case("META-INF/MANIFEST.MF");
            let is_pom = name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties");
            if is_manifest || is_pom {
                let text = match read_limited(entry, MAX_METADATA_BYTES) {
                    Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                    Err(message) => {
                        self.issue(label, Some(&name), message);
                        continue;
                    }
                };
                if is_manifest {
                    manifest = Some(manifest_main_section(&text));
                } else {
                    match pom_properties(&text) {
                        Some(c) if !poms.contains(&c) => poms.push(c),
                        Some(_) => {}
                        None => self.issue(
                            label,
                            Some(&name),
                            "pom.properties without groupId, artifactId and version".into(),
                        ),
                    }
                }
            } else if has_java_extension(&name) {
                nested.push(index);
            }
        }
        self.add_packages(label, manifest.unwrap_or_default(), poms, damaged);

        for index in nested {
            let Ok(entry) = zip.by_index(index) else {
                continue;
            };
            let name = entry.name().to_string();
            if depth >= MAX_NESTING_DEPTH {
                self.issue(
                    label,
                    Some(&name),
                    format!("nested more than {MAX_NESTING_DEPTH} archives deep; not read"),
                );
                continue;
            }
            if entry.size() > self.nested_budget {
                self.issue(
                    label,
                    Some(&name),
                    "nested archives exceed the size limit; not read".into(),
                );
                continue;
            }
            let data = match read_limited(entry, self.nested_budget) {
                Ok(d) => d,
                Err(message) => {
                    self.issue(label, Some(&name), message);
                    continue;
                }
            };
            self.nested_budget = self.nested_budget.saturating_sub(data.len() as u64);
            self.read(&format!("{label}!/{name}"), &data, depth + 1);
        }
    }

    /// One package per `pom.properties`, else one from the manifest and the
    /// file name. `damaged` archives already have an issue, so a missing
    /// identity is not reported again.
    fn add_packages(
        &mut self,
        label: &str,
        manifest: Vec<(String, String)>,
        poms: Vec<MavenCoordinates>,
        damaged: bool,
    ) {
        let get = |key: &str| {
            manifest
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let mut licenses = Vec::new();
        if let Some(declared) = get("Bundle-License") {
            for l in bundle_licenses(declared) {
                push_unique(&mut licenses, normalize(&l));
            }
        }
        let file_name = label.rsplit(['/', '!']).next().unwrap_or(label);
        let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
        let from_file = split_name_version(stem);

        if !poms.is_empty() {
            // Licenses in the manifest describe the archive itself: the only
            // pom, or the one the file is named after.
            let own = if poms.len() == 1 {
                Some(0)
            } else {
                let artifact = from_file.map_or(stem, |(n, _)| n);
                poms.iter().position(|p| p.artifact == artifact)
            };
            for (i, pom) in poms.into_iter().enumerate() {
                let name = format!("{}:{}", pom.group, pom.artifact);
                let mut pkg = Package::new(
                    "Maven",
                    name,
                    pom.version,
                    PackageSource::JavaArchive,
                    label,
                );
                if own == Some(i) {
                    pkg.licenses = licenses.clone();
                }
                self.inv.packages.push(pkg);
            }
            return;
        }

        let symbolic_name =
            get("Bundle-SymbolicName").map(|s| s.split(';').next().unwrap_or(s).trim());
        let title = get("Implementation-Title").filter(|t| !t.contains(char::is_whitespace));
        let artifact = match from_file {
            Some((n, _)) => n,
            None => title.or(symbolic_name).unwrap_or(stem),
        };
        let version = get("Implementation-Version")
            .or_else(|| get("Bundle-Version"))
            .or(from_file.map(|(_, v)| v));
        let Some(version) = version else {
            if damaged {
                return;
            }
            return self.issue(
                label,
                None,
                "Java archive without pom.properties, manifest version or versioned file name"
                    .into(),
            );
        };
        let name = match get("Implementation-Vendor-Id") {
            Some(group) => format!("{group}:{artifact}"),
            None => artifact.to_string(),
        };
        let mut pkg = Package::new("Maven", name, version, PackageSource::JavaArchive, label);
        pkg.licenses = licenses;
        self.inv.packages.push(pkg);
    }
}

fn has_java_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| JAVA_EXTENSIONS.iter().any(|j| j.eq_ignore_ascii_case(ext)))
}

/// Reads an entry, failing rather than growing past `limit` bytes.
fn read_limited(entry: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    entry
        .take(limit.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| format!("cannot inflate entry: {e}"))?;
    if data.len() as u64 > limit {
        return Err(format!("entry larger than {limit} bytes; not read"));
    }
    Ok(data)
}

/// The manifest's main section (up to the first blank line), continuation
/// lines (starting with one space) joined.
fn manifest_main_section(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.is_empty() {
            break;
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some((_, v)) = out.last_mut() {
                v.push_str(cont);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn pom_properties(text: &str) -> Option<MavenCoordinates> {
    let (mut group, mut artifact, mut version) = (None, None, None);
    for line in text.lines().map(str::trim) {
        if line.starts_with(['#', '!']) {
            continue;
        }
        let Some((k, v)) = line.split_once(['=', ':']) else {
            continue;
        };
        let v = v.trim().to_string();
        match k.trim() {
            "groupId" => group = Some(v),
            "artifactId" => artifact = Some(v),
            "version" => version = Some(v),
            _ => {}
        }
    }
    let nonempty = |s: Option<String>| s.filter(|s| !s.is_empty());
    Some(MavenCoordinates {
        group: nonempty(group)?,
        artifact: nonempty(artifact)?,
        version: nonempty(version)?,
    })
}

/// `Bundle-License` is a comma-separated list of names or URLs, each with
/// optional `;attribute=…` parts.
fn bundle_licenses(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|l| {
            l.split(';')
                .next()
                .unwrap_or(l)
                .trim()
                .trim_matches('"')
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_continuations() {
        let m = manifest_main_section("Manifest-Version: 1.0\r\nBundle-License: https://www.apache.org/licen\r\n ses/LICENSE-2.0.txt\r\n\r\nName: x\r\nFoo: bar\r\n");
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].1, "https://www.apache.org/licenses/LICENSE-2.0.txt");
    }

    #[test]
    fn not_a_zip_is_an_issue() {
        let inv = parse_archive("lib/x.jar", b"PK\x03\x04garbage");
        assert!(inv.packages.is_empty());
        assert_eq!(inv.issues[0].path, "lib/x.jar");
    }
}
