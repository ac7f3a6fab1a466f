//! composer.lock, gradle.lockfile and NuGet packages.lock.json.

use serde_json::Value as Json;

use crate::{json, line_no, Collector};

pub(crate) fn composer_lock(out: &mut Collector, text: &str) {
    let Some(doc) = json(out, text) else {
        return;
    };
    for (section, dev) in [("packages", false), ("packages-dev", true)] {
        let Some(list) = doc.get(section).and_then(Json::as_array) else {
            continue;
        };
        for p in list {
            let name = p.get("name").and_then(Json::as_str);
            let version = p.get("version").and_then(Json::as_str);
            let (Some(name), Some(version)) = (name, version) else {
                out.issue(None, format!("{section} entry without name or version"));
                continue;
            };
            // Branch checkouts (`dev-main`, `1.x-dev`) are not releases.
            if version.starts_with("dev-") || version.ends_with("-dev") {
                continue;
            }
            let version = match version.strip_prefix('v') {
                Some(v) if v.starts_with(|c: char| c.is_ascii_digit()) => v,
                _ => version,
            };
            out.add("Packagist", name, version, None, dev);
        }
    }
}

pub(crate) fn gradle_lockfile(out: &mut Collector, text: &str) {
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with("empty=") {
            continue;
        }
        let (coords, configs) = l.split_once('=').unwrap_or((l, ""));
        let parts: Vec<&str> = coords.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            out.issue(line_no(i), format!("unreadable gradle lock entry {l:?}"));
            continue;
        };
        // Dev only when every configuration using it is a test one.
        let dev = !configs.is_empty()
            && configs
                .split(',')
                .all(|c| c.trim().to_ascii_lowercase().contains("test"));
        out.add(
            "Maven",
            &format!("{group}:{artifact}"),
            version,
            line_no(i),
            dev,
        );
    }
}

pub(crate) fn nuget_lock(out: &mut Collector, text: &str) {
    let Some(doc) = json(out, text) else {
        return;
    };
    let Some(frameworks) = doc.get("dependencies").and_then(Json::as_object) else {
        out.issue(None, "packages.lock.json has no dependencies object");
        return;
    };
    for deps in frameworks.values() {
        let Some(deps) = deps.as_object() else {
            continue;
        };
        for (name, entry) in deps {
            // Project references are other projects in the same solution.
            if entry.get("type").and_then(Json::as_str) == Some("Project") {
                continue;
            }
            if let Some(version) = entry.get("resolved").and_then(Json::as_str) {
                out.add("NuGet", name, version, None, false);
            }
        }
    }
}
