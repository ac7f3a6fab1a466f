//! End-to-end tests against the real kernel. The fanotify tests need root;
//! each mounts a private tmpfs so the mount mark only covers test files.
//! File accesses under test are made by child processes (`cat`, the copied
//! binaries): the guard always allows its own process.

use std::ffi::CString;
use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use yagura_onaccess::{
    Access, Config, Decision, Error, FailMode, Guard, Judge, Quarantine, Verdict,
};

/// fanotify groups and mounts are global: run these tests one at a time
/// (also keeps forks away from files being written: no ETXTBSY).
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn marker() -> Vec<u8> {
    // Assembled at run time so this source and binary carry no full marker.
    ["YAGURA", "-TEST-", "MALWARE"].concat().into_bytes()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        return true;
    }
    eprintln!("skipped: fanotify permission events and tmpfs mounts need root");
    false
}

struct Tmpfs {
    // Removed after Drop::drop has unmounted it.
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Tmpfs {
    fn new() -> Tmpfs {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().canonicalize().expect("canonicalize");
        let c = CString::new(path.as_os_str().as_bytes()).expect("cstring");
        // SAFETY: valid NUL-terminated strings for the call.
        let rc = unsafe {
            libc::mount(
                c"tmpfs".as_ptr(),
                c.as_ptr(),
                c"tmpfs".as_ptr(),
                0,
                c"size=16m,mode=0755".as_ptr().cast(),
            )
        };
        assert_eq!(rc, 0, "mount tmpfs: {}", std::io::Error::last_os_error());
        Tmpfs { _dir: dir, path }
    }
    fn file(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.path.join(name);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).expect("mkdir");
        }
        fs::write(&p, data).expect("write");
        p
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let c = CString::new(self.path.as_os_str().as_bytes()).expect("cstring");
        // SAFETY: valid path; lazy detach if something still holds it.
        unsafe {
            if libc::umount2(c.as_ptr(), 0) != 0 {
                libc::umount2(c.as_ptr(), libc::MNT_DETACH);
            }
        }
    }
}

struct TestJudge {
    calls: AtomicUsize,
    delay: Duration,
}

impl TestJudge {
    fn new(delay: Duration) -> Arc<TestJudge> {
        Arc::new(TestJudge {
            calls: AtomicUsize::new(0),
            delay,
        })
    }
}

impl Judge for TestJudge {
    fn judge(&self, file: &fs::File, _path: &Path) -> Verdict {
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        let mut data = Vec::new();
        let mut buf = [0u8; 8192];
        let mut off = 0u64;
        loop {
            match file.read_at(&mut buf, off) {
                Ok(0) => break,
                Ok(n) => {
                    data.extend_from_slice(&buf[..n]);
                    off += n as u64;
                }
                Err(e) => {
                    return Verdict::Unknown {
                        reason: e.to_string(),
                    }
                }
            }
        }
        let m = marker();
        if data.windows(m.len()).any(|w| w == m.as_slice()) {
            Verdict::Infected {
                rule: "test-marker".into(),
                severity: "high".into(),
            }
        } else {
            Verdict::Clean
        }
    }
}

type Log = Arc<Mutex<Vec<Decision>>>;

fn start(cfg: Config, judge: Arc<TestJudge>) -> (Guard, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let g = Guard::start(
        cfg,
        judge,
        Box::new(move |d| l.lock().unwrap_or_else(|e| e.into_inner()).push(d.clone())),
    )
    .expect("guard start");
    (g, log)
}

fn config(dir: &Path) -> Config {
    Config {
        watch: vec![dir.to_path_buf()],
        workers: 2,
        ..Config::default()
    }
}

fn cat(p: &Path) -> Output {
    Command::new("cat").arg(p).output().expect("run cat")
}

