//! The running protection: one reader thread, `workers` scanning threads.

use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::cache::{Cache, Cached, Key};
use crate::fanotify::{self, RawEvent};
use crate::{Access, Config, Decision, Error, FailMode, Judge, Quarantine, Stats, Verdict};

type OnDecision = Box<dyn Fn(&Decision) + Send + Sync>;

/// Running on-access protection. Dropping it stops it like [`Guard::stop`].
pub struct Guard {
    shared: Arc<Shared>,
    stop_w: Option<OwnedFd>,
    reader: Option<JoinHandle<()>>,
    workers: Vec<JoinHandle<()>>,
}

struct Shared {
    fan: OwnedFd,
    watch: Vec<PathBuf>,
    cache: Cache,
    judge: Arc<dyn Judge>,
    on_decision: OnDecision,
    fail_mode: FailMode,
    report_clean: bool,
    quarantine: Option<Quarantine>,
    stopping: AtomicBool,
    own_pid: i32,
    c: Counters,
}

#[derive(Default)]
struct Counters {
    events: AtomicU64,
    cache_hits: AtomicU64,
    scans: AtomicU64,
    denied: AtomicU64,
    failed_open: AtomicU64,
    failed_closed: AtomicU64,
    queue_full: AtomicU64,
    skipped: AtomicU64,
    quarantined: AtomicU64,
    errors: AtomicU64,
}

