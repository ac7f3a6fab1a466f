//! Git history scanning with gitoxide (pure Rust, no `git` binary, no libgit2).
//!
//! Every commit reachable from any ref (and HEAD) is diffed against its first
//! parent; only lines added by the commit are reported, so a secret appears once,
//! at the commit that introduced it. The root commit contributes all its content.
//! "Added" is computed per file as lines of the new blob that do not occur in the
//! old blob, which matches a line diff for reporting purposes and avoids a diff
//! dependency; a renamed file counts as added at its new path.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::bstr::ByteSlice;
use gix::ObjectId;

use crate::util::is_binary;
use crate::{CommitInfo, ScanOutput, Scanner, SecretsError};

fn git_err(context: &str, e: impl std::fmt::Display) -> SecretsError {
    SecretsError::Git(format!("{context}: {e}"))
}

struct Change {
    path: String,
    old: Option<ObjectId>,
    new: ObjectId,
}

#[derive(Clone, Copy)]
struct Entry {
    oid: ObjectId,
    is_tree: bool,
    is_blob: bool,
}

fn tree_entries(
    repo: &gix::Repository,
    id: ObjectId,
) -> Result<Vec<(Vec<u8>, Entry)>, SecretsError> {
    let tree = repo
        .find_tree(id)
        .map_err(|e| git_err(&format!("tree {id}"), e))?;
    let decoded = tree
        .decode()
        .map_err(|e| git_err(&format!("tree {id}"), e))?;
    Ok(decoded
        .entries
        .iter()
        .map(|e| {
            (
                e.filename.to_vec(),
                Entry {
                    oid: e.oid.to_owned(),
                    is_tree: e.mode.is_tree(),
                    // Symlinks and submodules hold no scannable content.
                    is_blob: e.mode.is_blob(),
                },
            )
        })
        .collect())
}

/// Blobs that differ between `old` and `new` trees (recursively).
fn diff_trees(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: ObjectId,
    prefix: &str,
    out: &mut Vec<Change>,
) -> Result<(), SecretsError> {
    if old == Some(new) {
        return Ok(());
    }
    let old_entries: HashMap<Vec<u8>, Entry> = match old {
        Some(o) => tree_entries(repo, o)?.into_iter().collect(),
        None => HashMap::new(),
    };
    for (name, entry) in tree_entries(repo, new)? {
        let path = if prefix.is_empty() {
            name.to_str_lossy().into_owned()
        } else {
            format!("{prefix}/{}", name.to_str_lossy())
        };
        let before = old_entries.get(&name);
        if entry.is_tree {
            let old_sub = before.filter(|b| b.is_tree).map(|b| b.oid);
            diff_trees(repo, old_sub, entry.oid, &path, out)?;
        } else if entry.is_blob {
            match before {
                Some(b) if b.oid == entry.oid => {}
                Some(b) if b.is_blob => out.push(Change {
                    path,
                    old: Some(b.oid),
                    new: entry.oid,
                }),
                _ => out.push(Change {
                    path,
                    old: None,
                    new: entry.oid,
                }),
            }
        }
    }
    Ok(())
}

fn rfc3339(seconds: i64, offset: i32) -> String {
    let tz = chrono::FixedOffset::east_opt(offset).or_else(|| chrono::FixedOffset::east_opt(0));
    match (chrono::DateTime::from_timestamp(seconds, 0), tz) {
        (Some(dt), Some(tz)) => dt.with_timezone(&tz).to_rfc3339(),
        _ => String::new(),
    }
}