fn wait_for(log: &Log, pred: impl Fn(&[Decision]) -> bool) -> Vec<Decision> {
    let t = Instant::now();
    loop {
        let v = log.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if pred(&v) || t.elapsed() > Duration::from_secs(10) {
            return v;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn open_infected_denied_clean_allowed() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let fs_ = Tmpfs::new();
    let clean = fs_.file("docs/clean.txt", b"hello world\n");
    let mut bad_data = b"prefix ".to_vec();
    bad_data.extend(marker());
    let bad = fs_.file("docs/bad.txt", &bad_data);
    let judge = TestJudge::new(Duration::ZERO);
    let (guard, log) = start(config(&fs_.path), judge.clone());

    let out = cat(&clean);
    assert!(out.status.success(), "clean: {out:?}");
    assert_eq!(out.stdout, b"hello world\n");

    let out = cat(&bad);
    assert!(!out.status.success(), "infected file was readable");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Operation not permitted"), "stderr: {err}");

    // Our own process is never blocked (no self-deadlock).
    assert_eq!(fs::read(&bad).expect("own read"), bad_data);

    let v = wait_for(&log, |v| v.iter().any(|d| !d.allowed));
    let d = v.iter().find(|d| !d.allowed).expect("deny decision");
    assert_eq!(d.path, bad);
    assert_eq!(d.access, Access::Open);
    assert_eq!(d.reason, "matched rule test-marker");
    assert!(!d.cached);
    assert!(d.pid > 0 && d.pid != std::process::id() as i32);
    assert!(d.quarantined.is_none());
    assert!(
        matches!(&d.verdict, Verdict::Infected { rule, severity } if rule == "test-marker" && severity == "high")
    );
    // Clean results are not reported unless asked for.
    assert!(v.iter().all(|d| !d.allowed), "{v:?}");

    let stats = guard.stop().expect("stop");
    assert_eq!(stats.scans, 2, "{stats:?}");
    assert_eq!(stats.denied, 1, "{stats:?}");
    assert_eq!(judge.calls.load(Ordering::SeqCst), 2);
    // After stop nothing is intercepted any more.
    assert!(cat(&bad).status.success());
}

#[test]
fn exec_infected_denied_clean_runs() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let fs_ = Tmpfs::new();
    let truebin = fs::read("/bin/true").expect("read /bin/true");
    // Same file name in both dirs: multi-call binaries dispatch on argv[0].
    let clean = fs_.file("clean/true", &truebin);
    let mut bad_data = truebin.clone();
    bad_data.extend(marker());
    let bad = fs_.file("bad/true", &bad_data);
    for p in [&clean, &bad] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let judge = TestJudge::new(Duration::ZERO);
    let mut cfg = config(&fs_.path);
    cfg.exec_only = true;
    cfg.report_clean = true;
    let (guard, log) = start(cfg, judge);

    let st = Command::new(&clean)
        .status()
        .expect("clean binary must run");
    assert!(st.success());

    let err = Command::new(&bad)
        .status()
        .expect_err("infected binary must not run");
    let code = err.raw_os_error();
    assert!(
        code == Some(libc::EPERM) || code == Some(libc::EACCES),
        "{err:?}"
    );

    // exec_only: a plain open of the infected file is not checked.
    assert!(cat(&bad).status.success());

    let v = wait_for(&log, |v| v.iter().any(|d| !d.allowed));
    let deny = v.iter().find(|d| !d.allowed).expect("deny decision");
    assert_eq!(deny.path, bad);
    assert_eq!(deny.access, Access::Exec);
    let ok = v
        .iter()
        .find(|d| d.allowed && d.path == clean)
        .expect("clean decision (report_clean)");
    assert_eq!(ok.verdict, Verdict::Clean);
    assert_eq!(ok.access, Access::Exec);
    let stats = guard.stop().expect("stop");
    assert_eq!(stats.denied, 1, "{stats:?}");
}

#[test]
fn cache_hit_and_rescan_after_change() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let fs_ = Tmpfs::new();
    let f = fs_.file("a.txt", b"clean content\n");
    let judge = TestJudge::new(Duration::ZERO);
    let (guard, _log) = start(config(&fs_.path), judge.clone());

    assert!(cat(&f).status.success());
    assert!(cat(&f).status.success());
    assert_eq!(judge.calls.load(Ordering::SeqCst), 1);
    let s = guard.stats();
    assert!(s.cache_hits >= 1, "{s:?}");

    // Modified (by us: not intercepted) → new mtime/ctime/size → rescanned,
    // and now infected: the stale clean verdict must not be used.
    let mut h = fs::OpenOptions::new().append(true).open(&f).expect("open");
    h.write_all(&marker()).expect("append");
    drop(h);
    let out = cat(&f);
    assert!(!out.status.success(), "modified file served from cache");
    assert_eq!(judge.calls.load(Ordering::SeqCst), 2);

    // Infected verdicts are cached too.
    assert!(!cat(&f).status.success());
    assert_eq!(judge.calls.load(Ordering::SeqCst), 2);
    let s = guard.stop().expect("stop");
    assert!(s.cache_hits >= 2, "{s:?}");
    assert_eq!(s.denied, 2, "{s:?}");
}

