//! The process table: seeded from /proc, kept current from fork/exec/exit
//! records, and used to turn kernel records into self-contained events.
//!
//! Container IDs come from cgroup names synchronously (from the record, or
//! /proc when seeding); names, images and pod labels come asynchronously from
//! the [`yagura_container::Resolver`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use yagura_container::{ContainerRef, Resolver};
use yagura_event::{Ancestor, Args, Connection, Container, Event, EventType, Process, SockAddr};

use crate::abi::{ProcRecord, SysRecord, EV_EXEC, EV_EXIT, EV_FORK};
use crate::syscalls;

const MAX_ANCESTORS: usize = 6;
const AT_FDCWD: i64 = -100;

#[derive(Debug, Clone)]
struct Entry {
    proc: Process,
    container: Option<ContainerRef>,
    snapshot: Option<Arc<Process>>,
}

/// Maps uids and gids to names, from a passwd/group file pair.
#[derive(Debug, Clone, Default)]
pub struct UserDb {
    users: HashMap<u32, String>,
    groups: HashMap<u32, String>,
}

impl UserDb {
    pub fn load(root: &Path) -> UserDb {
        let parse = |file: &str| -> HashMap<u32, String> {
            let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
            text.lines()
                .filter_map(|l| {
                    let mut parts = l.split(':');
                    let name = parts.next()?;
                    let _pw = parts.next()?;
                    let id = parts.next()?.parse().ok()?;
                    Some((id, name.to_string()))
                })
                .collect()
        };
        UserDb {
            users: parse("etc/passwd"),
            groups: parse("etc/group"),
        }
    }
    pub fn user(&self, uid: u32) -> String {
        self.users.get(&uid).cloned().unwrap_or_default()
    }
    pub fn group(&self, gid: u32) -> String {
        self.groups.get(&gid).cloned().unwrap_or_default()
    }
}

/// Converts CLOCK_BOOTTIME stamps from the kernel into wall-clock time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    boot_to_wall_ns: i128,
}

impl Clock {
    pub fn now() -> Clock {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: ts is a valid timespec.
        unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) };
        let boot = ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128;
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        Clock {
            boot_to_wall_ns: wall - boot,
        }
    }
    pub fn wall(&self, boot_ns: u64) -> u64 {
        (boot_ns as i128 + self.boot_to_wall_ns).max(0) as u64
    }
}

pub struct ProcessTable {
    procs: HashMap<u32, Entry>,
    users: UserDb,
    clock: Clock,
    resolver: Option<Resolver>,
    host: Arc<Container>,
    /// Earliest process start seen per container (wall ns): the container's
    /// start when the runtime does not say.
    container_start: HashMap<String, u64>,
    proc_root: std::path::PathBuf,
    next_num: u64,
}

