//! A package's own `package.json` inside `node_modules/`.

use serde_json::Value;
use yagura_model::package::{FileInventory, Package, PackageSource};

use crate::license::{normalize, push_unique};

pub(crate) fn parse_package_json(path: &str, bytes: &[u8]) -> FileInventory {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let doc: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return FileInventory::issue(path, None, format!("invalid package.json: {e}")),
    };
    let text = |key: &str| {
        doc.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let (Some(name), Some(version)) = (text("name"), text("version")) else {
        return FileInventory::issue(path, None, "package.json without name and version");
    };
    let mut pkg = Package::new("npm", name, version, PackageSource::NodeModules, path);
    pkg.licenses = licenses(&doc);
    FileInventory {
        packages: vec![pkg],
        issues: Vec::new(),
    }
}

/// `license` as a string (SPDX expression) or a legacy `{type}` object;
/// legacy `licenses` as an array of strings or `{type}` objects.
fn licenses(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let name_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("type").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    if let Some(l) = doc.get("license").and_then(name_of) {
        push_unique(&mut out, normalize(&l));
    }
    match doc.get("licenses") {
        Some(Value::Array(items)) => {
            for l in items.iter().filter_map(name_of) {
                push_unique(&mut out, normalize(&l));
            }
        }
        Some(v) => {
            if let Some(l) = name_of(v) {
                push_unique(&mut out, normalize(&l));
            }
        }
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_license_forms() {
        let json = br#"{"name":"old","version":"0.1.0","licenses":[{"type":"MIT","url":"x"},"Apache 2.0"]}"#;
        let inv = parse_package_json("node_modules/old/package.json", json);
        assert_eq!(inv.packages[0].licenses, vec!["MIT", "Apache-2.0"]);
        let json = br#"{"name":"obj","version":"1.0.0","license":{"type":"ISC"}}"#;
        assert_eq!(
            parse_package_json("p", json).packages[0].licenses,
            vec!["ISC"]
        );
    }

    #[test]
    fn malformed_json_is_an_issue() {
        let inv = parse_package_json("node_modules/x/package.json", b"{\"name\": ");
        assert!(inv.packages.is_empty());
        assert_eq!(inv.issues[0].path, "node_modules/x/package.json");
        let inv = parse_package_json("node_modules/x/package.json", b"[1,2]");
        assert_eq!(inv.issues.len(), 1);
    }
}