fn inc(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

struct Job {
    fd: OwnedFd,
    pid: i32,
    access: Access,
    path: PathBuf,
    key: Key,
    t0: Instant,
}

impl Guard {
    /// Start protecting `config.watch`. `on_decision` is called for every
    /// deny, every fail-open/fail-closed answer and, with
    /// `config.report_clean`, every clean scan result. It runs on the
    /// guard's threads: keep it short, and note that file access from it is
    /// never blocked (own process).
    pub fn start(
        config: Config,
        judge: Arc<dyn Judge>,
        on_decision: Box<dyn Fn(&Decision) + Send + Sync>,
    ) -> Result<Guard, Error> {
        if config.watch.is_empty() {
            return Err(Error::Config("no path to watch".into()));
        }
        let mut watch = Vec::with_capacity(config.watch.len());
        for p in &config.watch {
            watch.push(p.canonicalize().map_err(|e| Error::io(p, e))?);
        }
        let fan = fanotify::init()?;
        let mut mask = libc::FAN_OPEN_EXEC_PERM;
        if !config.exec_only {
            mask |= libc::FAN_OPEN_PERM;
        }
        // Mount marks cover exactly the mounts we ask for (a tmpfs in a
        // test, /home on a host) and are cheap to filter; filesystem marks
        // also catch bind mounts of the same filesystem elsewhere but see
        // every open on it. Both need the path filter below.
        for p in &watch {
            fanotify::mark(&fan, p, mask, config.mark_filesystem)?;
            for sub in fanotify::submounts(p) {
                if let Err(e) = fanotify::mark(&fan, &sub, mask, config.mark_filesystem) {
                    tracing::warn!(error = %e, "cannot mark submount; it is not protected");
                }
            }
        }
        let (stop_r, stop_w) = pipe()?;
        let shared = Arc::new(Shared {
            fan,
            watch,
            cache: Cache::new(config.cache_entries),
            judge,
            on_decision,
            fail_mode: config.fail_mode,
            report_clean: config.report_clean,
            quarantine: config.quarantine,
            stopping: AtomicBool::new(false),
            own_pid: std::process::id() as i32,
            c: Counters::default(),
        });
        let (tx, rx) = sync_channel::<Job>(config.queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        let mut guard = Guard {
            shared: shared.clone(),
            stop_w: Some(stop_w),
            reader: None,
            workers: Vec::new(),
        };
        for i in 0..config.workers.max(1) {
            let sh = shared.clone();
            let rx = rx.clone();
            let h = std::thread::Builder::new()
                .name(format!("onaccess-scan-{i}"))
                .spawn(move || worker(&sh, &rx))
                .map_err(|e| Error::Thread("onaccess-scan".into(), e.to_string()))?;
            guard.workers.push(h);
        }
        let sh = shared;
        let h = std::thread::Builder::new()
            .name("onaccess-read".into())
            .spawn(move || reader(&sh, stop_r, tx))
            .map_err(|e| Error::Thread("onaccess-read".into(), e.to_string()))?;
        guard.reader = Some(h);
        Ok(guard)
    }

    pub fn stats(&self) -> Stats {
        let c = &self.shared.c;
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            events: g(&c.events),
            cache_hits: g(&c.cache_hits),
            scans: g(&c.scans),
            denied: g(&c.denied),
            failed_open: g(&c.failed_open),
            failed_closed: g(&c.failed_closed),
            queue_full: g(&c.queue_full),
            skipped: g(&c.skipped),
            quarantined: g(&c.quarantined),
            errors: g(&c.errors),
        }
    }

    /// Stop the threads and close the fanotify group; queued events are
    /// allowed unscanned and the kernel allows whatever is still pending.
    pub fn stop(mut self) -> Result<Stats, Error> {
        self.shutdown()?;
        Ok(self.stats())
    }

    fn shutdown(&mut self) -> Result<(), Error> {
        self.shared.stopping.store(true, Ordering::SeqCst);
        if let Some(w) = self.stop_w.take() {
            let b = [1u8];
            // SAFETY: writes one byte from a live buffer. A failure only
            // matters if the reader never wakes, which the pipe close below
            // (POLLHUP) also covers.
            unsafe { libc::write(w.as_raw_fd(), b.as_ptr().cast(), 1) };
            drop(w);
        }
        let mut panicked = Vec::new();
        if let Some(r) = self.reader.take() {
            if r.join().is_err() {
                panicked.push("onaccess-read");
            }
        }
        for w in self.workers.drain(..) {
            if w.join().is_err() {
                panicked.push("onaccess-scan");
            }
        }
        // The last Arc<Shared> (ours) now owns the group fd; it is closed
        // when the Guard is dropped.
        match panicked.first() {
            Some(name) => Err(Error::Thread(name.to_string(), "panicked".into())),
            None => Ok(()),
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.reader.is_some() || !self.workers.is_empty() {
            if let Err(e) = self.shutdown() {
                tracing::error!(error = %e, "on-access guard shutdown");
            }
        }
    }
}

fn pipe() -> Result<(OwnedFd, OwnedFd), Error> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds is a valid 2-element out array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } < 0 {
        return Err(Error::io("pipe", std::io::Error::last_os_error()));
    }
    // SAFETY: both fds are fresh and owned by us.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn reader(sh: &Shared, stop_r: OwnedFd, tx: SyncSender<Job>) {
    // u64 storage keeps the buffer aligned for the metadata structs.
    let mut store = vec![0u64; 8192];
    let mut events = Vec::new();
    loop {
        let mut pfd = [
            libc::pollfd {
                fd: sh.fan.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: stop_r.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: pfd is a valid array of 2 pollfd.
        let rc = unsafe { libc::poll(pfd.as_mut_ptr(), 2, -1) };
        if rc < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            tracing::error!(error = %e, "fanotify poll");
            break;
        }
        if pfd[1].revents != 0 || sh.stopping.load(Ordering::SeqCst) {
            break;
        }
        let bytes = store.len() * 8;
        // SAFETY: reads at most `bytes` into the buffer we own.
        let n = unsafe { libc::read(sh.fan.as_raw_fd(), store.as_mut_ptr().cast(), bytes) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            match e.kind() {
                std::io::ErrorKind::Interrupted | std::io::ErrorKind::WouldBlock => continue,
                _ => {
                    tracing::error!(error = %e, "fanotify read");
                    break;
                }
            }
        }
        // SAFETY: the kernel initialised the first n bytes of the buffer.
        let buf = unsafe { std::slice::from_raw_parts(store.as_ptr().cast::<u8>(), n as usize) };
        let parsed = fanotify::parse(buf, &mut events);
        for ev in events.drain(..) {
            handle_event(sh, ev, &tx);
        }
        if let Err(e) = parsed {
            // The stream is out of sync: give up; closing the group (on
            // stop/drop) allows everything still pending.
            inc(&sh.c.errors);
            tracing::error!(error = %e, "fanotify: malformed event buffer, reader stopped");
            break;
        }
    }
}

fn handle_event(sh: &Shared, ev: RawEvent, tx: &SyncSender<Job>) {
    let t0 = Instant::now();
    inc(&sh.c.events);
    let access = if ev.mask & libc::FAN_OPEN_EXEC_PERM != 0 {
        Access::Exec
    } else {
        Access::Open
    };
    if ev.pid == sh.own_pid || sh.stopping.load(Ordering::Relaxed) {
        inc(&sh.c.skipped);
        respond(sh, &ev.fd, true);
        return;
    }
    let (key, regular) = match fanotify::stat_key(&ev.fd) {
        Ok(k) => k,
        Err(e) => {
            inc(&sh.c.errors);
            let path = fd_path(&ev.fd).unwrap_or_default();
            fail(sh, &ev.fd, ev.pid, access, path, &format!("fstat: {e}"), t0);
            return;
        }
    };
    if !regular {
        inc(&sh.c.skipped);
        respond(sh, &ev.fd, true);
        return;
    }
    // Cache first: a hit needs neither the path nor a thread hop.
    if let Some(hit) = sh.cache.get(&key) {
        inc(&sh.c.cache_hits);
        match hit {
            Cached::Clean => respond(sh, &ev.fd, true),
            Cached::Infected { rule, severity } => {
                respond(sh, &ev.fd, false);
                inc(&sh.c.denied);
                let path = fd_path(&ev.fd).unwrap_or_default();
                emit(
                    sh,
                    Decision {
                        time: chrono::Utc::now(),
                        path,
                        pid: ev.pid,
                        access,
                        allowed: false,
                        cached: true,
                        reason: format!("matched rule {rule}"),
                        verdict: Verdict::Infected { rule, severity },
                        quarantined: None,
                        latency: t0.elapsed(),
                    },
                );
            }
        }
        return;
    }
    // An unresolvable path is scanned rather than trusted.
    let path = match fd_path(&ev.fd) {
        Some(p) => {
            if !sh.watch.iter().any(|w| p.starts_with(w)) {
                inc(&sh.c.skipped);
                respond(sh, &ev.fd, true);
                return;
            }
            p
        }
        None => PathBuf::new(),
    };
    let job = Job {
        fd: ev.fd,
        pid: ev.pid,
        access,
        path,
        key,
        t0,
    };
    match tx.try_send(job) {
        Ok(()) => {}
        Err(TrySendError::Full(job)) => {
            inc(&sh.c.queue_full);
            fail(
                sh,
                &job.fd,
                job.pid,
                job.access,
                job.path,
                "scanner behind",
                t0,
            );
        }
        Err(TrySendError::Disconnected(job)) => {
            inc(&sh.c.errors);
            fail(
                sh,
                &job.fd,
                job.pid,
                job.access,
                job.path,
                "no scanner thread",
                t0,
            );
        }
    }
}

fn worker(sh: &Shared, rx: &Mutex<Receiver<Job>>) {
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(|e| e.into_inner());
            match rx.recv() {
                Ok(j) => j,
                Err(_) => return,
            }
        };
        if sh.stopping.load(Ordering::Relaxed) {
            respond(sh, &job.fd, true);
            continue;
        }
        scan(sh, job);
    }
}

