//! Which layer's copy of each path the final image shows.
//!
//! Every layer's additions, changes and deletions are recorded as events in
//! one sorted vector whose paths live in a single string arena: images carry
//! 10k–100k entries and the overlay is kept for the whole scan.

use std::fmt;

/// What a layer did at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A tar hardlink: no data of its own, the content is at its target.
    Hardlink,
    /// Device, fifo or other special file.
    Other,
    /// `.wh.<name>`: the path is deleted from lower layers.
    Whiteout,
    /// `.wh..wh..opq` inside this directory: lower layers' contents are hidden.
    Opaque,
}

impl EntryKind {
    /// The layer put something at the path (rather than deleting).
    fn is_content(self) -> bool {
        !matches!(self, EntryKind::Whiteout | EntryKind::Opaque)
    }
}

#[derive(Debug, Clone, Copy)]
struct Event {
    path_start: usize,
    path_len: u32,
    layer: u32,
    kind: EntryKind,
    target_start: usize,
    target_len: u32,
}

/// A layer that could not be read completely. Entries read before the failure
/// are still in the overlay and were handed to the callback; treat results from
/// such a layer as incomplete.
#[derive(Debug)]
pub struct LayerError {
    pub index: usize,
    /// The layer's diff ID or blob digest.
    pub digest: String,
    pub error: crate::Error,
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "layer {} ({}): {}", self.index, self.digest, self.error)
    }
}

/// Every path each layer added, changed or deleted.
#[derive(Debug, Default)]
pub struct Overlay {
    arena: String,
    events: Vec<Event>,
    layer_count: usize,
    /// Layers that failed midway or whose digest did not match; the walk went on
    /// with the next layer.
    pub errors: Vec<LayerError>,
}

/// Upper bound on symlink hops in [`Overlay::resolve`], as Linux uses.
const MAX_LINK_HOPS: usize = 40;

impl Overlay {
    pub(crate) fn new(layer_count: usize) -> Self {
        Overlay {
            layer_count,
            ..Default::default()
        }
    }

    fn push_str(&mut self, s: &str) -> (usize, u32) {
        let start = self.arena.len();
        self.arena.push_str(s);
        (start, u32::try_from(s.len()).unwrap_or(u32::MAX))
    }

    pub(crate) fn record(&mut self, path: &str, layer: usize, kind: EntryKind, target: &str) {
        let (path_start, path_len) = self.push_str(path);
        let (target_start, target_len) = if target.is_empty() {
            (0, 0)
        } else {
            self.push_str(target)
        };
        self.events.push(Event {
            path_start,
            path_len,
            layer: u32::try_from(layer).unwrap_or(u32::MAX),
            kind,
            target_start,
            target_len,
        });
    }

    /// Sorts events by path then layer (stable: order within a layer is kept).
    pub(crate) fn finish(&mut self) {
        let arena = &self.arena;
        self.events.sort_by(|a, b| {
            slice(arena, a.path_start, a.path_len)
                .cmp(slice(arena, b.path_start, b.path_len))
                .then(a.layer.cmp(&b.layer))
        });
        self.events.shrink_to_fit();
        self.arena.shrink_to_fit();
    }

    fn path_of(&self, e: &Event) -> &str {
        slice(&self.arena, e.path_start, e.path_len)
    }

    fn target_of(&self, e: &Event) -> &str {
        slice(&self.arena, e.target_start, e.target_len)
    }

    fn events_at(&self, path: &str) -> &[Event] {
        let start = self.events.partition_point(|e| self.path_of(e) < path);
        let rest = self.events.get(start..).unwrap_or_default();
        let len = rest.partition_point(|e| self.path_of(e) == path);
        rest.get(..len).unwrap_or_default()
    }

    /// Number of layers walked.
    pub fn layer_count(&self) -> usize {
        self.layer_count
    }

    /// Number of recorded events (entries and deletions over all layers).
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// True when the entry `layer` wrote at `path` is what the final image
    /// shows: no later layer wrote or deleted the same path, made an ancestor
    /// anything but a directory, deleted an ancestor, or marked an ancestor
    /// opaque.
    pub fn visible(&self, path: &str, layer: usize) -> bool {
        let Ok(layer) = u32::try_from(layer) else {
            return false;
        };
        let here = self.events_at(path);
        let Some(own) = here
            .iter()
            .find(|e| e.layer == layer && e.kind.is_content())
        else {
            return false;
        };
        let own_is_dir = own.kind == EntryKind::Dir;
        for e in here.iter().filter(|e| e.layer > layer) {
            // A later directory entry (or opaque marker) over a directory keeps it.
            let keeps = own_is_dir && matches!(e.kind, EntryKind::Dir | EntryKind::Opaque);
            if !keeps {
                return false;
            }
        }
        let mut ancestor = path;
        while let Some(slash) = ancestor.rfind('/') {
            ancestor = &ancestor[..slash];
            if self
                .events_at(ancestor)
                .iter()
                .any(|e| e.layer > layer && e.kind != EntryKind::Dir)
            {
                return false;
            }
        }
        // `.wh..wh..opq` at the top of a layer makes the whole root opaque.
        !self
            .events_at("")
            .iter()
            .any(|e| e.layer > layer && e.kind == EntryKind::Opaque)
    }

    /// The layer whose copy of `path` the final image shows, if the path exists.
    pub fn final_layer(&self, path: &str) -> Option<usize> {
        self.final_event(path).map(|e| e.layer as usize)
    }

    /// What the final image has at `path` (without following links).
    pub fn final_kind(&self, path: &str) -> Option<EntryKind> {
        self.final_event(path).map(|e| e.kind)
    }

