//! The offline AWS collector behind `yagura scan aws-config PATH`: reads AWS Config
//! **configuration snapshot** and **configuration history** files and turns every
//! configuration item into normalized [`yagura_model::Resource`]s with
//! `source: aws-config`, following `docs/resource-model.md` exactly (same kinds,
//! ids, attribute names and value conventions as the live API collector).
//!
//! # Input
//!
//! `PATH` is a file or a folder, walked recursively (symlinked folders are not
//! followed). Files are recognised by content, not name: gzip by its magic bytes
//! (`.json.gz` as Config delivers them, or any other name), JSON by its first
//! character. A file that is neither is skipped with a note in `not_assessed`
//! (unless it is named `*.json`/`*.json.gz`: then it is an error), as is valid JSON
//! without configuration items. Accepted documents: snapshot and history files
//! (`{"fileVersion", "configurationItems": [...]}`), `get-resource-config-history`
//! output, `batch-get-resource-config` output (`baseConfigurationItems`), change
//! notifications (`configurationItem`) and bare arrays of items.
//!
//! A malformed or truncated file (JSON or gzip) is reported as a [`SnapshotError`]
//! naming the file, the line and column, and the item being read; every item
//! before the damage is kept, and the rest of the folder is still read.
//!
//! # History
//!
//! Items are keyed by (type, account, region, resource id). The latest by
//! `configurationItemCaptureTime` wins (then `configurationStateId`, then read
//! order). If the latest says `ResourceDeleted` or `ResourceDeletedNotRecorded`,
//! the resource is gone. A `ResourceNotRecorded` item yields the resource with
//! only its identity observed (so its checks are NOT_ASSESSED) and a
//! `not_assessed` note. Should two items still map to one resource id (a
//! multi-region trail is listed only in its home region), the later capture wins.
//!
//! # Absent or null
//!
//! An attribute the item does not carry is **absent** (checks go NOT_ASSESSED):
//! Config has no IAM credential report, no KMS rotation status, no Lambda function
//! URL, no CloudWatch metric filters, and so on. A field is `null` (observed
//! unset) when the item says so, or when it is missing from a *full* item and
//! Config takes the field from the same describe call that leaves it out when
//! unset (an instance without `publicIpAddress`, a queue without
//! `KmsMasterKeyId`). S3 buckets follow Config's own convention documented in the
//! `map::s3` module. Each mapper's comments name the fields this applies to.
//!
//! # Account and region resources
//!
//! One `aws.region` per (account, region) seen and one `aws.account` per account:
//!
//! - `aws.region.observed` lists the services of which at least one item of a
//!   type yagura maps was recorded in that region (deleted items count:
//!   they prove the type is recorded; `…NotRecorded` placeholders do not).
//!   Config records by type, so one item of a type shows the whole type was.
//! - `aws.account.observed` lists the global services recorded (IAM) plus each
//!   regional service observed in *every* region present in the input for that
//!   account, because account-wide checks reason over all regions at once.
//! - `s3_public_access_block` comes from `AWS::S3::AccountPublicAccessBlock`
//!   (latest item across regions; a deletion means `null`).
//! - `support_policy_attached` is `true` as soon as a user, role or group has
//!   `AWSSupportAccess`; `false` and `cloudshell_full_access_attachments` are only
//!   set when users, roles and groups were all recorded for the account.
//! - Attributes Config cannot show (`password_policy`, `root`, `regions`,
//!   `ebs_encryption_by_default`, `config_recorders`, …) are absent.
//!
//! Joined types: `AWS::EC2::FlowLog` fills `aws.ec2.vpc.flow_logs`,
//! `AWS::ElasticLoadBalancingV2::Listener` fills `listeners`, and
//! `AWS::EC2::NetworkInterface` decides `aws.ec2.security_group.in_use`; each list
//! is set only when its type was recorded in that region. Other types are counted
//! and returned as [`NotAssessedTarget`]s.

mod error;
mod map;
mod parse;
mod synthetic;
mod value;

pub use error::SnapshotError;
pub use parse::{ConfigItem, Relationship};
pub use synthetic::generate_synthetic_snapshot;

use parse::{read_file, FileKind};
use std::path::{Path, PathBuf};
use yagura_model::{NotAssessedTarget, Resource};

/// Everything read from a path.
#[derive(Debug, Default)]
pub struct Collection {
    /// Normalized resources, sorted by resource type, then account, region and id;
    /// `aws.region` / `aws.account` resources come last.
    pub resources: Vec<Resource>,
    /// Unsupported resource types, unrecorded resources, skipped files.
    pub not_assessed: Vec<NotAssessedTarget>,
    /// Problems with individual files or items; none of them stopped the scan.
    pub errors: Vec<SnapshotError>,
    /// Files from which AWS Config data was read (damaged ones included).
    pub files_read: usize,
    /// Configuration items read, before history resolution.
    pub items_read: usize,
}

