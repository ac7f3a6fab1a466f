//! Folder, root file system and host walks.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use yagura_model::package::InventoryIssue;

use crate::collect::{classify, Analysis, Collector};
use crate::{Inventory, Options};

/// Deeper than any real tree; stops symlinked loops that slipped through.
const MAX_DEPTH: usize = 64;
/// Files larger than this are listed as not read rather than loaded.
const MAX_FILE: u64 = 512 << 20;
/// Folders that never hold installed packages and are expensive to walk.
const SKIP_ALWAYS: &[&str] = &[".git", ".hg", ".svn"];
/// Package-manager download caches under home folders: sources of packages
/// that may be built from, not software that is installed or deployed.
const SKIP_HOST_CACHES: &[&str] = &[
    ".cargo/registry",
    ".cargo/git",
    ".rustup",
    ".npm",
    ".cache",
    "go/pkg/mod",
    ".m2/repository",
    ".gradle/caches",
    ".yarn/cache",
    ".local/share/pnpm",
];
/// Pseudo and volatile file systems of a running host.
const SKIP_HOST: &[&str] = &[
    "proc",
    "sys",
    "dev",
    "run",
    "tmp",
    "var/tmp",
    "var/cache",
    "var/log",
    "lost+found",
    "mnt",
    "media",
    "snap",
];

pub fn dir(root: &Path, label: &str, opts: &Options, host: bool) -> Inventory {
    let mut collector = Collector::default();
    let mut files = Vec::new();
    let mut inv = Inventory {
        target: label.to_string(),
        ..Default::default()
    };
    let mut ctx = Walk {
        root,
        opts,
        host,
        collector: &mut collector,
        files: &mut files,
        issues: &mut inv.issues,
        notes: &mut inv.notes,
    };
    ctx.walk(root, "", 0);
    collector.finish(&mut inv, files);
    inv
}

pub fn single_file(path: &Path) -> Inventory {
    let mut collector = Collector::default();
    let label = path.display().to_string();
    let mut inv = Inventory {
        target: label.clone(),
        ..Default::default()
    };
    let executable = std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A named file is tried by its name, then as a binary.
    let kind = classify(&label, executable).or_else(|| classify(&name, true));
    let mut files = Vec::new();
    match (kind, std::fs::read(path)) {
        (Some(kind), Ok(bytes)) => {
            files.push((label.clone(), collector.analyze(kind, &label, &bytes)))
        }
        (None, _) => inv.issues.push(InventoryIssue {
            path: label.clone(),
            entry: None,
            message:
                "not a lockfile, package metadata file, binary, image or SBOM that yagura can read"
                    .into(),
        }),
        (_, Err(e)) => inv.issues.push(InventoryIssue {
            path: label.clone(),
            entry: None,
            message: format!("cannot read: {e}"),
        }),
    }
    collector.finish(&mut inv, files);
    inv
}

struct Walk<'a> {
    root: &'a Path,
    opts: &'a Options,
    host: bool,
    collector: &'a mut Collector,
    files: &'a mut Vec<(String, Analysis)>,
    issues: &'a mut Vec<InventoryIssue>,
    notes: &'a mut Vec<String>,
}

impl Walk<'_> {
    fn walk(&mut self, dir: &Path, rel: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.issue(rel, format!("not scanned: deeper than {MAX_DEPTH} folders"));
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.issue(rel, format!("cannot list: {e}"));
                return;
            }
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if self.opts.exclude.as_ref().is_some_and(|ex| ex(&child_rel)) {
                continue;
            }
            // Symlinks are not followed: a root file system's absolute links
            // point at the scanning host, not into the tree.
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                if SKIP_ALWAYS.contains(&name.as_str()) {
                    continue;
                }
                if self.host
                    && (SKIP_HOST.contains(&child_rel.as_str())
                        || SKIP_HOST_CACHES
                            .iter()
                            .any(|c| child_rel == *c || child_rel.ends_with(&format!("/{c}"))))
                {
                    continue;
                }
                self.walk(&e.path(), &child_rel, depth + 1);
            } else if ft.is_file() {
                let Ok(meta) = e.metadata() else { continue };
                let executable = meta.permissions().mode() & 0o111 != 0;
                let Some(kind) = classify(&child_rel, executable) else {
                    continue;
                };
                if meta.len() > MAX_FILE {
                    self.notes.push(format!(
                        "{child_rel}: not read: {} bytes is over the {MAX_FILE}-byte limit",
                        meta.len()
                    ));
                    continue;
                }
                if matches!(
                    kind,
                    crate::FileKind::Lang(yagura_langpkg::LangFileKind::Binary)
                ) && !looks_binary(&e.path())
                {
                    continue;
                }
                match std::fs::read(e.path()) {
                    Ok(bytes) => {
                        let a = self.collector.analyze(kind, &child_rel, &bytes);
                        self.files.push((child_rel, a));
                    }
                    Err(err) => self.issue(&child_rel, format!("cannot read: {err}")),
                }
            }
        }
    }

    fn issue(&mut self, rel: &str, message: String) {
        self.issues.push(InventoryIssue {
            path: if rel.is_empty() {
                self.root.display().to_string()
            } else {
                rel.to_string()
            },
            entry: None,
            message,
        });
    }
}

/// Reads four bytes to skip scripts and data files marked executable, which
/// are the majority of executables on a typical system.
fn looks_binary(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    if f.read_exact(&mut magic).is_err() {
        return false;
    }
    matches!(
        magic,
        [0x7f, b'E', b'L', b'F']
            | [0xcf, 0xfa, 0xed, 0xfe]
            | [0xfe, 0xed, 0xfa, 0xcf]
            | [b'M', b'Z', _, _]
            | [0xca, 0xfe, 0xba, 0xbe]
    )
}