    fn final_event(&self, path: &str) -> Option<&Event> {
        // The highest writer hides every lower one, so only it can be visible.
        let top = self
            .events_at(path)
            .iter()
            .rev()
            .find(|e| e.kind.is_content())?;
        self.visible(path, top.layer as usize).then_some(top)
    }

    /// Follows symlinks (in any component) and hardlinks in the final view,
    /// e.g. `etc/os-release` → `usr/lib/os-release`. Returns the path of what is
    /// finally there, or `None` when a component does not exist, the chain is
    /// dangling, or it loops. A path without links resolves to itself.
    pub fn resolve(&self, path: &str) -> Option<String> {
        let mut pending: Vec<String> = components_reversed(path);
        let mut resolved: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(comp) = pending.pop() {
            match comp.as_str() {
                "" | "." => continue,
                ".." => {
                    resolved.pop();
                    continue;
                }
                _ => {}
            }
            let mut candidate = resolved.join("/");
            if !candidate.is_empty() {
                candidate.push('/');
            }
            candidate.push_str(&comp);
            let Some(event) = self.final_event(&candidate) else {
                // Layers need not carry entries for parent directories.
                if self.has_descendants(&candidate) {
                    resolved.push(comp);
                    continue;
                }
                return None;
            };
            match event.kind {
                EntryKind::Symlink | EntryKind::Hardlink => {
                    hops += 1;
                    if hops > MAX_LINK_HOPS {
                        return None;
                    }
                    let target = self.target_of(event);
                    // Hardlink targets are archive paths, from the root.
                    if target.starts_with('/') || event.kind == EntryKind::Hardlink {
                        resolved.clear();
                    }
                    pending.extend(components_reversed(target));
                }
                _ => resolved.push(comp),
            }
        }
        Some(resolved.join("/"))
    }

    fn has_descendants(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        let start = self
            .events
            .partition_point(|e| self.path_of(e) < prefix.as_str());
        self.events
            .get(start)
            .is_some_and(|e| self.path_of(e).starts_with(&prefix))
    }

    /// Every regular file of the final view with the layer its content comes
    /// from, in path order.
    pub fn final_files(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < self.events.len() {
                let path = self.path_of(&self.events[i]);
                let group = self.events_at(path).len();
                i += group.max(1);
                if let Some(e) = self.final_event(path) {
                    if e.kind == EntryKind::File {
                        return Some((path, e.layer as usize));
                    }
                }
            }
            None
        })
    }
}

fn slice(arena: &str, start: usize, len: u32) -> &str {
    arena.get(start..start + len as usize).unwrap_or_default()
}

fn components_reversed(path: &str) -> Vec<String> {
    path.split('/').rev().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlay(events: &[(&str, usize, EntryKind, &str)]) -> Overlay {
        let mut o = Overlay::new(4);
        for (p, l, k, t) in events {
            o.record(p, *l, *k, t);
        }
        o.finish();
        o
    }

    #[test]
    fn later_write_and_whiteouts_hide() {
        use EntryKind::*;
        let o = overlay(&[
            ("etc", 0, Dir, ""),
            ("etc/a", 0, File, ""),
            ("etc/b", 0, File, ""),
            ("etc/a", 1, File, ""),
            ("etc/b", 2, Whiteout, ""),
            ("opt/x/y", 0, File, ""),
            ("opt/x", 1, Opaque, ""),
            ("opt/x/z", 1, File, ""),
            ("var/d/f", 0, File, ""),
            ("var/d", 2, Whiteout, ""),
            ("srv/f", 0, File, ""),
            ("srv", 3, Symlink, "/opt"),
        ]);
        assert!(!o.visible("etc/a", 0));
        assert!(o.visible("etc/a", 1));
        assert_eq!(o.final_layer("etc/a"), Some(1));
        assert_eq!(o.final_layer("etc/b"), None);
        assert!(o.visible("etc", 0));
        assert!(!o.visible("opt/x/y", 0));
        assert!(o.visible("opt/x/z", 1));
        assert_eq!(o.final_layer("var/d/f"), None);
        assert_eq!(o.final_layer("srv/f"), None);
        assert_eq!(o.resolve("srv/x/z").as_deref(), Some("opt/x/z"));
        assert_eq!(o.resolve("srv/x/y"), None);
        let files: Vec<_> = o.final_files().collect();
        assert_eq!(files, vec![("etc/a", 1), ("opt/x/z", 1)]);
    }

    #[test]
    fn resolve_loops_and_hardlinks() {
        use EntryKind::*;
        let o = overlay(&[
            ("a", 0, Symlink, "b"),
            ("b", 0, Symlink, "a"),
            ("bin/x", 0, File, ""),
            ("bin/y", 0, Hardlink, "bin/x"),
            ("etc/os-release", 0, Symlink, "../usr/lib/os-release"),
            ("usr/lib/os-release", 0, File, ""),
        ]);
        assert_eq!(o.resolve("a"), None);
        assert_eq!(o.resolve("bin/y").as_deref(), Some("bin/x"));
        assert_eq!(
            o.resolve("etc/os-release").as_deref(),
            Some("usr/lib/os-release")
        );
        assert_eq!(
            o.resolve("usr/lib/os-release").as_deref(),
            Some("usr/lib/os-release")
        );
        assert_eq!(o.resolve("missing"), None);
    }

    #[test]
    fn opaque_root_hides_lower_layers() {
        use EntryKind::*;
        let o = overlay(&[("a", 0, File, ""), ("", 1, Opaque, ""), ("b", 1, File, "")]);
        assert_eq!(o.final_layer("a"), None);
        assert_eq!(o.final_layer("b"), Some(1));
    }
}