/// Reads a snapshot/history file or a folder of them.
///
/// Returns `Err` only when `path` itself cannot be read; every other problem is
/// reported in [`Collection::errors`] and reading goes on.
pub fn collect(path: &Path) -> Result<Collection, SnapshotError> {
    let io = |source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let mut out = Collection::default();
    let files = if meta.is_dir() {
        let entries = std::fs::read_dir(path).map_err(io)?;
        let mut files = Vec::new();
        walk(path, entries, &mut files, &mut out.errors);
        files
    } else {
        vec![path.to_path_buf()]
    };
    let single = !meta.is_dir();
    let mut resolver = map::Resolver::default();
    for (file, parsed) in files.iter().zip(read_all(&files)) {
        let file = file.clone();
        match parsed.kind {
            FileKind::Config => {
                let unreadable = parsed
                    .errors
                    .iter()
                    .any(|e| matches!(e, SnapshotError::Io { .. } | SnapshotError::NotJson { .. }));
                if !unreadable {
                    out.files_read += 1;
                }
            }
            // The one file asked for is not Config data: that is an error, not a note.
            FileKind::NotJson(why) if single => out.errors.push(SnapshotError::NotJson {
                path: file.clone(),
                empty: why == parse::EMPTY,
            }),
            FileKind::OtherJson if single => out
                .errors
                .push(SnapshotError::NotConfigFile { path: file.clone() }),
            FileKind::NotJson(why) => out.not_assessed.push(NotAssessedTarget {
                target: file.display().to_string(),
                reason: format!("{why}; skipped"),
            }),
            FileKind::OtherJson => out.not_assessed.push(NotAssessedTarget {
                target: file.display().to_string(),
                reason: "JSON but not an AWS Config snapshot or history file; skipped".into(),
            }),
        }
        out.errors.extend(parsed.errors);
        for item in parsed.items {
            resolver.add(item);
        }
    }
    out.items_read = resolver.items;
    let (resources, mut not_assessed) = resolver.finish();
    out.resources = resources;
    out.not_assessed.append(&mut not_assessed);
    Ok(out)
}

/// Normalizes items obtained some other way (e.g. from the Config API), with the
/// same history resolution and joins as [`collect`].
pub fn normalize(
    items: impl IntoIterator<Item = ConfigItem>,
) -> (Vec<Resource>, Vec<NotAssessedTarget>) {
    let mut resolver = map::Resolver::default();
    for item in items {
        resolver.add(item);
    }
    resolver.finish()
}

/// Parses one file into its configuration items. Any problem, including a damaged
/// tail or one bad item, is an error here; [`collect`] keeps what it can instead.
pub fn parse_file(path: &Path) -> Result<Vec<ConfigItem>, SnapshotError> {
    let parsed = read_file(path);
    if let Some(e) = parsed.errors.into_iter().next() {
        return Err(e);
    }
    match parsed.kind {
        FileKind::Config => Ok(parsed.items),
        FileKind::NotJson(why) => Err(SnapshotError::NotJson {
            path: path.to_path_buf(),
            empty: why == parse::EMPTY,
        }),
        FileKind::OtherJson => Err(SnapshotError::NotConfigFile {
            path: path.to_path_buf(),
        }),
    }
}

/// Reads files on all cores; results come back in the order of `files`, so the
/// outcome never depends on thread timing.
fn read_all(files: &[PathBuf]) -> Vec<parse::ParsedFile> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || files.len() < 2 {
        return files.iter().map(|f| read_file(f)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, parse::ParsedFile)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(files.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        mine.push((i, read_file(f)));
                    }
                    mine
                })
            })
            .collect();
        join_workers(handles)
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, p)| p).collect()
}

/// Joins scoped worker threads in spawn order and concatenates what they return.
/// A panic in a worker is a bug: it is raised again rather than its share dropped.
pub(crate) fn join_workers<T>(handles: Vec<std::thread::ScopedJoinHandle<'_, Vec<T>>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        match h.join() {
            Ok(part) => out.extend(part),
            Err(p) => std::panic::resume_unwind(p),
        }
    }
    out
}

/// Lists regular files under a folder, sorted, so results do not depend on the
/// order the file system returns entries in.
fn walk(
    dir: &Path,
    entries: std::fs::ReadDir,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<SnapshotError>,
) {
    let mut list: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(source) => {
                errors.push(SnapshotError::Walk {
                    path: dir.to_path_buf(),
                    source,
                });
                continue;
            }
        };
        let p = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            list.push((p, true));
        } else if ft.is_file() {
            list.push((p, false));
        } else if ft.is_symlink() && std::fs::metadata(&p).is_ok_and(|m| m.is_file()) {
            // Symlinked files are read; symlinked folders are not, to avoid cycles.
            list.push((p, false));
        }
    }
    list.sort();
    for (p, is_dir) in list {
        if is_dir {
            match std::fs::read_dir(&p) {
                Ok(sub) => walk(&p, sub, files, errors),
                Err(source) => errors.push(SnapshotError::Walk { path: p, source }),
            }
        } else {
            files.push(p);
        }
    }
}
