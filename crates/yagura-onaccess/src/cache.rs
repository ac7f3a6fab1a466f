//! Bounded verdict cache with two generations: lookups promote entries from
//! the old generation, and when the young one is full the old one is
//! dropped. That approximates LRU with O(1) work and no per-hit bookkeeping.

use std::collections::HashMap;
use std::sync::Mutex;

/// Identity of a file's content as far as the cache is concerned. ctime is
/// included on top of mtime because mtime can be reset with utimensat(2)
/// after a same-size rewrite; ctime cannot be set from user space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub dev: u64,
    pub ino: u64,
    pub mtime: (i64, i64),
    pub ctime: (i64, i64),
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cached {
    Clean,
    Infected { rule: String, severity: String },
}

pub(crate) struct Cache {
    half: usize,
    inner: Mutex<Gens>,
}

#[derive(Default)]
struct Gens {
    young: HashMap<Key, Cached>,
    old: HashMap<Key, Cached>,
}

impl Cache {
    pub fn new(entries: usize) -> Cache {
        Cache {
            half: entries.div_ceil(2),
            inner: Mutex::new(Gens::default()),
        }
    }

    pub fn get(&self, key: &Key) -> Option<Cached> {
        if self.half == 0 {
            return None;
        }
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = g.young.get(key) {
            return Some(v.clone());
        }
        let v = g.old.remove(key)?;
        Self::insert_locked(&mut g, self.half, *key, v.clone());
        Some(v)
    }

    pub fn put(&self, key: Key, value: Cached) {
        if self.half == 0 {
            return;
        }
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.old.remove(&key);
        Self::insert_locked(&mut g, self.half, key, value);
    }

    fn insert_locked(g: &mut Gens, half: usize, key: Key, value: Cached) {
        if g.young.len() >= half && !g.young.contains_key(&key) {
            g.old = std::mem::take(&mut g.young);
        }
        g.young.insert(key, value);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.young.len() + g.old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ino: u64) -> Key {
        Key {
            dev: 1,
            ino,
            mtime: (0, 0),
            ctime: (0, 0),
            size: 1,
        }
    }

    #[test]
    fn bounded_and_keeps_recent() {
        let c = Cache::new(4);
        for i in 0..100 {
            c.put(key(i), Cached::Clean);
            // Keep touching entry 0 so it survives generation flips.
            assert_eq!(c.get(&key(0)), Some(Cached::Clean), "at {i}");
        }
        assert!(c.len() <= 4, "len {}", c.len());
        assert_eq!(c.get(&key(1)), None);
        assert_eq!(c.get(&key(99)), Some(Cached::Clean));
    }

    #[test]
    fn changed_file_misses() {
        let c = Cache::new(8);
        c.put(key(5), Cached::Clean);
        let mut k = key(5);
        k.ctime = (1, 0);
        assert_eq!(c.get(&k), None);
    }

    #[test]
    fn disabled() {
        let c = Cache::new(0);
        c.put(key(1), Cached::Clean);
        assert_eq!(c.get(&key(1)), None);
    }
}
