//! Parses language-ecosystem lockfiles into flat package lists.
//!
//! Pure parsing: no file system access, no network. Callers pick a [`Kind`]
//! with [`detect`] and hand the text to [`parse`]. Ecosystem names follow OSV
//! so the output can be matched against OSV advisories directly. Malformed
//! input never panics; it yields an [`Issue`] and whatever could be read.

use std::collections::HashMap;

mod go;
mod js;
mod maven;
mod misc;
mod python;
mod ruby;
mod rust;
#[cfg(test)]
mod tests;

/// One resolved package found in a lockfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// OSV ecosystem name, e.g. "crates.io", "npm", "PyPI".
    pub ecosystem: &'static str,
    pub name: String,
    pub version: String,
    /// Label of the lockfile this came from, as given to [`parse`].
    pub file: String,
    /// 1-based line, when the format makes it cheap to know.
    pub line: Option<u32>,
    /// True only when the lockfile marks the package as development-only.
    pub dev: bool,
}

/// A problem found while reading a lockfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

/// Result of parsing one lockfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub packages: Vec<Package>,
    pub issues: Vec<Issue>,
}

/// Supported lockfile formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    CargoLock,
    NpmLock,
    YarnLock,
    PnpmLock,
    PoetryLock,
    PipfileLock,
    Requirements,
    UvLock,
    GoMod,
    GemfileLock,
    ComposerLock,
    GradleLock,
    NugetLock,
    PomXml,
}

/// Picks the lockfile format from a file name (a path is accepted; only the
/// last component counts).
pub fn detect(file_name: &str) -> Option<Kind> {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    let kind = match base.as_str() {
        "cargo.lock" => Kind::CargoLock,
        "package-lock.json" | "npm-shrinkwrap.json" => Kind::NpmLock,
        "yarn.lock" => Kind::YarnLock,
        "pnpm-lock.yaml" => Kind::PnpmLock,
        "poetry.lock" => Kind::PoetryLock,
        "pipfile.lock" => Kind::PipfileLock,
        "uv.lock" => Kind::UvLock,
        "go.mod" => Kind::GoMod,
        "gemfile.lock" | "gems.locked" => Kind::GemfileLock,
        "composer.lock" => Kind::ComposerLock,
        "gradle.lockfile" => Kind::GradleLock,
        "packages.lock.json" => Kind::NugetLock,
        "pom.xml" => Kind::PomXml,
        b if b.starts_with("requirements") && b.ends_with(".txt") => Kind::Requirements,
        _ => return None,
    };
    Some(kind)
}

/// Parses `text` as a lockfile of the given kind. `file_label` is copied into
/// every package and issue.
pub fn parse(kind: Kind, file_label: &str, text: &str) -> Output {
    let mut out = Collector::new(file_label);
    // Windows tools (NuGet, Visual Studio) often write a UTF-8 byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match kind {
        Kind::CargoLock => rust::cargo_lock(&mut out, text),
        Kind::NpmLock => js::npm_lock(&mut out, text),
        Kind::YarnLock => js::yarn_lock(&mut out, text),
        Kind::PnpmLock => js::pnpm_lock(&mut out, text),
        Kind::PoetryLock => python::poetry_lock(&mut out, text),
        Kind::PipfileLock => python::pipfile_lock(&mut out, text),
        Kind::Requirements => python::requirements(&mut out, text),
        Kind::UvLock => python::uv_lock(&mut out, text),
        Kind::GoMod => go::go_mod(&mut out, text),
        Kind::GemfileLock => ruby::gemfile_lock(&mut out, text),
        Kind::ComposerLock => misc::composer_lock(&mut out, text),
        Kind::GradleLock => misc::gradle_lockfile(&mut out, text),
        Kind::NugetLock => misc::nuget_lock(&mut out, text),
        Kind::PomXml => maven::pom_xml(&mut out, text),
    }
    out.finish()
}

/// Accumulates packages, de-duplicating on (ecosystem, name, version).
pub(crate) struct Collector {
    file: String,
    packages: Vec<Package>,
    index: HashMap<(&'static str, String, String), usize>,
    issues: Vec<Issue>,
}

impl Collector {
    fn new(file: &str) -> Self {
        Collector {
            file: file.to_string(),
            packages: Vec::new(),
            index: HashMap::new(),
            issues: Vec::new(),
        }
    }

