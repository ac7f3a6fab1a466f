//! Loading OSV records from export zips and from folders of JSON/YAML files.
//! Bad records become [`LoadIssue`]s; the rest still load.

use std::fmt;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::schema::Osv;

/// Records larger than this are skipped: real advisories are a few KiB, and
/// the cap bounds memory on hostile or corrupt input.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// A record (or container) that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadIssue {
    /// The zip file or record file.
    pub path: PathBuf,
    /// The entry inside a zip, when the issue concerns one.
    pub entry: Option<String>,
    /// What went wrong, including the parser's message.
    pub message: String,
}

impl fmt::Display for LoadIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "{}!{}: {}", self.path.display(), e, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Parses one OSV record from JSON.
pub fn parse_json(bytes: &[u8]) -> Result<Osv, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Parses one OSV record from YAML.
pub fn parse_yaml(bytes: &[u8]) -> Result<Osv, serde_yaml::Error> {
    serde_yaml::from_slice(bytes)
}

/// Loads every `.json` entry of an OSV export zip (one record per entry).
pub fn load_zip(path: impl AsRef<Path>) -> (Vec<Osv>, Vec<LoadIssue>) {
    let path = path.as_ref();
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let issue = |entry: Option<String>, message: String| LoadIssue {
        path: path.to_path_buf(),
        entry,
        message,
    };
    let mut archive = match File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| zip::ZipArchive::new(f).map_err(|e| e.to_string()))
    {
        Ok(a) => a,
        Err(e) => {
            issues.push(issue(None, format!("cannot open zip: {e}")));
            return (records, issues);
        }
    };
    for i in 0..archive.len() {
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                issues.push(issue(
                    Some(format!("#{i}")),
                    format!("cannot read entry: {e}"),
                ));
                continue;
            }
        };
        let name = file.name().to_string();
        if file.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        if file.size() > MAX_RECORD_BYTES {
            issues.push(issue(Some(name), too_big(file.size())));
            continue;
        }
        // The header size can lie; cap the actual read as well.
        let mut buf = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
        if let Err(e) = (&mut file).take(MAX_RECORD_BYTES + 1).read_to_end(&mut buf) {
            issues.push(issue(Some(name), format!("cannot read entry: {e}")));
            continue;
        }
        if buf.len() as u64 > MAX_RECORD_BYTES {
            issues.push(issue(Some(name), too_big(buf.len() as u64)));
            continue;
        }
        match parse_json(&buf) {
            Ok(r) => records.push(r),
            Err(e) => issues.push(issue(Some(name), format!("invalid OSV JSON: {e}"))),
        }
    }
    (records, issues)
}

/// Loads every `.json`, `.yaml` and `.yml` file below `path`, recursively,
/// in path order. Symlinked directories are not followed, to avoid loops.
pub fn load_dir(path: impl AsRef<Path>) -> (Vec<Osv>, Vec<LoadIssue>) {
    let mut records = Vec::new();
    let mut issues = Vec::new();
    walk(path.as_ref(), &mut records, &mut issues);
    (records, issues)
}

fn walk(dir: &Path, records: &mut Vec<Osv>, issues: &mut Vec<LoadIssue>) {
    let mut entries: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            issues.push(LoadIssue {
                path: dir.to_path_buf(),
                entry: None,
                message: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    entries.sort();
    for p in entries {
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(&p, records, issues);
            continue;
        }
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let yaml = match ext.as_deref() {
            Some("json") => false,
            Some("yaml" | "yml") => true,
            _ => continue,
        };
        if let Err(message) = load_file(&p, yaml).map(|r| records.push(r)) {
            issues.push(LoadIssue {
                path: p,
                entry: None,
                message,
            });
        }
    }
}

fn load_file(path: &Path, yaml: bool) -> Result<Osv, String> {
    // Follows a symlinked file on purpose: only directories risk loops.
    let len = fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if len > MAX_RECORD_BYTES {
        return Err(too_big(len));
    }
    let mut buf = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_RECORD_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > MAX_RECORD_BYTES {
        return Err(too_big(buf.len() as u64));
    }
    if yaml {
        parse_yaml(&buf).map_err(|e| format!("invalid OSV YAML: {e}"))
    } else {
        parse_json(&buf).map_err(|e| format!("invalid OSV JSON: {e}"))
    }
}

fn too_big(size: u64) -> String {
    format!("skipped: {size} bytes exceeds the {MAX_RECORD_BYTES}-byte record limit")
}
