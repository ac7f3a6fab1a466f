//! Cargo.lock (all versions share the `[[package]]` array layout).

use crate::{toml_packages, Collector};

pub(crate) fn cargo_lock(out: &mut Collector, text: &str) {
    let Some((pkgs, lines)) = toml_packages(out, text) else {
        return;
    };
    for p in &pkgs {
        let name = p.get("name").and_then(|v| v.as_str());
        let version = p.get("version").and_then(|v| v.as_str());
        let (Some(name), Some(version)) = (name, version) else {
            out.issue(None, "Cargo.lock package without name or version");
            continue;
        };
        // Workspace members have no source, git and path crates are not
        // crates.io releases; only registry packages can match advisories.
        let source = p.get("source").and_then(|v| v.as_str()).unwrap_or("");
        if !(source.starts_with("registry+") || source.starts_with("sparse+")) {
            continue;
        }
        let line = lines.get(&(name.to_string(), version.to_string())).copied();
        out.add("crates.io", name, version, line, false);
    }
}