fn read_link(p: &Path) -> String {
    std::fs::read_link(p)
        .map(|l| l.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl ProcessTable {
    pub fn new(resolver: Option<Resolver>) -> ProcessTable {
        ProcessTable {
            procs: HashMap::new(),
            users: UserDb::load(Path::new("/")),
            clock: Clock::now(),
            resolver,
            host: Arc::new(Container::host()),
            container_start: HashMap::new(),
            proc_root: "/proc".into(),
            next_num: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.procs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.procs.is_empty()
    }

    /// Reads every process in /proc. Processes that vanish meanwhile are skipped.
    pub fn seed_from_proc(&mut self) -> usize {
        let Ok(dir) = std::fs::read_dir(&self.proc_root) else {
            return 0;
        };
        let boot_wall = self.clock.wall(0);
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        for ent in dir.flatten() {
            let Some(pid) = ent.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let base = self.proc_root.join(pid.to_string());
            let Ok(stat) = std::fs::read_to_string(base.join("stat")) else {
                continue;
            };
            // comm may hold spaces and parens: split at the last ')'.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let name = stat[open + 1..close].to_string();
            let rest: Vec<&str> = stat[close + 1..].split_whitespace().collect();
            let ppid = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
            let sid = rest.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
            let tty = rest.get(4).and_then(|s| s.parse().ok()).unwrap_or(0);
            let start_ticks: u64 = rest.get(19).and_then(|s| s.parse().ok()).unwrap_or(0);
            let status = std::fs::read_to_string(base.join("status")).unwrap_or_default();
            let ids = |key: &str| -> Vec<u32> {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(|v| {
                        v.split_whitespace()
                            .filter_map(|x| x.parse().ok())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let uids = ids("Uid:");
            let gids = ids("Gid:");
            let cmdline = std::fs::read(base.join("cmdline")).unwrap_or_default();
            let mut argv: Vec<String> = cmdline
                .split(|&c| c == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect();
            let exe = if argv.is_empty() {
                String::new()
            } else {
                argv.remove(0)
            };
            let loginuid = std::fs::read_to_string(base.join("loginuid"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(u32::MAX);
            let container = std::fs::read_to_string(base.join("cgroup"))
                .ok()
                .and_then(|t| yagura_container::container_from_proc_cgroup(&t));
            let uid = uids.first().copied().unwrap_or(0);
            let gid = gids.first().copied().unwrap_or(0);
            let start_ns = boot_wall + start_ticks * (1_000_000_000 / hz);
            let proc = Process {
                pid,
                ppid,
                name,
                exe,
                exepath: read_link(&base.join("exe")),
                args: argv,
                cwd: read_link(&base.join("cwd")),
                uid,
                gid,
                euid: uids.get(1).copied().unwrap_or(uid),
                egid: gids.get(1).copied().unwrap_or(gid),
                loginuid,
                user: self.users.user(uid),
                loginuser: self.login_name(loginuid),
                group: self.users.group(gid),
                tty,
                sid,
                start_ns,
                container_id: container
                    .as_ref()
                    .map(|c| c.short_id().to_string())
                    .unwrap_or_else(|| "host".into()),
                ..Default::default()
            };
            if let Some(c) = &container {
                self.note_container_start(c, start_ns);
            }
            self.insert(pid, proc, container);
        }
        self.procs.len()
    }

    fn insert(&mut self, pid: u32, proc: Process, container: Option<ContainerRef>) {
        self.procs.insert(
            pid,
            Entry {
                proc,
                container,
                snapshot: None,
            },
        );
    }

    fn login_name(&self, loginuid: u32) -> String {
        if loginuid == u32::MAX {
            String::new()
        } else {
            self.users.user(loginuid)
        }
    }

    fn note_container_start(&mut self, c: &ContainerRef, start_ns: u64) {
        let e = self
            .container_start
            .entry(c.full_id.clone())
            .or_insert(start_ns);
        if start_ns < *e {
            *e = start_ns;
        }
    }

    fn container_of(&self, names: &[String; 4]) -> Option<ContainerRef> {
        // Nearest first per hierarchy: v2 leaf/parent, then v1 leaf/parent.
        for pair in [[&names[0], &names[1]], [&names[2], &names[3]]] {
            let list: Vec<&str> = pair
                .iter()
                .map(|s| s.as_str())
                .filter(|s| !s.is_empty())
                .collect();
            if let Some(c) = yagura_container::container_from_cgroup_names(&list) {
                return Some(c);
            }
        }
        None
    }

    /// Applies a fork, exec or exit record; returns the event for exec
    /// (and for a kill at exec), `None` otherwise.
    pub fn apply(&mut self, rec: &ProcRecord) -> Option<Event> {
        match rec.kind {
            EV_FORK => {
                let container = self.container_of(&rec.cgroups);
                let parent = self.procs.get(&rec.ppid).cloned();
                let start_ns = self.clock.wall(rec.start_time);
                let mut proc = parent.as_ref().map(|p| p.proc.clone()).unwrap_or_default();
                proc.pid = rec.tgid;
                proc.ppid = rec.ppid;
                proc.name = rec.comm.clone();
                proc.uid = rec.uid;
                proc.gid = rec.gid;
                proc.euid = rec.euid;
                proc.egid = rec.egid;
                proc.loginuid = rec.loginuid;
                proc.start_ns = start_ns;
                proc.ancestors.clear();
                proc.container_id = container
                    .as_ref()
                    .map(|c| c.short_id().to_string())
                    .unwrap_or_else(|| "host".into());
                if let Some(c) = &container {
                    self.note_container_start(c, start_ns);
                    if let Some(p) = &parent {
                        self.note_container_start(c, p.proc.start_ns);
                    }
                    // The parent shares the child's cgroup at fork time; it may
                    // have moved there without an exec we could see.
                    if let Some(p) = self.procs.get_mut(&rec.ppid) {
                        if p.container.is_none() {
                            p.proc.container_id = c.short_id().to_string();
                            p.container = Some(c.clone());
                            p.snapshot = None;
                        }
                    }
                }
                self.insert(rec.tgid, proc, container);
                None
            }
            EV_EXEC => {
                let container = self.container_of(&rec.cgroups);
                let start_ns = self.clock.wall(rec.start_time);
                let old = self.procs.remove(&rec.tgid);
                let cwd = {
                    let c = read_link(&self.proc_root.join(rec.tgid.to_string()).join("cwd"));
                    if c.is_empty() {
                        old.as_ref().map(|o| o.proc.cwd.clone()).unwrap_or_default()
                    } else {
                        c
                    }
                };
                let mut argv = rec.argv.clone();
                let exe = if argv.is_empty() {
                    rec.filename.clone()
                } else {
                    argv.remove(0)
                };
                let from_memfd = rec.exe_name.starts_with("memfd:");
                let exepath = if from_memfd {
                    rec.exe_name.clone()
                } else if rec.filename.starts_with('/') {
                    rec.filename.clone()
                } else {
                    join(&cwd, &rec.filename)
                };
                let container_start = container.as_ref().and_then(|c| {
                    self.note_container_start(c, start_ns);
                    self.container_start.get(&c.full_id).copied()
                });
                // A binary modified after the container started was not part
                // of its image: written (dropped) by something inside it.
                // mtime has whole seconds here: a file changed in the second
                // the container started counts as written.
                let exe_written = match container_start {
                    Some(cs) => rec.exe_mtime > 0 && rec.exe_mtime as u64 >= cs / 1_000_000_000,
                    None => false,
                };
                let proc = Process {
                    pid: rec.tgid,
                    ppid: rec.ppid,
                    name: rec.comm.clone(),
                    exe,
                    exepath,
                    args: argv,
                    cwd,
                    uid: rec.uid,
                    gid: rec.gid,
                    euid: rec.euid,
                    egid: rec.egid,
                    loginuid: rec.loginuid,
                    user: self.users.user(rec.uid),
                    loginuser: self.login_name(rec.loginuid),
                    group: self.users.group(rec.gid),
                    tty: old.as_ref().map(|o| o.proc.tty).unwrap_or(0),
                    sid: old.as_ref().map(|o| o.proc.sid).unwrap_or(0),
                    start_ns,
                    exe_written,
                    exe_from_memfd: from_memfd,
                    ancestors: Vec::new(),
                    container_id: container
                        .as_ref()
                        .map(|c| c.short_id().to_string())
                        .unwrap_or_else(|| "host".into()),
                };
                self.insert(rec.tgid, proc, container);
                let who = self.snapshot(rec.tgid, &rec.comm);
                let args = Args {
                    path: Some(who.0.exepath.clone()),
                    ..Default::default()
                };
                Some(self.event(rec.ts, EventType::Execve, rec.tid, Some(0), args, who))
            }
            EV_EXIT => {
                self.procs.remove(&rec.tgid);
                None
            }
            _ => None,
        }
    }

    fn event(
        &mut self,
        ts: u64,
        kind: EventType,
        tid: u32,
        res: Option<i64>,
        args: Args,
        (process, container): (Arc<Process>, Arc<Container>),
    ) -> Event {
        self.next_num += 1;
        Event {
            num: self.next_num,
            ts_ns: self.clock.wall(ts),
            kind,
            tid,
            res,
            args,
            process,
            container,
        }
    }

    /// The process and container of `pid` as shared snapshots.
    fn snapshot(&mut self, pid: u32, comm: &str) -> (Arc<Process>, Arc<Container>) {
        if !self.procs.contains_key(&pid) {
            // Started before seeding finished, or its fork was lost: learn what
            // /proc still says.
            let proc = Process {
                pid,
                name: comm.to_string(),
                container_id: "host".into(),
                loginuid: u32::MAX,
                ..Default::default()
            };
            let container =
                std::fs::read_to_string(self.proc_root.join(pid.to_string()).join("cgroup"))
                    .ok()
                    .and_then(|t| yagura_container::container_from_proc_cgroup(&t));
            let mut proc = proc;
            if let Some(c) = &container {
                proc.container_id = c.short_id().to_string();
            }
            self.insert(pid, proc, container);
        }
        let needs = self.procs.get(&pid).is_some_and(|e| e.snapshot.is_none());
        if needs {
            let mut ancestors = Vec::new();
            let mut cur = self.procs.get(&pid).map(|e| e.proc.ppid).unwrap_or(0);
            while cur != 0 && ancestors.len() < MAX_ANCESTORS {
                let Some(p) = self.procs.get(&cur) else { break };
                ancestors.push(Ancestor {
                    pid: p.proc.pid,
                    name: p.proc.name.clone(),
                    exepath: p.proc.exepath.clone(),
                    args: p.proc.args.clone(),
                });
                if p.proc.ppid == cur {
                    break;
                }
                cur = p.proc.ppid;
            }
            if let Some(e) = self.procs.get_mut(&pid) {
                let mut p = e.proc.clone();
                p.ancestors = ancestors;
                e.snapshot = Some(Arc::new(p));
            }
        }
        let Some(e) = self.procs.get(&pid) else {
            return (Arc::new(Process::default()), self.host.clone());
        };
        let process = e
            .snapshot
            .clone()
            .unwrap_or_else(|| Arc::new(e.proc.clone()));
        let container = match (&e.container, &self.resolver) {
            (None, _) => self.host.clone(),
            (Some(c), Some(r)) => r.resolve(c),
            (Some(c), None) => Arc::new(c.to_container()),
        };
        (process, container)
    }

    /// Turns a syscall record into an event. `None` for syscalls the sensor
    /// does not name.
    pub fn convert(&mut self, rec: &SysRecord) -> Option<Event> {
        let kind = syscalls::event_type(rec.nr)?;
        let (mut process, container) = self.snapshot(rec.tgid, &rec.comm);
        // The kernel's comm at the syscall is authoritative for proc.name: a
        // thread may be named differently, or the process renamed itself
        // (prctl PR_SET_NAME) without an exec.
        if !rec.comm.is_empty() && rec.comm != process.name {
            let mut p = (*process).clone();
            p.name = rec.comm.clone();
            process = Arc::new(p);
        }
        let mut args = Args::default();
        let a = &rec.args;
        let path = |p: &str, dirfd: i64| -> Option<String> {
            if p.is_empty() {
                return None;
            }
            if p.starts_with('/') {
                return Some(p.to_string());
            }
            let base = if dirfd == AT_FDCWD {
                process.cwd.clone()
            } else {
                read_link(
                    &self
                        .proc_root
                        .join(rec.tgid.to_string())
                        .join("fd")
                        .join(dirfd.to_string()),
                )
            };
            Some(join(&base, p))
        };
        use EventType as T;
        match kind {
            T::Open | T::Creat => {
                args.path = path(&rec.path, AT_FDCWD);
                args.flags = Some(a[5]);
                args.mode = Some(if kind == T::Creat { a[1] } else { a[2] } as u32);
                args.fd = (rec.res >= 0).then_some(rec.res);
            }
            T::Openat | T::Openat2 => {
                args.path = path(&rec.path, a[0] as i32 as i64);
                args.flags = Some(a[5]);
                args.mode = Some(a[3] as u32);
                args.fd = (rec.res >= 0).then_some(rec.res);
            }
            T::Rename => {
                args.path = path(&rec.path, AT_FDCWD);
                args.target = path(&rec.path2, AT_FDCWD);
            }
            T::Renameat | T::Renameat2 => {
                args.path = path(&rec.path, a[0] as i32 as i64);
                args.target = path(&rec.path2, a[2] as i32 as i64);
                if kind == T::Renameat2 {
                    args.flags = Some(a[4]);
                }
            }
            T::Unlink => args.path = path(&rec.path, AT_FDCWD),
            T::Unlinkat => {
                args.path = path(&rec.path, a[0] as i32 as i64);
                args.flags = Some(a[2]);
            }
            T::Chmod => {
                args.path = path(&rec.path, AT_FDCWD);
                args.mode = Some(a[1] as u32);
            }
            T::Fchmodat => {
                args.path = path(&rec.path, a[0] as i32 as i64);
                args.mode = Some(a[2] as u32);
            }
            T::Fchmod => {
                args.fd = Some(a[0] as i32 as i64);
                args.mode = Some(a[1] as u32);
                args.path = non_empty(read_link(
                    &self
                        .proc_root
                        .join(rec.tgid.to_string())
                        .join("fd")
                        .join((a[0] as i32).to_string()),
                ));
            }
            T::Chown | T::Lchown => {
                args.path = path(&rec.path, AT_FDCWD);
                args.uid = Some(a[1] as u32);
                args.gid = Some(a[2] as u32);
            }
            T::Fchownat => {
                args.path = path(&rec.path, a[0] as i32 as i64);
                args.uid = Some(a[2] as u32);
                args.gid = Some(a[3] as u32);
            }
            T::Fchown => {
                args.fd = Some(a[0] as i32 as i64);
                args.uid = Some(a[1] as u32);
                args.gid = Some(a[2] as u32);
            }
            T::Connect | T::Bind | T::Listen | T::Accept | T::Accept4 => {
                args.fd = Some(if matches!(kind, T::Accept | T::Accept4) {
                    rec.res
                } else {
                    a[0] as i32 as i64
                });
                if kind == T::Listen {
                    args.backlog = Some(a[1] as i32 as i64);
                }
                args.connection = Some(connection(rec, kind));
            }
            T::Ptrace => {
                args.request = Some(a[0] as i64);
                args.target_pid = Some(a[1] as u32);
            }
            T::Setuid => args.uid = Some(a[0] as u32),
            T::Setgid => args.gid = Some(a[0] as u32),
            T::Setreuid | T::Setresuid => args.uid = Some(a[1] as u32),
            T::Setregid | T::Setresgid => args.gid = Some(a[1] as u32),
            T::Setns => {
                args.fd = Some(a[0] as i32 as i64);
                args.flags = Some(a[1]);
            }
            T::Unshare => args.flags = Some(a[0]),
            T::Mount => {
                args.source = non_empty(rec.path.clone());
                args.target = path(&rec.path2, AT_FDCWD);
                args.fstype = non_empty(rec.small.clone());
                args.flags = Some(a[3]);
            }
            T::InitModule => {}
            T::FinitModule => {
                args.fd = Some(a[0] as i32 as i64);
                args.flags = Some(a[2]);
            }
            T::MemfdCreate => {
                args.name = non_empty(rec.path.clone());
                args.flags = Some(a[1]);
            }
            T::Bpf => args.cmd = Some(a[0] as i64),
            _ => {}
        }
        // A syscall killed at entry has no result.
        let res = if rec.killed_by != 0 {
            None
        } else {
            Some(rec.res)
        };
        let ev = self.event(rec.ts, kind, rec.tid, res, args, (process, container));
        if res == Some(0) {
            self.apply_credentials(rec.tgid, kind, a);
        }
        Some(ev)
    }

    /// Successful set*id calls change who the process is for later events;
    /// the event itself still shows the identity it was made under.
    fn apply_credentials(&mut self, pid: u32, kind: EventType, a: &[u64; 6]) {
        let Some(e) = self.procs.get_mut(&pid) else {
            return;
        };
        let id = |v: u64| -> Option<u32> {
            let v = v as u32;
            (v != u32::MAX).then_some(v)
        };
        let p = &mut e.proc;
        match kind {
            EventType::Setuid => {
                if let Some(u) = id(a[0]) {
                    if p.euid == 0 {
                        p.uid = u;
                    }
                    p.euid = u;
                }
            }
            EventType::Setgid => {
                if let Some(g) = id(a[0]) {
                    if p.euid == 0 {
                        p.gid = g;
                    }
                    p.egid = g;
                }
            }
            EventType::Setreuid | EventType::Setresuid => {
                if let Some(u) = id(a[0]) {
                    p.uid = u;
                }
                if let Some(u) = id(a[1]) {
                    p.euid = u;
                }
            }
            EventType::Setregid | EventType::Setresgid => {
                if let Some(g) = id(a[0]) {
                    p.gid = g;
                }
                if let Some(g) = id(a[1]) {
                    p.egid = g;
                }
            }
            _ => return,
        }
        p.user = self.users.user(p.uid);
        p.group = self.users.group(p.gid);
        e.snapshot = None;
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Joins a relative path onto a directory, folding `.` and `..`.
pub fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn connection(rec: &SysRecord, kind: EventType) -> Connection {
    let proto = match (rec.sk_family, rec.sk_proto) {
        (1, _) => "unix",
        (_, 6) => "tcp",
        (_, 17) => "udp",
        _ => "",
    };
    let mut c = Connection {
        l4proto: proto.into(),
        ..Default::default()
    };
    let sa = sockaddr(&rec.sockaddr);
    if let (Some(l), Some(r)) = (rec.local_ip(), rec.remote_ip()) {
        c.local = Some(SockAddr::Inet {
            ip: l,
            port: rec.lport,
        });
        let remote = SockAddr::Inet {
            ip: r,
            port: rec.rport,
        };
        // A failed connect leaves the socket without a peer: use the address
        // the caller asked for.
        c.remote = match (&sa, kind) {
            (Some(sa @ SockAddr::Inet { .. }), EventType::Connect) if rec.rport == 0 => {
                Some(sa.clone())
            }
            _ => Some(remote),
        };
        if matches!(kind, EventType::Bind | EventType::Listen) {
            c.remote = None;
        }
    } else if let Some(sa) = sa {
        match kind {
            EventType::Bind => c.local = Some(sa),
            _ => c.remote = Some(sa),
        }
        if c.l4proto.is_empty() {
            if let Some(SockAddr::Unix { .. }) = &c.remote.as_ref().or(c.local.as_ref()) {
                c.l4proto = "unix".into();
            }
        }
    }
    c
}

/// Parses a `struct sockaddr` as passed to connect/bind.
pub fn sockaddr(b: &[u8]) -> Option<SockAddr> {
    if b.len() < 2 {
        return None;
    }
    let family = u16::from_ne_bytes([b[0], b[1]]);
    match family {
        1 => {
            let raw = &b[2..];
            let end = raw.iter().position(|&c| c == 0).unwrap_or(raw.len());
            let path = if end == 0 && raw.len() > 1 {
                // Abstract socket: leading NUL, shown with '@' as ss does.
                let rest = &raw[1..];
                let e = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
                format!("@{}", String::from_utf8_lossy(&rest[..e]))
            } else {
                String::from_utf8_lossy(&raw[..end]).into_owned()
            };
            Some(SockAddr::Unix { path })
        }
        2 if b.len() >= 8 => Some(SockAddr::Inet {
            ip: IpAddr::from([b[4], b[5], b[6], b[7]]),
            port: u16::from_be_bytes([b[2], b[3]]),
        }),
        10 if b.len() >= 24 => {
            let mut ip = [0u8; 16];
            ip.copy_from_slice(&b[8..24]);
            Some(SockAddr::Inet {
                ip: IpAddr::from(ip),
                port: u16::from_be_bytes([b[2], b[3]]),
            })
        }
        f => Some(SockAddr::Other { family: f }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_folds_dots() {
        assert_eq!(join("/home/u", "../etc/./shadow"), "/home/etc/shadow");
        assert_eq!(join("/", "a"), "/a");
    }

    #[test]
    fn sockaddr_inet_and_unix() {
        let mut b = vec![2u8, 0, 0x0d, 0x05, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            sockaddr(&b),
            Some(SockAddr::Inet {
                ip: "1.2.3.4".parse().unwrap(),
                port: 3333
            })
        );
        b = vec![1, 0];
        b.extend_from_slice(b"/run/x.sock\0");
        assert_eq!(
            sockaddr(&b),
            Some(SockAddr::Unix {
                path: "/run/x.sock".into()
            })
        );
    }

    #[test]
    fn seeding_finds_this_process() {
        let mut t = ProcessTable::new(None);
        assert!(t.seed_from_proc() > 0);
        let me = std::process::id();
        let (p, _) = t.snapshot(me, "");
        assert_eq!(p.pid, me);
        assert!(!p.exepath.is_empty());
    }
}