fn scan(sh: &Shared, job: Job) {
    let file = File::from(job.fd);
    inc(&sh.c.scans);
    let verdict = catch_unwind(AssertUnwindSafe(|| sh.judge.judge(&file, &job.path)))
        .unwrap_or_else(|_| {
            inc(&sh.c.errors);
            Verdict::Unknown {
                reason: "judge panicked".into(),
            }
        });
    // Only cache what we saw: a file written during the scan is rescanned.
    let unchanged = matches!(fanotify::stat_key(&file), Ok((k, _)) if k == job.key);
    match verdict {
        Verdict::Clean => {
            if unchanged {
                sh.cache.put(job.key, Cached::Clean);
            }
            respond(sh, &file, true);
            if sh.report_clean {
                emit(
                    sh,
                    Decision {
                        time: chrono::Utc::now(),
                        path: job.path,
                        pid: job.pid,
                        access: job.access,
                        allowed: true,
                        cached: false,
                        verdict: Verdict::Clean,
                        reason: "clean".into(),
                        quarantined: None,
                        latency: job.t0.elapsed(),
                    },
                );
            }
        }
        Verdict::Infected { rule, severity } => {
            if unchanged {
                sh.cache.put(
                    job.key,
                    Cached::Infected {
                        rule: rule.clone(),
                        severity: severity.clone(),
                    },
                );
            }
            respond(sh, &file, false);
            let latency = job.t0.elapsed();
            inc(&sh.c.denied);
            let quarantined = sh
                .quarantine
                .as_ref()
                .and_then(|q| quarantine(sh, q, &file, &job.path, &job.key, &rule));
            emit(
                sh,
                Decision {
                    time: chrono::Utc::now(),
                    path: job.path,
                    pid: job.pid,
                    access: job.access,
                    allowed: false,
                    cached: false,
                    reason: format!("matched rule {rule}"),
                    verdict: Verdict::Infected { rule, severity },
                    quarantined,
                    latency,
                },
            );
        }
        Verdict::Unknown { reason } => {
            fail(sh, &file, job.pid, job.access, job.path, &reason, job.t0);
        }
    }
}