fn burst(fail_mode: FailMode) -> (Vec<Output>, Vec<Decision>, yagura_onaccess::Stats) {
    let fs_ = Tmpfs::new();
    let files: Vec<PathBuf> = (0..8)
        .map(|i| fs_.file(&format!("f{i}.txt"), format!("file {i}\n").as_bytes()))
        .collect();
    let judge = TestJudge::new(Duration::from_millis(300));
    let mut cfg = config(&fs_.path);
    cfg.queue = 1;
    cfg.workers = 1;
    cfg.fail_mode = fail_mode;
    let (guard, log) = start(cfg, judge);
    let t = Instant::now();
    let children: Vec<_> = files
        .iter()
        .map(|f| {
            Command::new("cat")
                .arg(f)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn cat")
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait cat"))
        .collect();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let stats = guard.stop().expect("stop");
    let v = log.lock().unwrap_or_else(|e| e.into_inner()).clone();
    (outs, v, stats)
}

#[test]
fn fail_open_when_scanner_behind() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let (outs, v, stats) = burst(FailMode::Open);
    assert!(outs.iter().all(|o| o.status.success()), "{outs:?}");
    let failed: Vec<_> = v
        .iter()
        .filter(|d| d.reason == "scanner behind: failed open")
        .collect();
    assert!(!failed.is_empty(), "no fail-open decision: {v:?}");
    assert!(failed.iter().all(|d| d.allowed && !d.cached));
    assert_eq!(stats.failed_open as usize, failed.len(), "{stats:?}");
    assert_eq!(stats.queue_full, stats.failed_open, "{stats:?}");
    assert_eq!(stats.failed_closed, 0);
    assert_eq!(stats.scans + stats.failed_open, 8, "{stats:?}");
}

#[test]
fn fail_closed_when_scanner_behind() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let (outs, v, stats) = burst(FailMode::Closed);
    let denied = outs.iter().filter(|o| !o.status.success()).count();
    assert!(denied >= 1, "nothing denied: {stats:?}");
    assert!(denied < 8, "everything denied: {stats:?}");
    assert_eq!(stats.failed_closed as usize, denied, "{stats:?}");
    assert!(v
        .iter()
        .filter(|d| !d.allowed)
        .all(|d| d.reason == "scanner behind: failed closed"));
    assert_eq!(stats.failed_open, 0);
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[test]
fn quarantine_round_trip() {
    let _s = serial();
    let work = tempfile::tempdir().expect("tempdir");
    let qdir = work.path().join("q");
    let q = Quarantine::new(qdir.clone()).expect("quarantine");
    assert_eq!(fs::metadata(&qdir).expect("qdir").mode() & 0o777, 0o700);

    let orig = work.path().join("evil.sh");
    let data = b"#!/bin/sh\necho evil\n";
    fs::write(&orig, data).expect("write");
    fs::set_permissions(&orig, fs::Permissions::from_mode(0o750)).expect("chmod");
    let md = fs::metadata(&orig).expect("stat");
    let sha = sha256_hex(data);

    let e = q.put(&orig, &sha, "rule-x").expect("put");
    assert!(!orig.exists());
    let bin = qdir.join(format!("{}.bin", e.id));
    assert_eq!(fs::metadata(&bin).expect("bin").mode() & 0o777, 0o400);
    assert_eq!(fs::read(&bin).expect("read bin"), data);
    assert!(qdir.join(format!("{}.json", e.id)).exists());
    assert_eq!(e.original_path, orig);
    assert_eq!((e.mode, e.uid, e.gid), (0o750, md.uid(), md.gid()));

    let list = q.list().expect("list");
    assert_eq!(list, vec![e.clone()]);
    assert_eq!(list[0].sha256, sha);
    assert_eq!(list[0].rule, "rule-x");

    // Restore refuses to overwrite, and keeps the entry.
    fs::write(&orig, b"new file").expect("write");
    match q.restore(&e.id, None) {
        Err(Error::Exists(p)) => assert_eq!(p, orig),
        other => panic!("expected Exists, got {other:?}"),
    }
    assert_eq!(fs::read(&orig).expect("read"), b"new file");
    assert_eq!(q.list().expect("list").len(), 1);
    fs::remove_file(&orig).expect("rm");

    let back = q.restore(&e.id, None).expect("restore");
    assert_eq!(back, orig);
    assert_eq!(fs::read(&orig).expect("read"), data);
    let md2 = fs::metadata(&orig).expect("stat");
    assert_eq!(md2.mode() & 0o7777, 0o750);
    assert_eq!((md2.uid(), md2.gid()), (md.uid(), md.gid()));
    assert!(q.list().expect("list").is_empty());
    assert!(!bin.exists());
    assert!(matches!(q.restore(&e.id, None), Err(Error::NotFound(_))));

    // Restore elsewhere.
    let e2 = q.put(&orig, &sha, "rule-y").expect("put");
    let other = work.path().join("restored");
    assert_eq!(q.restore(&e2.id, Some(&other)).expect("restore"), other);
    assert_eq!(fs::read(&other).expect("read"), data);

    // Ids cannot escape the store.
    assert!(matches!(
        q.restore("../evil", None),
        Err(Error::InvalidId(_))
    ));

    // Bad metadata: an error naming the file, not a panic.
    let e3 = q.put(&other, &sha, "rule-z").expect("put");
    fs::write(qdir.join("broken.json"), b"{not json").expect("write");
    let err = q.list().expect_err("bad metadata must fail").to_string();
    assert!(err.contains("broken.json"), "{err}");
    let (good, bad) = q.list_lenient().expect("lenient");
    assert_eq!(good, vec![e3]);
    assert_eq!(bad.len(), 1);
}

#[test]
fn quarantine_across_filesystems() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let fs_ = Tmpfs::new();
    let work = tempfile::tempdir().expect("tempdir");
    let q = Quarantine::new(work.path().join("q")).expect("quarantine");
    let f = fs_.file("x.bin", b"payload");
    fs::set_permissions(&f, fs::Permissions::from_mode(0o604)).expect("chmod");
    let c = CString::new(f.as_os_str().as_bytes()).expect("cstring");
    // SAFETY: NUL-terminated path valid for the call.
    assert_eq!(unsafe { libc::chown(c.as_ptr(), 1234, 5678) }, 0);
    let e = q
        .put(&f, &sha256_hex(b"payload"), "r")
        .expect("put (EXDEV copy)");
    assert!(!f.exists());
    let back = q.restore(&e.id, None).expect("restore (EXDEV copy)");
    let md = fs::metadata(&back).expect("stat");
    assert_eq!(fs::read(&back).expect("read"), b"payload");
    assert_eq!(
        (md.mode() & 0o7777, md.uid(), md.gid()),
        (0o604, 1234, 5678)
    );
}