    pub(crate) fn add(
        &mut self,
        ecosystem: &'static str,
        name: &str,
        version: &str,
        line: Option<u32>,
        dev: bool,
    ) {
        let name = name.trim();
        let version = version.trim();
        if name.is_empty() || version.is_empty() {
            return;
        }
        let key = (ecosystem, name.to_string(), version.to_string());
        if let Some(&i) = self.index.get(&key) {
            // A package needed outside development anywhere is not dev-only.
            let p = &mut self.packages[i];
            p.dev = p.dev && dev;
            if p.line.is_none() {
                p.line = line;
            }
            return;
        }
        self.index.insert(key, self.packages.len());
        self.packages.push(Package {
            ecosystem,
            name: name.to_string(),
            version: version.to_string(),
            file: self.file.clone(),
            line,
            dev,
        });
    }

    pub(crate) fn issue(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.issues.push(Issue {
            file: self.file.clone(),
            line,
            message: message.into(),
        });
    }

    fn finish(self) -> Output {
        Output {
            packages: self.packages,
            issues: self.issues,
        }
    }
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let n = text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

pub(crate) fn line_no(index: usize) -> Option<u32> {
    u32::try_from(index + 1).ok()
}

/// Parses JSON, reporting a syntax error as an issue.
pub(crate) fn json(out: &mut Collector, text: &str) -> Option<serde_json::Value> {
    match serde_json::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            out.issue(
                u32::try_from(e.line()).ok().filter(|&l| l > 0),
                format!("invalid JSON: {e}"),
            );
            None
        }
    }
}

/// Parses YAML, reporting a syntax error as an issue.
pub(crate) fn yaml(out: &mut Collector, text: &str) -> Option<serde_yaml::Value> {
    match serde_yaml::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = e.location().and_then(|l| u32::try_from(l.line()).ok());
            out.issue(line, format!("invalid YAML: {e}"));
            None
        }
    }
}

/// Parses TOML, reporting a syntax error as an issue.
pub(crate) fn toml_table(out: &mut Collector, text: &str) -> Option<toml::Table> {
    match toml::from_str::<toml::Table>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            out.issue(line, format!("invalid TOML: {}", e.message()));
            None
        }
    }
}

/// Maps (name, version) of each `[[package]]` table to the line of its header,
/// by a plain line scan, since the TOML parser does not keep positions.
/// Line of each `[[package]]` entry, keyed by (name, version).
pub(crate) type PackageLines = HashMap<(String, String), u32>;

/// A TOML lockfile's `[[package]]` entries and their lines; `None` when the file
/// does not parse (the issue is recorded).
pub(crate) fn toml_packages(
    out: &mut Collector,
    text: &str,
) -> Option<(Vec<toml::Value>, PackageLines)> {
    let mut table = toml_table(out, text)?;
    let packages = match table.remove("package") {
        Some(toml::Value::Array(a)) => a,
        _ => Vec::new(),
    };
    Some((packages, toml_package_lines(text)))
}

pub(crate) fn toml_package_lines(text: &str) -> PackageLines {
    let mut map = HashMap::new();
    let mut current: Option<(usize, Option<String>, Option<String>)> = None;
    let mut flush = |c: &mut Option<(usize, Option<String>, Option<String>)>| {
        if let Some((line, Some(n), Some(v))) = c.take() {
            if let Some(l) = line_no(line) {
                map.entry((n, v)).or_insert(l);
            }
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            flush(&mut current);
            if l == "[[package]]" {
                current = Some((i, None, None));
            }
            continue;
        }
        if let Some((_, name, version)) = current.as_mut() {
            if let Some(v) = toml_string_value(l, "name") {
                name.get_or_insert(v);
            } else if let Some(v) = toml_string_value(l, "version") {
                version.get_or_insert(v);
            }
        }
    }
    flush(&mut current);
    map
}

fn toml_string_value(line: &str, key: &str) -> Option<String> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let inner = rest.strip_prefix('"')?;
    let end = inner.find('"')?;
    Some(inner[..end].to_string())
}
