//! go.mod: `require` lines and blocks, with `replace` directives applied.

use std::collections::HashMap;

use crate::{line_no, Collector};

/// A module requirement as written.
struct Req {
    path: String,
    version: String,
    line: Option<u32>,
}

/// Where a replaced module points; `None` means a local directory.
type Target = Option<(String, String)>;

pub(crate) fn go_mod(out: &mut Collector, text: &str) {
    let mut reqs = Vec::new();
    // Keyed by (path, Some(version)) for versioned replaces, (path, None) for all versions.
    let mut replaces: HashMap<(String, Option<String>), Target> = HashMap::new();
    let mut block: Option<&str> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = line_no(i);
        let code = raw.split("//").next().unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        let body = if let Some(verb) = block {
            if code == ")" {
                block = None;
                continue;
            }
            (verb, code)
        } else {
            let (verb, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
            let rest = rest.trim();
            if rest == "(" {
                block = Some(verb);
                continue;
            }
            (verb, rest)
        };
        match body {
            ("require", spec) => {
                let parts: Vec<&str> = spec.split_whitespace().collect();
                match parts.as_slice() {
                    [path, version] => reqs.push(Req {
                        path: unquote(path).to_string(),
                        version: version.to_string(),
                        line,
                    }),
                    _ => out.issue(line, format!("unreadable require {spec:?}")),
                }
            }
            ("replace", spec) => match parse_replace(spec) {
                Some((from, to)) => {
                    replaces.insert(from, to);
                }
                None => out.issue(line, format!("unreadable replace {spec:?}")),
            },
            _ => {}
        }
    }
    if block.is_some() {
        out.issue(None, "unterminated block in go.mod");
    }
    for r in reqs {
        let target = replaces
            .get(&(r.path.clone(), Some(r.version.clone())))
            .or_else(|| replaces.get(&(r.path.clone(), None)));
        let (path, version) = match target {
            Some(Some((p, v))) => (p.clone(), v.clone()),
            // Replaced by a local directory: not a published module.
            Some(None) => continue,
            None => (r.path, r.version),
        };
        out.add("Go", &path, osv_version(&version), r.line, false);
    }
}

/// OSV's Go ecosystem writes versions without the leading `v`.
fn osv_version(v: &str) -> &str {
    v.strip_prefix('v').unwrap_or(v)
}

fn unquote(s: &str) -> &str {
    s.trim_matches('"')
}

fn parse_replace(spec: &str) -> Option<((String, Option<String>), Target)> {
    let (lhs, rhs) = spec.split_once("=>")?;
    let lhs: Vec<&str> = lhs.split_whitespace().collect();
    let rhs: Vec<&str> = rhs.split_whitespace().collect();
    let from = match lhs.as_slice() {
        [p] => (unquote(p).to_string(), None),
        [p, v] => (unquote(p).to_string(), Some(v.to_string())),
        _ => return None,
    };
    let to = match rhs.as_slice() {
        // A target without a version can only be a directory (Go rejects a
        // bare module path there), whatever the platform's path syntax.
        [_] => None,
        [p, v] => Some((unquote(p).to_string(), v.to_string())),
        _ => return None,
    };
    Some((from, to))
}
