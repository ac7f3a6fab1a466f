//! Background metadata resolution with a cache, for sensors that must not block.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use yagura_event::Container;

use crate::sources::{lookup, SourceConfig};
use crate::{ContainerRef, LookupError};

/// [`Resolver`] settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolverConfig {
    pub sources: SourceConfig,
    /// Lookups waiting for the worker; when full, [`Resolver::resolve`] returns
    /// what it has and tries to queue again on the next call.
    pub queue_capacity: usize,
    /// Containers remembered; the least recently asked for is dropped first.
    pub cache_capacity: usize,
    /// Wait before retrying a failed lookup; doubles per failure up to `retry_max`.
    pub retry_initial: Duration,
    pub retry_max: Duration,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        ResolverConfig {
            sources: SourceConfig::default(),
            queue_capacity: 256,
            cache_capacity: 4096,
            retry_initial: Duration::from_secs(2),
            retry_max: Duration::from_secs(300),
        }
    }
}

/// What the cache knows about one container's lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupState {
    /// Waiting in the queue or being looked up.
    Pending,
    /// Not queued because the queue was full; the next `resolve` queues it.
    Deferred,
    /// Metadata filled from the runtime.
    Resolved,
    /// The last lookup failed; `resolve` after `retry_at` queues it again.
    Failed { failures: u32, retry_at: Instant },
}

struct Entry {
    container: Arc<Container>,
    state: LookupState,
    reference: ContainerRef,
    /// Consecutive failed lookups, for the backoff.
    failures: u32,
    last_used: Instant,
}

struct Shared {
    cache: Mutex<HashMap<String, Entry>>,
    config: ResolverConfig,
    /// Set on drop so the worker skips what is still queued.
    stopping: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A panic elsewhere while holding the lock leaves a usable map.
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Resolves container metadata on a background thread.
///
/// [`resolve`](Resolver::resolve) never waits on I/O: it returns the cached
/// [`Container`] — at first only the IDs, runtime and pod UID from the cgroup —
/// and queues a lookup; later calls return the filled record. Dropping the
/// resolver stops the worker, waiting for at most one in-flight lookup
/// (bounded by the source timeout; a containerd miss may ask Docker too).
pub struct Resolver {
    shared: Arc<Shared>,
    tx: Option<SyncSender<ContainerRef>>,
    worker: Option<JoinHandle<()>>,
}

impl Resolver {
    /// Starts the worker thread.
    pub fn new(config: ResolverConfig) -> Result<Self, LookupError> {
        let (tx, rx) = mpsc::sync_channel(config.queue_capacity.max(1));
        let shared = Arc::new(Shared {
            cache: Mutex::new(HashMap::new()),
            config,
            stopping: AtomicBool::new(false),
        });
        let worker_shared = Arc::clone(&shared);
        let worker = thread::Builder::new()
            .name("yagura-container-resolver".into())
            .spawn(move || worker(&worker_shared, rx))
            .map_err(LookupError::Spawn)?;
        Ok(Resolver {
            shared,
            tx: Some(tx),
            worker: Some(worker),
        })
    }

    /// The best current record for `r`; queues a lookup when none is
    /// pending and the cache has no result (or a failure whose backoff expired).
    pub fn resolve(&self, r: &ContainerRef) -> Arc<Container> {
        let now = Instant::now();
        let mut cache = self.shared.lock();
        if !cache.contains_key(&r.full_id) {
            if cache.len() >= self.shared.config.cache_capacity.max(1) {
                evict_lru(&mut cache);
            }
            cache.insert(
                r.full_id.clone(),
                Entry {
                    container: Arc::new(r.to_container()),
                    state: LookupState::Deferred,
                    reference: r.clone(),
                    failures: 0,
                    last_used: now,
                },
            );
        }
        let Some(entry) = cache.get_mut(&r.full_id) else {
            return Arc::new(r.to_container());
        };
        entry.last_used = now;
        let due = match entry.state {
            LookupState::Pending | LookupState::Resolved => false,
            LookupState::Deferred => true,
            LookupState::Failed { retry_at, .. } => now >= retry_at,
        };
        if due {
            if let Some(tx) = &self.tx {
                match tx.try_send(entry.reference.clone()) {
                    Ok(()) => entry.state = LookupState::Pending,
                    // A failed entry stays failed (and due) so the next call retries.
                    Err(TrySendError::Full(_)) => {
                        if !matches!(entry.state, LookupState::Failed { .. }) {
                            entry.state = LookupState::Deferred;
                        }
                    }
                    Err(TrySendError::Disconnected(_)) => {}
                }
            }
        }
        Arc::clone(&entry.container)
    }

    /// The cached record for a full ID, without queueing anything.
    pub fn cached(&self, full_id: &str) -> Option<Arc<Container>> {
        self.shared
            .lock()
            .get(full_id)
            .map(|e| Arc::clone(&e.container))
    }

    /// The lookup state for a full ID, if it is cached.
    pub fn state(&self, full_id: &str) -> Option<LookupState> {
        self.shared.lock().get(full_id).map(|e| e.state)
    }

    /// Drops a container from the cache, e.g. when the sensor sees it exit.
    pub fn forget(&self, full_id: &str) {
        self.shared.lock().remove(full_id);
    }
}

impl Drop for Resolver {
    fn drop(&mut self) {
        // Closing the channel ends the worker's receive loop once it has
        // skipped what is still queued.
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.tx.take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

fn evict_lru(cache: &mut HashMap<String, Entry>) {
    if let Some(oldest) = cache
        .iter()
        .min_by_key(|(_, e)| e.last_used)
        .map(|(k, _)| k.clone())
    {
        cache.remove(&oldest);
    }
}

fn worker(shared: &Shared, rx: Receiver<ContainerRef>) {
    // Sockets already reported missing: say so once, not per container.
    let mut reported: HashSet<PathBuf> = HashSet::new();
    for r in rx {
        if shared.stopping.load(Ordering::SeqCst) {
            continue;
        }
        // Forgotten or evicted while queued: nobody is asking any more.
        if !shared.lock().contains_key(&r.full_id) {
            continue;
        }
        let result = lookup(&shared.config.sources, &r);
        if let Err(e) = &result {
            match e {
                LookupError::Unavailable { socket, .. } => {
                    if reported.insert(socket.clone()) {
                        tracing::debug!("container metadata unavailable: {e}");
                    }
                }
                _ => tracing::debug!(id = %r.full_id, "container metadata lookup failed: {e}"),
            }
        }
        let now = Instant::now();
        let mut cache = shared.lock();
        // Forgotten or evicted while in flight: nobody is asking any more.
        let Some(entry) = cache.get_mut(&r.full_id) else {
            continue;
        };
        match result {
            Ok(c) => {
                entry.container = Arc::new(c);
                entry.state = LookupState::Resolved;
                entry.failures = 0;
            }
            Err(_) => {
                entry.failures = entry.failures.saturating_add(1);
                let backoff = shared
                    .config
                    .retry_initial
                    .saturating_mul(1u32 << (entry.failures - 1).min(16))
                    .min(shared.config.retry_max);
                entry.state = LookupState::Failed {
                    failures: entry.failures,
                    retry_at: now + backoff,
                };
            }
        }
    }
}
