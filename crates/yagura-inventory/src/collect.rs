//! Dispatch from a file to the package reader that understands it, and the
//! assembly of per-file results into one inventory.

use std::collections::BTreeMap;

use yagura_langpkg::LangFileKind;
use yagura_model::package::{Distro, FileInventory, InventoryIssue, Package};
use yagura_ospkg::OsFileKind;

use crate::Inventory;

/// Which reader a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Os(OsFileKind),
    Lockfile(yagura_lockfiles::Kind),
    Lang(LangFileKind),
}

/// The reader for a path (relative to the target root, `/`-separated), if
/// any. `executable` lets binaries (Go, cargo-auditable) through.
pub fn classify(path: &str, executable: bool) -> Option<FileKind> {
    if let Some(k) = yagura_ospkg::classify(path) {
        return Some(FileKind::Os(k));
    }
    let in_node_modules = path.split('/').any(|c| c == "node_modules");
    if !in_node_modules {
        if let Some(k) = yagura_lockfiles::detect(path) {
            return Some(FileKind::Lockfile(k));
        }
    }
    yagura_langpkg::classify(path, executable).map(FileKind::Lang)
}

/// What one file yielded.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub packages: Vec<Package>,
    pub issues: Vec<InventoryIssue>,
    pub distro: Option<Distro>,
    /// Licenses from `usr/share/doc/<package>/copyright`.
    pub copyright: Option<(String, Vec<String>)>,
}

/// Runs package readers over files and assembles their results.
#[derive(Debug, Default)]
pub struct Collector {
    pub files_read: usize,
}

impl Collector {
    pub fn analyze(&mut self, kind: FileKind, path: &str, bytes: &[u8]) -> Analysis {
        self.files_read += 1;
        let mut out = Analysis::default();
        match kind {
            FileKind::Os(OsFileKind::OsRelease) => {
                match yagura_ospkg::parse_os_release(path, bytes) {
                    Ok(d) => out.distro = Some(d),
                    Err(e) => out.issues.push(issue(path, e.to_string())),
                }
            }
            FileKind::Os(OsFileKind::DebianCopyright) => {
                let name = path
                    .strip_prefix("usr/share/doc/")
                    .and_then(|rest| rest.split('/').next())
                    .unwrap_or("")
                    .to_string();
                let licenses = yagura_ospkg::parse_debian_copyright(bytes);
                if !name.is_empty() && !licenses.is_empty() {
                    out.copyright = Some((name, licenses));
                }
            }
            FileKind::Os(k) => take(&mut out, yagura_ospkg::parse(k, path, bytes)),
            FileKind::Lang(k) => take(&mut out, yagura_langpkg::parse(k, path, bytes)),
            FileKind::Lockfile(k) => match std::str::from_utf8(bytes) {
                Ok(text) => {
                    let parsed = yagura_lockfiles::parse(k, path, text);
                    for p in parsed.packages {
                        let mut pkg = Package::new(
                            p.ecosystem,
                            p.name,
                            p.version,
                            yagura_model::package::PackageSource::Lockfile,
                            path,
                        );
                        pkg.line = p.line;
                        pkg.dev = p.dev;
                        out.packages.push(pkg);
                    }
                    for i in parsed.issues {
                        out.issues.push(InventoryIssue {
                            path: path.to_string(),
                            entry: i.line.map(|l| format!("line {l}")),
                            message: i.message,
                        });
                    }
                }
                Err(e) => out.issues.push(issue(
                    path,
                    format!("not UTF-8 text at byte {}", e.valid_up_to()),
                )),
            },
        }
        out
    }

    /// Merges per-file results (already reduced to what the final view of
    /// the target shows) into `inv`: picks the distribution, gives OS
    /// packages its ecosystem, and adds Debian copyright licenses.
    pub fn finish(&self, inv: &mut Inventory, files: Vec<(String, Analysis)>) {
        let mut distros: Vec<(String, Distro)> = Vec::new();
        let mut copyrights: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut packages = Vec::new();
        for (path, a) in files {
            for i in a.issues {
                if is_limitation(&i) {
                    inv.notes.push(i.to_string());
                } else {
                    inv.issues.push(i);
                }
            }
            if let Some(d) = a.distro {
                distros.push((path.clone(), d));
            }
            if let Some((name, lic)) = a.copyright {
                copyrights.insert(name, lic);
            }
            packages.extend(a.packages);
        }
        // etc/os-release overrides usr/lib/os-release, as systemd reads them.
        distros.sort_by_key(|(p, _)| if p.ends_with("etc/os-release") { 0 } else { 1 });
        let distro = distros.into_iter().next().map(|(_, d)| d);
        let eco = distro.as_ref().and_then(|d| d.osv_ecosystem.clone());
        let mut unmatched_os = 0usize;
        for p in &mut packages {
            if p.found_by.is_os() {
                match &eco {
                    Some(e) => p.ecosystem = e.clone(),
                    None => unmatched_os += 1,
                }
                if p.licenses.is_empty() {
                    if let Some(l) = copyrights.get(&p.name) {
                        p.licenses = l.clone();
                    }
                }
            }
        }
        if unmatched_os > 0 {
            let why = match &distro {
                Some(d) => format!(
                    "the distribution {:?} {} has no OSV advisories",
                    d.id, d.version_id
                ),
                None => "no os-release file says which distribution they belong to".into(),
            };
            inv.notes.push(format!(
                "{}: {unmatched_os} OS packages are listed but cannot be checked for vulnerabilities: {why}",
                inv.target
            ));
        }
        packages
            .sort_by(|a, b| (&a.path, &a.name, &a.version).cmp(&(&b.path, &b.name, &b.version)));
        inv.distro = distro;
        inv.packages = packages;
        inv.files_read = self.files_read;
    }
}

/// Issues that say a file holds nothing identifiable, rather than that it is
/// broken: listed as not assessed, not as errors that make the scan partial.
fn is_limitation(i: &InventoryIssue) -> bool {
    i.message.starts_with("Java archive without")
}

fn take(out: &mut Analysis, fi: FileInventory) {
    out.packages.extend(fi.packages);
    out.issues.extend(fi.issues);
}

fn issue(path: &str, message: String) -> InventoryIssue {
    InventoryIssue {
        path: path.to_string(),
        entry: None,
        message,
    }
}
