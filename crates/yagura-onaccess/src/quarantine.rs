//! Quarantine store: `dir/<id>.bin` (the file, mode 0400) and `dir/<id>.json`
//! (where it came from, so it can be restored).

use std::ffi::CString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::Error;

/// Metadata of one quarantined file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub original_path: PathBuf,
    pub sha256: String,
    pub rule: String,
    pub time: chrono::DateTime<chrono::Utc>,
    /// Permission bits (`st_mode & 0o7777`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// A directory holding quarantined files.
#[derive(Debug)]
pub struct Quarantine {
    dir: PathBuf,
}

static SEQ: AtomicU64 = AtomicU64::new(0);

impl Quarantine {
    /// Open or create the store; the directory is (re)set to mode 0700.
    pub fn new(dir: PathBuf) -> Result<Quarantine, Error> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| Error::io(&dir, e))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io(&dir, e))?;
        Ok(Quarantine { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Move `path` into the store. The metadata is written first so a crash
    /// never leaves an anonymous binary behind.
    pub fn put(&self, path: &Path, sha256: &str, rule: &str) -> Result<Entry, Error> {
        let md = fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
        if !md.file_type().is_file() {
            return Err(Error::NotRegular(path.to_path_buf()));
        }
        let time = chrono::Utc::now();
        let tag: String = sha256
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .take(12)
            .collect();
        let id = format!(
            "{}-{}-{}-{}",
            time.format("%Y%m%dT%H%M%S%.6fZ"),
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed),
            if tag.is_empty() { "x" } else { &tag }
        );
        let entry = Entry {
            id: id.clone(),
            original_path: path.to_path_buf(),
            sha256: sha256.to_string(),
            rule: rule.to_string(),
            time,
            mode: md.mode() & 0o7777,
            uid: md.uid(),
            gid: md.gid(),
        };
        let json_path = self.dir.join(format!("{id}.json"));
        let bin_path = self.dir.join(format!("{id}.bin"));
        let json = serde_json::to_vec_pretty(&entry).map_err(|e| Error::Metadata {
            path: json_path.clone(),
            reason: e.to_string(),
        })?;
        write_atomic(&json_path, &json, 0o600)?;
        if let Err(e) = move_file(path, &bin_path, false) {
            let _ = fs::remove_file(&json_path);
            return Err(e);
        }
        fs::set_permissions(&bin_path, fs::Permissions::from_mode(0o400))
            .map_err(|e| Error::io(&bin_path, e))?;
        sync_dir(&self.dir);
        Ok(entry)
    }

    /// All entries; the first unreadable or malformed metadata file is an
    /// error naming it. See [`Quarantine::list_lenient`] to skip bad ones.
    pub fn list(&self) -> Result<Vec<Entry>, Error> {
        let (entries, mut errors) = self.list_lenient()?;
        if errors.is_empty() {
            Ok(entries)
        } else {
            Err(errors.swap_remove(0))
        }
    }

    /// Good entries plus one error per bad metadata file.
    pub fn list_lenient(&self) -> Result<(Vec<Entry>, Vec<Error>), Error> {
        let rd = fs::read_dir(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        for de in rd {
            let de = de.map_err(|e| Error::io(&self.dir, e))?;
            let p = de.path();
            if p.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            match read_entry(&p) {
                Ok(e) => entries.push(e),
                Err(e) => errors.push(e),
            }
        }
        entries.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
        Ok((entries, errors))
    }

    /// Metadata of one entry.
    pub fn get(&self, id: &str) -> Result<Entry, Error> {
        let json_path = self.entry_path(id, "json")?;
        if !json_path.exists() {
            return Err(Error::NotFound(id.to_string()));
        }
        read_entry(&json_path)
    }

    /// Move an entry back to its original path (or `to`), with its original
    /// mode and owner, refusing to overwrite anything; removes the entry.
    pub fn restore(&self, id: &str, to: Option<&Path>) -> Result<PathBuf, Error> {
        let entry = self.get(id)?;
        let bin_path = self.entry_path(id, "bin")?;
        let json_path = self.entry_path(id, "json")?;
        let target = to.unwrap_or(&entry.original_path).to_path_buf();
        if fs::symlink_metadata(&target).is_ok() {
            return Err(Error::Exists(target));
        }
        move_file(&bin_path, &target, true)?;
        let c = CString::new(target.as_os_str().as_bytes()).map_err(|_| {
            Error::io(
                &target,
                io::Error::new(io::ErrorKind::InvalidInput, "path contains NUL"),
            )
        })?;
        // chown before chmod: chown clears setuid/setgid bits.
        // SAFETY: NUL-terminated path valid for the call.
        if unsafe { libc::lchown(c.as_ptr(), entry.uid, entry.gid) } < 0 {
            let err = io::Error::last_os_error();
            // An unprivileged caller cannot give files away; the file is
            // still restored, just owned by the caller.
            // SAFETY: getuid has no preconditions.
            if unsafe { libc::getuid() } == 0 {
                return Err(Error::io(&target, err));
            }
            tracing::warn!(path = %target.display(), error = %err, "restore: cannot restore owner");
        }
        fs::set_permissions(&target, fs::Permissions::from_mode(entry.mode))
            .map_err(|e| Error::io(&target, e))?;
        fs::remove_file(&json_path).map_err(|e| Error::io(&json_path, e))?;
        sync_dir(&self.dir);
        Ok(target)
    }

    fn entry_path(&self, id: &str, ext: &str) -> Result<PathBuf, Error> {
        // Ids are generated by us; anything else could escape the directory.
        let ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
            && !id.starts_with('.');
        if !ok {
            return Err(Error::InvalidId(id.to_string()));
        }
        Ok(self.dir.join(format!("{id}.{ext}")))
    }
}

fn read_entry(p: &Path) -> Result<Entry, Error> {
    let bytes = fs::read(p).map_err(|e| Error::io(p, e))?;
    let entry: Entry = serde_json::from_slice(&bytes).map_err(|e| Error::Metadata {
        path: p.to_path_buf(),
        reason: e.to_string(),
    })?;
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if entry.id != stem {
        return Err(Error::Metadata {
            path: p.to_path_buf(),
            reason: format!("id {:?} does not match file name", entry.id),
        });
    }
    Ok(entry)
}

fn write_atomic(path: &Path, data: &[u8], mode: u32) -> Result<(), Error> {
    let tmp = path.with_extension("tmp");
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .map_err(|e| Error::io(&tmp, e))?;
    let res = f.write_all(data).and_then(|_| f.sync_all());
    drop(f);
    if let Err(e) = res.and_then(|_| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// rename(2) without replacing the target, or copy+fsync+unlink across
/// filesystems. With `no_replace` an existing target is an error even if it
/// appears after our check.
fn move_file(from: &Path, to: &Path, no_replace: bool) -> Result<(), Error> {
    let cfrom = cpath(from)?;
    let cto = cpath(to)?;
    // SAFETY: NUL-terminated paths valid for the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            cfrom.as_ptr(),
            libc::AT_FDCWD,
            cto.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EEXIST) if no_replace => return Err(Error::Exists(to.to_path_buf())),
        Some(libc::EXDEV) => {}
        // Filesystems without RENAME_NOREPLACE support: check, then rename.
        Some(libc::EINVAL) => {
            if fs::symlink_metadata(to).is_ok() {
                return Err(Error::Exists(to.to_path_buf()));
            }
            return fs::rename(from, to).map_err(|e| Error::io(from, e));
        }
        _ => return Err(Error::io(from, err)),
    }
    let mut src = File::open(from).map_err(|e| Error::io(from, e))?;
    let mut dst = match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(Error::Exists(to.to_path_buf()))
        }
        Err(e) => return Err(Error::io(to, e)),
    };
    let copied = io::copy(&mut src, &mut dst).and_then(|_| dst.sync_all());
    if let Err(e) = copied {
        drop(dst);
        let _ = fs::remove_file(to);
        return Err(Error::io(to, e));
    }
    fs::remove_file(from).map_err(|e| Error::io(from, e))?;
    Ok(())
}

fn cpath(p: &Path) -> Result<CString, Error> {
    CString::new(p.as_os_str().as_bytes()).map_err(|_| {
        Error::io(
            p,
            io::Error::new(io::ErrorKind::InvalidInput, "path contains NUL"),
        )
    })
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