impl Scanner {
    /// Scans the added lines of every commit reachable from the repository's refs.
    pub fn scan_git_history(&self, repo_path: &Path) -> Result<ScanOutput, SecretsError> {
        let repo = gix::open(repo_path).map_err(|e| git_err("open repository", e))?;
        let mut tips: Vec<ObjectId> = Vec::new();
        let refs = repo
            .references()
            .map_err(|e| git_err("list references", e))?;
        let mut output = ScanOutput::default();
        for r in refs.all().map_err(|e| git_err("list references", e))? {
            match r {
                Ok(mut r) => {
                    // Refs to trees or blobs (rare tags) have no history to walk.
                    if let Ok(c) = r.peel_to_commit() {
                        tips.push(c.id);
                    }
                }
                Err(e) => output.errors.push(("refs".into(), e.to_string())),
            }
        }
        if let Ok(id) = repo.head_id() {
            tips.push(id.detach());
        }
        tips.sort();
        tips.dedup();
        if tips.is_empty() {
            return Ok(output);
        }
        let walk = repo
            .rev_walk(tips)
            .all()
            .map_err(|e| git_err("walk history", e))?;
        let cap = self.settings().max_file_size;
        for info in walk {
            let info = match info {
                Ok(i) => i,
                Err(e) => {
                    output.errors.push(("history".into(), e.to_string()));
                    continue;
                }
            };
            let id = info.id;
            if let Err(e) = self.scan_commit(&repo, id, cap, &mut output) {
                output.errors.push((id.to_string(), e.to_string()));
            }
            output.commits_scanned += 1;
        }
        output.findings.sort_by(|a, b| {
            let ka = (
                a.commit.as_ref().map(|c| c.date.as_str()),
                a.file.as_str(),
                a.line,
            );
            let kb = (
                b.commit.as_ref().map(|c| c.date.as_str()),
                b.file.as_str(),
                b.line,
            );
            ka.cmp(&kb)
        });
        Ok(output)
    }

    fn scan_commit(
        &self,
        repo: &gix::Repository,
        id: ObjectId,
        cap: u64,
        output: &mut ScanOutput,
    ) -> Result<(), SecretsError> {
        let commit = repo
            .find_commit(id)
            .map_err(|e| git_err("read commit", e))?;
        let tree = commit
            .tree_id()
            .map_err(|e| git_err("commit tree", e))?
            .detach();
        let parent_tree = match commit.parent_ids().next() {
            Some(p) => Some(
                repo.find_commit(p.detach())
                    .map_err(|e| git_err("read parent", e))?
                    .tree_id()
                    .map_err(|e| git_err("parent tree", e))?
                    .detach(),
            ),
            None => None,
        };
        let author = commit.author().map_err(|e| git_err("commit author", e))?;
        let date = author
            .time()
            .map(|t| rfc3339(t.seconds, t.offset))
            .unwrap_or_default();
        let info = CommitInfo {
            id: id.to_string(),
            author: author.name.to_str_lossy().trim().to_string(),
            email: author.email.to_str_lossy().trim().to_string(),
            date,
        };
        let mut changes = Vec::new();
        diff_trees(repo, parent_tree, tree, "", &mut changes)?;
        for ch in changes {
            let new = match repo.find_object(ch.new) {
                Ok(mut o) => std::mem::take(&mut o.data),
                Err(e) => {
                    output
                        .errors
                        .push((format!("{}:{}", info.id, ch.path), e.to_string()));
                    continue;
                }
            };
            if new.len() as u64 > cap {
                output.files_skipped += 1;
                output.skipped.push((
                    format!("{}:{}", info.id, ch.path),
                    format!("larger than {cap} bytes ({})", new.len()),
                ));
                continue;
            }
            if is_binary(&new) {
                output.files_skipped += 1;
                continue;
            }
            let added = match ch.old {
                Some(old_id) => {
                    let old = repo
                        .find_object(old_id)
                        .map(|mut o| std::mem::take(&mut o.data))
                        .unwrap_or_default();
                    let before: HashSet<&[u8]> = old.lines().collect();
                    let added: HashSet<u32> = new
                        .lines()
                        .enumerate()
                        .filter(|(_, l)| !before.contains(l))
                        .map(|(i, _)| i as u32 + 1)
                        .collect();
                    if added.is_empty() {
                        continue;
                    }
                    Some(added)
                }
                None => None,
            };
            let findings = self.scan_inner(&ch.path, &new, Some(&info), added.as_ref());
            output.files_scanned += 1;
            output.bytes_scanned += new.len() as u64;
            output.findings.extend(findings);
        }
        Ok(())
    }
}
