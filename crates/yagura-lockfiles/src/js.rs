//! package-lock.json, yarn.lock (v1 and berry) and pnpm-lock.yaml.

use std::collections::HashMap;

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use crate::{json, line_no, yaml, Collector};

const ECO: &str = "npm";

/// Versions that point at tarballs, git, files or links are not registry
/// releases and cannot be matched by version.
fn registry_version(v: &str) -> bool {
    !v.is_empty() && !v.contains(':') && !v.contains('/')
}

/// Splits `name@range` where the name may be scoped (`@scope/name@range`).
fn split_at_version(spec: &str) -> Option<(&str, &str)> {
    let (at, _) = spec.char_indices().skip(1).find(|&(_, c)| c == '@')?;
    Some((&spec[..at], &spec[at + 1..]))
}

pub(crate) fn npm_lock(out: &mut Collector, text: &str) {
    let Some(doc) = json(out, text) else {
        return;
    };
    if let Some(pkgs) = doc.get("packages").and_then(|p| p.as_object()) {
        // npm writes one key per line, so a line scan finds each entry.
        let mut lines: HashMap<&str, u32> = HashMap::new();
        for (i, l) in text.lines().enumerate() {
            let t = l.trim_start();
            if let (Some(rest), Some(n)) = (t.strip_prefix('"'), line_no(i)) {
                if let Some(end) = rest.find("\":") {
                    lines.entry(&rest[..end]).or_insert(n);
                }
            }
        }
        for (path, entry) in pkgs {
            // "" is the project itself; links are workspace symlinks.
            if path.is_empty() || entry.get("link").and_then(Json::as_bool) == Some(true) {
                continue;
            }
            let Some(version) = entry.get("version").and_then(Json::as_str) else {
                continue;
            };
            let from_path = match path.rfind("node_modules/") {
                Some(i) => &path[i + "node_modules/".len()..],
                // Workspace folders outside node_modules are local code.
                None => continue,
            };
            // Aliased installs record the real package name explicitly.
            let name = entry
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or(from_path);
            if registry_version(version) {
                let line = lines.get(path.as_str()).copied();
                out.add(ECO, name, version, line, is_dev(entry));
            }
        }
    } else if let Some(deps) = doc.get("dependencies").and_then(|d| d.as_object()) {
        npm_v1_tree(out, deps, 0);
    }
}

fn is_dev(entry: &Json) -> bool {
    entry.get("dev").and_then(Json::as_bool) == Some(true)
}

fn npm_v1_tree(out: &mut Collector, deps: &serde_json::Map<String, Json>, depth: usize) {
    // Real trees are shallow; the bound only protects against crafted input.
    if depth > 64 {
        out.issue(None, "dependency tree nested too deeply");
        return;
    }
    for (name, entry) in deps {
        if let Some(version) = entry.get("version").and_then(Json::as_str) {
            // Aliases are recorded as `npm:real-name@version`.
            if let Some((real, v)) = version.strip_prefix("npm:").and_then(split_at_version) {
                if registry_version(v) {
                    out.add(ECO, real, v, None, is_dev(entry));
                }
            } else if registry_version(version) {
                out.add(ECO, name, version, None, is_dev(entry));
            }
        }
        if let Some(nested) = entry.get("dependencies").and_then(|d| d.as_object()) {
            npm_v1_tree(out, nested, depth + 1);
        }
    }
}

pub(crate) fn yarn_lock(out: &mut Collector, text: &str) {
    // Berry writes a YAML file whose first entry is `__metadata`.
    if text.lines().any(|l| l.trim_end() == "__metadata:") {
        yarn_berry(out, text);
    } else {
        yarn_classic(out, text);
    }
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s)
}

fn yarn_classic(out: &mut Collector, text: &str) {
    // (header line, package name) of the block being read.
    let mut current: Option<(usize, Option<String>)> = None;
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        if !raw.starts_with(' ') {
            current = None;
            let Some(header) = raw.trim_end().strip_suffix(':') else {
                out.issue(line_no(i), format!("unexpected line {:?}", raw.trim()));
                continue;
            };
            let first = unquote(header.split(", ").next().unwrap_or(""));
            let Some((name, range)) = split_at_version(first) else {
                out.issue(line_no(i), format!("unreadable entry header {header:?}"));
                continue;
            };
            // `alias@npm:real@range` installs `real`.
            let (name, range) = match range.strip_prefix("npm:").and_then(split_at_version) {
                Some(real) => real,
                None => (name, range),
            };
            // file:, link:, git and tarball specs are not registry releases;
            // the block is still consumed so its fields are not misread.
            if range.contains(':') {
                current = Some((i, None));
            } else {
                current = Some((i, Some(name.to_string())));
            }
            continue;
        }
        // Only the block's own `version` field (two-space indent) counts.
        if raw.starts_with("  ") && !raw.starts_with("   ") {
            if let (Some((hl, Some(name))), Some(rest)) =
                (current.as_ref(), raw.trim().strip_prefix("version "))
            {
                let version = unquote(rest);
                if registry_version(version) {
                    out.add(ECO, name, version, line_no(*hl), false);
                }
            }
        }
    }
}