fn quarantine(
    sh: &Shared,
    q: &Quarantine,
    file: &File,
    path: &Path,
    key: &Key,
    rule: &str,
) -> Option<String> {
    let sha = match sha256_of(file) {
        Ok(s) => s,
        Err(e) => {
            inc(&sh.c.errors);
            tracing::error!(path = %path.display(), error = %e, "quarantine: hashing failed");
            return None;
        }
    };
    // The path may have been replaced since the event: only move the very
    // file that was judged.
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.dev() == key.dev && m.ino() == key.ino => {}
        _ => {
            tracing::warn!(path = %path.display(), "quarantine: file moved or replaced, left in place");
            return None;
        }
    }
    match q.put(path, &sha, rule) {
        Ok(e) => {
            inc(&sh.c.quarantined);
            Some(e.id)
        }
        Err(e) => {
            inc(&sh.c.errors);
            tracing::error!(error = %e, "quarantine failed");
            None
        }
    }
}

fn sha256_of(file: &File) -> std::io::Result<String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut off = 0u64;
    loop {
        let n = match file.read_at(&mut buf, off) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        h.update(&buf[..n]);
        off += n as u64;
    }
    Ok(hex::encode(h.finalize()))
}

/// Answer by the fail mode, and report it.
fn fail(
    sh: &Shared,
    fd: &impl AsRawFd,
    pid: i32,
    access: Access,
    path: PathBuf,
    why: &str,
    t0: Instant,
) {
    let allow = sh.fail_mode == FailMode::Open;
    respond(sh, fd, allow);
    fail_report(sh, pid, access, path, why, t0, allow);
}

fn fail_report(
    sh: &Shared,
    pid: i32,
    access: Access,
    path: PathBuf,
    why: &str,
    t0: Instant,
    allow: bool,
) {
    let latency = t0.elapsed();
    if allow {
        inc(&sh.c.failed_open);
    } else {
        inc(&sh.c.failed_closed);
        inc(&sh.c.denied);
    }
    emit(
        sh,
        Decision {
            time: chrono::Utc::now(),
            path,
            pid,
            access,
            allowed: allow,
            cached: false,
            verdict: Verdict::Unknown {
                reason: why.to_string(),
            },
            reason: format!("{why}: failed {}", if allow { "open" } else { "closed" }),
            quarantined: None,
            latency,
        },
    );
}

/// Answers one permission event (its descriptor, as an `OwnedFd` or the
/// `File` a worker made of it).
fn respond(sh: &Shared, fd: &impl AsRawFd, allow: bool) {
    if let Err(e) = fanotify::respond(sh.fan.as_raw_fd(), fd.as_raw_fd(), allow) {
        inc(&sh.c.errors);
        tracing::error!(error = %e, "fanotify response write");
    }
}

fn emit(sh: &Shared, d: Decision) {
    // A panicking callback must not take a scanning thread down with it.
    if catch_unwind(AssertUnwindSafe(|| (sh.on_decision)(&d))).is_err() {
        inc(&sh.c.errors);
        tracing::error!("on_decision callback panicked");
    }
}

fn fd_path(fd: &OwnedFd) -> Option<PathBuf> {
    let link = format!("/proc/self/fd/{}", fd.as_raw_fd());
    let p = std::fs::read_link(Path::new(&link)).ok()?;
    p.is_absolute().then_some(p)
}