#[test]
fn deny_moves_file_to_quarantine() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let fs_ = Tmpfs::new();
    let work = tempfile::tempdir().expect("tempdir");
    let qdir = work.path().join("q");
    let mut data = b"dropper ".to_vec();
    data.extend(marker());
    let bad = fs_.file("dl/bad.bin", &data);
    let mut cfg = config(&fs_.path);
    cfg.quarantine = Some(Quarantine::new(qdir.clone()).expect("quarantine"));
    let (guard, log) = start(cfg, TestJudge::new(Duration::ZERO));

    assert!(!cat(&bad).status.success());
    let v = wait_for(&log, |v| v.iter().any(|d| d.quarantined.is_some()));
    let id = v
        .iter()
        .find_map(|d| d.quarantined.clone())
        .expect("quarantined decision");
    assert!(!bad.exists(), "infected file left in place");
    let stats = guard.stop().expect("stop");
    assert_eq!(stats.quarantined, 1, "{stats:?}");

    let entries = Quarantine::new(qdir).expect("reopen").list().expect("list");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, id);
    assert_eq!(entries[0].original_path, bad);
    assert_eq!(entries[0].rule, "test-marker");
    assert_eq!(entries[0].sha256, sha256_hex(&data));
}

struct Panics;

impl Judge for Panics {
    fn judge(&self, _file: &fs::File, _path: &Path) -> Verdict {
        panic!("test judge panics on purpose");
    }
}

#[test]
fn judge_panic_follows_fail_mode_and_filesystem_mark() {
    let _s = serial();
    if !is_root() {
        return;
    }
    let fs_ = Tmpfs::new();
    let f = fs_.file("a.txt", b"anything");
    let mut cfg = config(&fs_.path);
    cfg.fail_mode = FailMode::Closed;
    cfg.mark_filesystem = true;
    let log: Log = Arc::default();
    let l = log.clone();
    let guard = Guard::start(
        cfg,
        Arc::new(Panics),
        Box::new(move |d| l.lock().unwrap_or_else(|e| e.into_inner()).push(d.clone())),
    )
    .expect("start");
    assert!(!cat(&f).status.success(), "judge panic must fail closed");
    // Still alive after the panic: the next event is answered too.
    assert!(!cat(&f).status.success());
    let v = wait_for(&log, |v| v.len() >= 2);
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(v
        .iter()
        .all(|d| !d.allowed && d.reason == "judge panicked: failed closed"));
    let s = guard.stop().expect("stop");
    assert_eq!(
        (s.failed_closed, s.errors, s.cache_hits),
        (2, 2, 0),
        "{s:?}"
    );
}

#[test]
fn start_errors_name_the_path() {
    let missing = PathBuf::from("/nonexistent/yagura-onaccess-test");
    let cfg = Config {
        watch: vec![missing],
        ..Config::default()
    };
    let err = Guard::start(cfg, TestJudge::new(Duration::ZERO), Box::new(|_| {}))
        .err()
        .expect("must fail");
    assert!(
        err.to_string()
            .contains("/nonexistent/yagura-onaccess-test"),
        "{err}"
    );
    let err = Guard::start(
        Config::default(),
        TestJudge::new(Duration::ZERO),
        Box::new(|_| {}),
    )
    .err()
    .expect("must fail");
    assert!(matches!(err, Error::Config(_)), "{err}");
}
