//! On-access malware protection built on Linux fanotify permission events.
//!
//! # Design
//!
//! * A [`Guard`] opens one fanotify group (`FAN_CLASS_CONTENT`, so it sees
//!   files before content-class listeners such as HSMs hand them out) and
//!   marks the *mount* of each watched path, plus every mount found below it
//!   in `/proc/self/mountinfo`, for `FAN_OPEN_PERM | FAN_OPEN_EXEC_PERM` (or
//!   only exec). The kernel then suspends every `open()`/`execve()` on those
//!   mounts until we answer `FAN_ALLOW` or `FAN_DENY`.
//! * The group uses `FAN_UNLIMITED_QUEUE`: with the default 16384-event
//!   kernel queue, a permission event that overflows it is silently
//!   *allowed* by the kernel. Instead we keep the kernel queue unbounded and
//!   drain it fast; back-pressure is decided explicitly in user space by the
//!   bounded scan queue and [`FailMode`].
//! * One reader thread reads events. For each it `fstat`s the event fd and
//!   looks up the verdict cache keyed by (dev, ino, mtime, ctime, size)
//!   *before* any path resolution, so a cached file is answered in
//!   microseconds. Only misses resolve the path (`/proc/self/fd/N`), are
//!   filtered against the watched paths, and go to a bounded queue served by
//!   `workers` threads that call [`Judge::judge`] on the event fd itself (no
//!   reopen, so no race with a renamed path) and write the response.
//! * A full queue never blocks the reader: [`FailMode::Open`] allows,
//!   [`FailMode::Closed`] denies, and a [`Decision`] says so. Judge panics
//!   and [`Verdict::Unknown`] follow the same fail mode. Every event gets a
//!   response and every event fd is closed; closing the group (in
//!   [`Guard::stop`] or on drop) lets the kernel allow anything still pending.
//! * Events from our own process are allowed at once: the judge, the
//!   quarantine and the caller's callback must never wait on themselves.
//! * Infected files are denied (for `execve` as well) and, when a
//!   [`Quarantine`] is configured, moved into it after the answer.
//!
//! # Limits
//!
//! * Needs `CAP_SYS_ADMIN` and `CONFIG_FANOTIFY_ACCESS_PERMISSIONS`.
//! * Mount marks: a file reachable through another mount of the same
//!   filesystem that is not below a watched path (a bind mount elsewhere, a
//!   container's mount namespace) is not covered; set
//!   [`Config::mark_filesystem`] to mark whole filesystems instead (more
//!   events to filter, but no bind-mount bypass). Mounts added after
//!   [`Guard::start`] are not marked.
//! * Only opens are checked: a file already open for writing can be changed
//!   after it was judged clean; the next open will see a new mtime/ctime and
//!   rescan, but readers that opened it in between got the old verdict.
//! * Path filtering and quarantine work on paths as seen from our mount
//!   namespace; the quarantine checks dev/ino before moving but a small
//!   rename race remains.
//! * A process that holds a file open through an event while the scanner is
//!   slow waits for it: latency on misses is the judge's latency.

mod cache;
mod fanotify;
mod guard;
mod quarantine;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use guard::Guard;
pub use quarantine::{Entry, Quarantine};

/// Kind of access that raised the permission event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    Open,
    Exec,
}

/// Result of judging one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    Clean,
    Infected {
        rule: String,
        severity: String,
    },
    /// The judge could not decide (read error, timeout...). Handled like an
    /// internal error: allowed under [`FailMode::Open`], denied under
    /// [`FailMode::Closed`], never cached.
    Unknown {
        reason: String,
    },
}

/// Scanning engine supplied by the caller.
pub trait Judge: Send + Sync + 'static {
    /// Judge `file` (the fanotify event fd, opened read-only; read it with
    /// `read_at`/`pread` or `Read`, its offset is ours). `path` is for
    /// reporting only: it may have been renamed meanwhile. Only this process
    /// is exempt from interception: a helper process that opens watched
    /// files from here would deadlock the scanning thread.
    fn judge(&self, file: &std::fs::File, path: &std::path::Path) -> Verdict;
}

/// What to answer when the file cannot be scanned in time (queue full) or
/// scanning fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailMode {
    /// Allow: availability first.
    #[default]
    Open,
    /// Deny: protection first.
    Closed,
}

/// Guard configuration.
#[derive(Debug)]
pub struct Config {
    /// Folders/files protected (recursively).
    pub watch: Vec<PathBuf>,
    /// What happens when the scanner is behind or fails.
    pub fail_mode: FailMode,
    /// Bounded scan queue length (at least 1).
    pub queue: usize,
    /// Scanning threads (at least 1).
    pub workers: usize,
    /// Verdict cache size (0 disables the cache).
    pub cache_entries: usize,
    /// Where infected files are moved after being denied.
    pub quarantine: Option<Quarantine>,
    /// Only check `execve` (`FAN_OPEN_EXEC_PERM`), not plain opens.
    pub exec_only: bool,
    /// Also report clean verdicts (from scans, not cache hits) to `on_decision`.
    pub report_clean: bool,
    /// Use `FAN_MARK_FILESYSTEM` instead of `FAN_MARK_MOUNT` (see crate docs).
    pub mark_filesystem: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            watch: Vec::new(),
            fail_mode: FailMode::Open,
            queue: 256,
            workers: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            cache_entries: 65536,
            quarantine: None,
            exec_only: false,
            report_clean: false,
            mark_filesystem: false,
        }
    }
}

/// One answered permission event, as reported to `on_decision`.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub time: chrono::DateTime<chrono::Utc>,
    pub path: PathBuf,
    pub pid: i32,
    pub access: Access,
    pub allowed: bool,
    pub cached: bool,
    pub verdict: Verdict,
    /// Human-readable reason, e.g. "matched rule X", "scanner behind: failed open".
    pub reason: String,
    /// Quarantine id when the file was moved.
    pub quarantined: Option<String>,
    /// From reading the event to writing the response.
    pub latency: Duration,
}

/// Counters since [`Guard::start`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Permission events read from the kernel.
    pub events: u64,
    /// Events answered from the verdict cache.
    pub cache_hits: u64,
    /// Calls to the judge.
    pub scans: u64,
    /// Events denied (infected, cached infected, or failed closed).
    pub denied: u64,
    /// Events allowed because the scanner was behind or failed.
    pub failed_open: u64,
    /// Events denied because the scanner was behind or failed.
    pub failed_closed: u64,
    /// Times the scan queue was full.
    pub queue_full: u64,
    /// Events allowed without a scan: own process, not a regular file, or
    /// outside the watched paths.
    pub skipped: u64,
    /// Files moved into quarantine.
    pub quarantined: u64,
    /// Internal errors (fstat, response write, judge panic, quarantine).
    pub errors: u64,
}

/// Errors of this crate; each names the file or resource involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("fanotify {op} failed: {source}")]
    Fanotify {
        op: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("bad quarantine metadata {path}: {reason}")]
    Metadata { path: PathBuf, reason: String },
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("quarantine entry {0} not found")]
    NotFound(String),
    #[error("invalid quarantine id {0:?}")]
    InvalidId(String),
    #[error("{0}: refusing to overwrite an existing file")]
    Exists(PathBuf),
    #[error("{0}: not a regular file")]
    NotRegular(PathBuf),
    #[error("thread {0}: {1}")]
    Thread(String, String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
