//! Python core metadata (`METADATA`, `PKG-INFO`): RFC 822 style headers.

use yagura_model::package::{FileInventory, Package, PackageSource};

use crate::license::{normalize, push_unique};

/// Longest `License:` value taken as a license name; longer ones are the
/// full license text, which says nothing a classifier doesn't.
const MAX_LICENSE_NAME: usize = 100;

/// Headers up to the first empty line, continuation lines joined with `\n`.
fn headers(text: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            out.push((key.trim(), value.trim().to_string()));
        }
    }
    out
}

pub(crate) fn parse_metadata(path: &str, bytes: &[u8]) -> FileInventory {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let headers = headers(text);
    let first = |key: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let (Some(name), Some(version)) = (first("Name"), first("Version")) else {
        return FileInventory::issue(
            path,
            None,
            "Python metadata without Name and Version headers",
        );
    };
    let mut pkg = Package::new("PyPI", name, version, PackageSource::PythonMetadata, path);
    pkg.licenses = licenses(&headers);
    FileInventory {
        packages: vec![pkg],
        issues: Vec::new(),
    }
}

/// `License-Expression` (PEP 639) wins; else a short `License` that maps to
/// SPDX; else the license classifiers; else the short `License` as a ref.
fn licenses(headers: &[(&str, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (_, v) in headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("License-Expression"))
    {
        push_unique(&mut out, normalize(v));
    }
    if !out.is_empty() {
        return out;
    }
    let short_license = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("License"))
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty() && !v.contains('\n') && v.len() <= MAX_LICENSE_NAME)
        .and_then(normalize);
    if let Some(l) = &short_license {
        if !l.starts_with("LicenseRef-") {
            return vec![l.clone()];
        }
    }
    for (_, v) in headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Classifier"))
    {
        let mut parts = v.split("::").map(str::trim);
        if parts.next() != Some("License") {
            continue;
        }
        // `License :: OSI Approved :: MIT License`: the last segment names it;
        // `License :: OSI Approved` alone names nothing.
        let rest: Vec<&str> = parts.collect();
        if rest.len() >= 2 || rest.first().is_some_and(|r| *r != "OSI Approved") {
            push_unique(&mut out, rest.last().and_then(|l| normalize(l)));
        }
    }
    if out.is_empty() {
        push_unique(&mut out, short_license);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_license_text_falls_back_to_classifiers() {
        let meta = "Metadata-Version: 2.1\nName: Foo\nVersion: 1.0\nLicense: Copyright (c) me\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: MIT License\n\nLicense: body not a header\n";
        let inv = parse_metadata("x/METADATA", meta.as_bytes());
        assert_eq!(inv.packages[0].licenses, vec!["MIT".to_string()]);
        assert_eq!(inv.packages[0].name, "Foo");
    }

    #[test]
    fn missing_version_is_an_issue() {
        let inv = parse_metadata("x/METADATA", b"Name: foo\n");
        assert!(inv.packages.is_empty());
        assert_eq!(inv.issues[0].path, "x/METADATA");
    }
}
