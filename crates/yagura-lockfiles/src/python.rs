//! poetry.lock, Pipfile.lock, requirements.txt and uv.lock.

use crate::{json, line_no, toml_packages, Collector};

const ECO: &str = "PyPI";

pub(crate) fn poetry_lock(out: &mut Collector, text: &str) {
    let Some((pkgs, lines)) = toml_packages(out, text) else {
        return;
    };
    for p in &pkgs {
        let name = p.get("name").and_then(|v| v.as_str());
        let version = p.get("version").and_then(|v| v.as_str());
        let (Some(name), Some(version)) = (name, version) else {
            out.issue(None, "poetry.lock package without name or version");
            continue;
        };
        // Local directories, files and git checkouts are not index releases.
        let source_type = p
            .get("source")
            .and_then(|s| s.get("type"))
            .and_then(|t| t.as_str())
            .unwrap_or("");
        if matches!(source_type, "directory" | "file" | "git" | "url") {
            continue;
        }
        // Poetry < 1.2 wrote `category = "dev"`; newer files drop it.
        let dev = p.get("category").and_then(|c| c.as_str()) == Some("dev");
        let line = lines.get(&(name.to_string(), version.to_string())).copied();
        out.add(ECO, name, version, line, dev);
    }
}

pub(crate) fn uv_lock(out: &mut Collector, text: &str) {
    let Some((pkgs, lines)) = toml_packages(out, text) else {
        return;
    };
    for p in &pkgs {
        let name = p.get("name").and_then(|v| v.as_str());
        let version = p.get("version").and_then(|v| v.as_str());
        let Some(name) = name else {
            out.issue(None, "uv.lock package without name");
            continue;
        };
        // Only index downloads are releases; editable, virtual, path, git
        // and URL sources are the project itself or unversioned code.
        let from_registry = p.get("source").and_then(|s| s.get("registry")).is_some();
        let Some(version) = version.filter(|_| from_registry) else {
            continue;
        };
        let line = lines.get(&(name.to_string(), version.to_string())).copied();
        out.add(ECO, name, version, line, false);
    }
}

pub(crate) fn pipfile_lock(out: &mut Collector, text: &str) {
    let Some(doc) = json(out, text) else {
        return;
    };
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(map) = doc.get(section).and_then(|s| s.as_object()) else {
            continue;
        };
        for (name, entry) in map {
            // Git and editable entries carry no version pin.
            let Some(v) = entry.get("version").and_then(|v| v.as_str()) else {
                continue;
            };
            match v.strip_prefix("===").or_else(|| v.strip_prefix("==")) {
                Some(version) => out.add(ECO, name, version, None, dev),
                None => out.issue(
                    None,
                    format!("Pipfile.lock entry {name} has unpinned version {v:?}"),
                ),
            }
        }
    }
}

pub(crate) fn requirements(out: &mut Collector, text: &str) {
    let mut logical = String::new();
    let mut start = 0usize;
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, raw)) = lines.next() {
        if logical.is_empty() {
            start = i;
        }
        // A trailing backslash continues the requirement (usually hashes).
        if let Some(body) = raw.strip_suffix('\\') {
            logical.push_str(body);
            logical.push(' ');
            if lines.peek().is_some() {
                continue;
            }
        } else {
            logical.push_str(raw);
        }
        let entry = std::mem::take(&mut logical);
        requirement_line(out, &entry, line_no(start));
    }
}

fn requirement_line(out: &mut Collector, entry: &str, line: Option<u32>) {
    // Comments need a preceding space (or line start) per pip's rules.
    let without_comment = match entry.find(" #") {
        Some(i) => &entry[..i],
        None => entry,
    };
    let s = without_comment.trim();
    if s.is_empty() || s.starts_with('#') || s.starts_with('-') {
        return;
    }
    // Environment markers and options such as --hash follow the spec.
    let spec = s.split(';').next().unwrap_or("").trim();
    let spec = spec.split(" --").next().unwrap_or("").trim();
    let Some(pos) = spec.find("==") else {
        return;
    };
    let name_part = spec[..pos].trim();
    let (name, after_extras) = match name_part.split_once('[') {
        Some((n, rest)) => (n.trim(), rest.split_once(']').map_or("", |(_, a)| a)),
        None => (name_part, ""),
    };
    // `a>=1,==1.2` style combinations are ranges, not pins.
    let range_chars = ['<', '>', '!', '~', ','];
    if name.contains(range_chars) || after_extras.contains(range_chars) {
        return;
    }
    let rest = spec[pos..].trim_start_matches('=').trim();
    let version = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .next()
        .unwrap_or("");
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid_name {
        out.issue(line, format!("unreadable requirement {s:?}"));
        return;
    }
    if version.is_empty() {
        out.issue(line, format!("requirement {s:?} has an empty version"));
        return;
    }
    // `==1.*` is a range, not a pin.
    if version.contains('*') {
        return;
    }
    out.add(ECO, name, version, line, false);
}
