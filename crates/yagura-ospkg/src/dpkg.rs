//! dpkg's status database (`var/lib/dpkg/status`, distroless `status.d/*`)
//! and Debian machine-readable copyright files, both in deb822 format.

use crate::license::normalise_license;
use yagura_model::package::{FileInventory, Package, PackageSource, SourcePackage};

/// One deb822 paragraph: fields in file order and the 1-based line it starts on.
pub(crate) struct Stanza {
    pub line: u32,
    pub fields: Vec<(String, String)>,
}

impl Stanza {
    /// Field names are case-insensitive in deb822.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits deb822 text into paragraphs. Continuation lines (leading space or
/// tab) are appended to the previous field with a newline.
pub(crate) fn stanzas(text: &str) -> Vec<Stanza> {
    let mut out = Vec::new();
    let mut current: Option<Stanza> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() {
            if let Some(stanza) = current.take() {
                out.push(stanza);
            }
            continue;
        }
        if raw.starts_with('#') {
            continue;
        }
        let stanza = current.get_or_insert_with(|| Stanza {
            line: line_no,
            fields: Vec::new(),
        });
        if raw.starts_with(' ') || raw.starts_with('\t') {
            if let Some((_, value)) = stanza.fields.last_mut() {
                value.push('\n');
                value.push_str(raw.trim());
            }
            continue;
        }
        if let Some((key, value)) = raw.split_once(':') {
            stanza
                .fields
                .push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    if let Some(stanza) = current.take() {
        out.push(stanza);
    }
    out
}

/// Whether the package's files are on disk. `config-files` and
/// `not-installed` leave nothing but configuration behind; every other state
/// (installed, unpacked, half-configured, half-installed, triggers-*) may
/// have vulnerable files present, so it is listed.
fn is_present(status: Option<&str>) -> bool {
    match status {
        // distroless status.d files sometimes omit Status; they only list
        // what was installed.
        None => true,
        Some(status) => {
            let state = status.split_whitespace().last().unwrap_or("");
            !matches!(state, "not-installed" | "config-files" | "")
        }
    }
}

/// `Source: name` or `Source: name (version)`.
fn source_field(value: &str, binary_version: &str) -> Option<SourcePackage> {
    let value = value.trim();
    let (name, version) = match value.split_once('(') {
        Some((name, rest)) => (name.trim(), rest.trim_end().trim_end_matches(')').trim()),
        None => (value, binary_version),
    };
    if name.is_empty() {
        return None;
    }
    let version = if version.is_empty() {
        binary_version
    } else {
        version
    };
    Some(SourcePackage {
        name: name.to_string(),
        version: version.to_string(),
    })
}

pub(crate) fn parse_status(path: &str, bytes: &[u8]) -> FileInventory {
    let mut inventory = FileInventory::default();
    let text = String::from_utf8_lossy(bytes);
    if text.contains('\u{fffd}') {
        inventory.issues.push(issue(
            path,
            None,
            "file is not valid UTF-8; invalid bytes were replaced",
        ));
    }
    for stanza in stanzas(&text) {
        let Some(name) = stanza.get("Package").filter(|n| !n.is_empty()) else {
            inventory.issues.push(issue(
                path,
                Some(format!("line {}", stanza.line)),
                "paragraph without a Package field",
            ));
            continue;
        };
        if !is_present(stanza.get("Status")) {
            continue;
        }
        let Some(version) = stanza.get("Version").filter(|v| !v.is_empty()) else {
            inventory.issues.push(issue(
                path,
                Some(name.to_string()),
                "package without a Version field",
            ));
            continue;
        };
        let mut package = Package::new("", name, version, PackageSource::Dpkg, path);
        package.line = Some(stanza.line);
        package.arch = stanza
            .get("Architecture")
            .filter(|a| !a.is_empty())
            .map(str::to_string);
        package.source_package = stanza
            .get("Source")
            .and_then(|s| source_field(s, version))
            .or_else(|| {
                Some(SourcePackage {
                    name: name.to_string(),
                    version: version.to_string(),
                })
            });
        inventory.packages.push(package);
    }
    inventory
}

fn issue(
    path: &str,
    entry: Option<String>,
    message: &str,
) -> yagura_model::package::InventoryIssue {
    yagura_model::package::InventoryIssue {
        path: path.to_string(),
        entry,
        message: message.to_string(),
    }
}

/// Licenses named by a DEP-5 (machine-readable) copyright file: the short
/// names on the first line of every `Files` paragraph's `License` field,
/// normalised to SPDX, deduplicated in file order. Free-form copyright files
/// carry no reliable license names, so they yield nothing.
pub fn parse_debian_copyright(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let paragraphs = stanzas(&text);
    let Some(header) = paragraphs.first() else {
        return Vec::new();
    };
    let is_dep5 = header
        .get("Format")
        .or_else(|| header.get("Format-Specification"))
        .is_some_and(|f| {
            f.contains("copyright-format") || f.contains("dep5") || f.contains("DEP-5")
        });
    if !is_dep5 {
        return Vec::new();
    }
    let mut licenses: Vec<String> = Vec::new();
    for paragraph in &paragraphs {
        if paragraph.get("Files").is_none() {
            continue;
        }
        let Some(license) = paragraph.get("License") else {
            continue;
        };
        let short_name = license.lines().next().unwrap_or("").trim();
        if let Some(spdx) = normalise_license(short_name) {
            if !licenses.contains(&spdx) {
                licenses.push(spdx);
            }
        }
    }
    licenses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_filters_and_sources() {
        let text = "Package: a\nStatus: install ok installed\nVersion: 1:2.0-1\nSource: asrc (2.0-0.1)\nArchitecture: amd64\nDescription: x\n y\n\n\
Package: b\nStatus: deinstall ok config-files\nVersion: 1\n\n\
Package: c\nStatus: hold ok installed\nVersion: 3\nSource: csrc\n\n\
Package: d\nStatus: purge ok not-installed\n\n\
Package: e\nStatus: install reinstreq half-installed\nVersion: 5\n";
        let inv = parse_status("var/lib/dpkg/status", text.as_bytes());
        let names: Vec<_> = inv.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "c", "e"]);
        let a = &inv.packages[0];
        assert_eq!(a.version, "1:2.0-1");
        assert_eq!(a.line, Some(1));
        assert_eq!(a.arch.as_deref(), Some("amd64"));
        assert_eq!(
            a.source_package,
            Some(SourcePackage {
                name: "asrc".into(),
                version: "2.0-0.1".into()
            })
        );
        assert_eq!(
            inv.packages[1].source_package,
            Some(SourcePackage {
                name: "csrc".into(),
                version: "3".into()
            })
        );
        assert_eq!(inv.packages[1].line, Some(13));
        assert_eq!(
            inv.packages[2]
                .source_package
                .as_ref()
                .map(|s| s.name.as_str()),
            Some("e")
        );
        assert!(inv.issues.is_empty());
    }

    #[test]
    fn copyright_dep5() {
        let text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n\
Files: *\nCopyright: x\nLicense: GPL-2+\n\n\
Files: lib/*\nLicense: LGPL-2.1+\n text\n\n\
Files: m/*\nLicense: Expat\n\n\
Files: n/*\nLicense: GPL-2+\n\n\
License: GPL-2+\n full text\n";
        assert_eq!(
            parse_debian_copyright(text.as_bytes()),
            ["GPL-2.0-or-later", "LGPL-2.1-or-later", "MIT"]
        );
        assert!(parse_debian_copyright(b"This is free software, GPL.\n").is_empty());
    }
}