fn yarn_berry(out: &mut Collector, text: &str) {
    let Some(doc) = yaml(out, text) else {
        return;
    };
    let Some(map) = doc.as_mapping() else {
        out.issue(None, "yarn.lock is not a mapping");
        return;
    };
    // The YAML parser keeps no positions; find each resolution's line directly.
    let mut lines: HashMap<&str, u32> = HashMap::new();
    for (i, l) in text.lines().enumerate() {
        if let (Some(rest), Some(n)) = (l.trim().strip_prefix("resolution:"), line_no(i)) {
            lines.entry(unquote(rest)).or_insert(n);
        }
    }
    for (key, entry) in map {
        if key.as_str() == Some("__metadata") {
            continue;
        }
        let Some(resolution) = entry.get("resolution").and_then(Yaml::as_str) else {
            continue;
        };
        // Only `name@npm:version` is a registry release; workspace, patch,
        // link, portal, file and git resolutions are skipped.
        let Some(at) = resolution.find("@npm:") else {
            continue;
        };
        let name = &resolution[..at];
        let version = &resolution[at + "@npm:".len()..];
        if registry_version(version) {
            let line = lines.get(resolution).copied();
            out.add(ECO, name, version, line, false);
        }
    }
}

pub(crate) fn pnpm_lock(out: &mut Collector, text: &str) {
    let Some(doc) = yaml(out, text) else {
        return;
    };
    let lock_version = match doc.get("lockfileVersion") {
        Some(Yaml::String(s)) => s.parse::<f64>().ok(),
        Some(Yaml::Number(n)) => n.as_f64(),
        _ => None,
    }
    .unwrap_or(9.0);
    let Some(pkgs) = doc.get("packages").and_then(Yaml::as_mapping) else {
        return;
    };
    // Package keys sit at a two-space indent; `packages` precedes
    // `snapshots` in v9, so the first occurrence is the package entry.
    let mut lines: HashMap<&str, u32> = HashMap::new();
    for (i, l) in text.lines().enumerate() {
        if l.starts_with("  ") && !l.starts_with("   ") {
            if let (Some(k), Some(n)) = (l.trim().strip_suffix(':'), line_no(i)) {
                lines.entry(k.trim_matches(['\'', '"'])).or_insert(n);
            }
        }
    }
    for (key, entry) in pkgs {
        let Some(key) = key.as_str() else {
            continue;
        };
        let line = lines.get(key).copied();
        // Peer-dependency suffixes: `(react@18.2.0)` since v6, `_react@18` before.
        let key = key.split('(').next().unwrap_or(key);
        let key = key.strip_prefix('/').unwrap_or(key);
        let parsed = if lock_version < 6.0 {
            split_v5_key(key)
        } else {
            split_at_version(key)
        };
        let Some((name, version)) = parsed else {
            out.issue(None, format!("unreadable pnpm package key {key:?}"));
            continue;
        };
        // Tarball and git packages carry `resolution.tarball`/`repo` and
        // a non-registry version in the key.
        if !registry_version(version) {
            continue;
        }
        let dev = entry.get("dev").and_then(Yaml::as_bool) == Some(true);
        out.add(ECO, name, version, line, dev);
    }
}

/// `name/1.0.0_peer@x` or `@scope/name/1.0.0_peer@x` (pnpm lockfile v5).
fn split_v5_key(key: &str) -> Option<(&str, &str)> {
    let name_segments = if key.starts_with('@') { 2 } else { 1 };
    let mut cut = 0;
    for _ in 0..name_segments {
        cut += key.get(cut..)?.find('/')? + 1;
    }
    let name = &key[..cut - 1];
    let rest = &key[cut..];
    Some((name, rest.split('_').next().unwrap_or(rest)))
}
