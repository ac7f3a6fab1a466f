//! Single-thread throughput of the rule engine on synthetic events.
//!
//! `cargo run --release -p yagura-rules --example bench_engine -- [RULES.yaml...] [--events N]
//! [--pool K] [--hostile]`: `--pool` generates K distinct events and cycles through them,
//! `--hostile` uses a mix where a third of the events raise alerts (worst case).
//! Without files it uses the upstream Falco rules from ../shared/falco-rules.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use yagura_event::{
    open_flags, Ancestor, Args, Connection, Container, Event, EventType, Process, SockAddr,
};
use yagura_rules::{compile, load_rules_files, Engine, EngineOptions};

/// Deterministic xorshift so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

fn processes(containers: &[Arc<Container>]) -> Vec<(Arc<Process>, Arc<Container>)> {
    let progs = [
        ("nginx", "/usr/sbin/nginx", "nginx"),
        ("python3", "/usr/bin/python3", "bash"),
        ("bash", "/bin/bash", "sshd"),
        ("sh", "/bin/sh", "containerd-shim"),
        ("curl", "/usr/bin/curl", "bash"),
        ("java", "/usr/bin/java", "systemd"),
        ("node", "/usr/bin/node", "runc"),
        ("cat", "/bin/cat", "bash"),
        ("sshd", "/usr/sbin/sshd", "systemd"),
        (
            "postgres",
            "/usr/lib/postgresql/16/bin/postgres",
            "postgres",
        ),
    ];
    let mut out = Vec::new();
    for (i, (name, exe, parent)) in progs.iter().enumerate() {
        for c in containers {
            out.push((
                Arc::new(Process {
                    pid: 1000 + i as u32,
                    ppid: 900,
                    name: name.to_string(),
                    exe: name.to_string(),
                    exepath: exe.to_string(),
                    args: vec!["-c".into(), "echo hello world".into()],
                    cwd: "/srv".into(),
                    uid: 1000,
                    euid: if i % 3 == 0 { 0 } else { 1000 },
                    loginuid: u32::MAX,
                    user: "app".into(),
                    group: "app".into(),
                    tty: if i % 4 == 2 { 34816 } else { 0 },
                    ancestors: vec![
                        Ancestor {
                            pid: 900,
                            name: parent.to_string(),
                            exepath: format!("/usr/bin/{parent}"),
                            args: vec![],
                        },
                        Ancestor {
                            pid: 1,
                            name: "systemd".into(),
                            exepath: "/usr/lib/systemd/systemd".into(),
                            args: vec![],
                        },
                    ],
                    container_id: c.id.clone(),
                    ..Default::default()
                }),
                c.clone(),
            ));
        }
    }
    out
}

/// Opens a typical host sees: libraries, config reads, logs and scratch files.
const TYPICAL_OPENS: &[(&str, u64)] = &[
    ("/usr/lib/x86_64-linux-gnu/libc.so.6", open_flags::O_CLOEXEC),
    ("/etc/ld.so.cache", open_flags::O_CLOEXEC),
    ("/proc/self/status", 0),
    ("/proc/1234/stat", 0),
    ("/srv/app/index.html", 0),
    ("/etc/nginx/nginx.conf", 0),
    ("/dev/null", open_flags::O_RDWR),
    ("/etc/passwd", open_flags::O_CLOEXEC),
    ("/usr/share/zoneinfo/UTC", 0),
    ("/sys/fs/cgroup/cpu.max", 0),
    (
        "/var/log/nginx/access.log",
        open_flags::O_WRONLY | open_flags::O_APPEND,
    ),
    (
        "/tmp/build/out.o",
        open_flags::O_WRONLY | open_flags::O_CREAT | open_flags::O_TRUNC,
    ),
    (
        "/srv/app/cache/k1",
        open_flags::O_WRONLY | open_flags::O_CREAT,
    ),
];

/// Opens that upstream rules alert on; 0.5% of opens in the typical mix.
const SUSPICIOUS_OPENS: &[(&str, u64)] = &[
    ("/etc/shadow", 0),
    ("/etc/passwd", open_flags::O_WRONLY),
    (
        "/root/.ssh/authorized_keys",
        open_flags::O_WRONLY | open_flags::O_APPEND,
    ),
];

/// `hostile`: every path with every flag combination, so alerts are frequent
/// and every exception list is walked (a worst case).
fn events(n: usize, hostile: bool) -> Vec<Event> {
    let containers = vec![
        Arc::new(Container::host()),
        Arc::new(Container {
            id: "0123456789ab".into(),
            full_id: "0123456789abcdef".into(),
            runtime: "containerd".into(),
            name: "web".into(),
            image: "docker.io/library/nginx:1.27".into(),
            pod_name: "web-0".into(),
            pod_namespace: "prod".into(),
            ..Default::default()
        }),
    ];
    let procs = processes(&containers);
    let paths = [
        "/etc/passwd",
        "/etc/shadow",
        "/etc/ld.so.cache",
        "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "/proc/self/status",
        "/tmp/build/out.o",
        "/var/log/nginx/access.log",
        "/srv/app/index.html",
        "/root/.ssh/authorized_keys",
        "/dev/null",
        "/etc/nginx/nginx.conf",
        "/home/app/.bash_history",
    ];
    let flags = [
        0,
        open_flags::O_CLOEXEC,
        open_flags::O_WRONLY | open_flags::O_CREAT | open_flags::O_TRUNC,
        open_flags::O_RDWR,
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let (p, c) = rng.pick(&procs).clone();
            let roll = rng.next() % 100;
            let (kind, args) = if roll < 10 {
                (
                    EventType::Execve,
                    Args {
                        path: Some(p.exepath.clone()),
                        ..Default::default()
                    },
                )
            } else if roll < 85 {
                let (path, fl) = if hostile {
                    (*rng.pick(&paths), *rng.pick(&flags))
                } else if rng.next().is_multiple_of(200) {
                    *rng.pick(SUSPICIOUS_OPENS)
                } else {
                    *rng.pick(TYPICAL_OPENS)
                };
                (
                    EventType::Openat,
                    Args {
                        path: Some(path.to_string()),
                        flags: Some(fl),
                        mode: Some(0o644),
                        ..Default::default()
                    },
                )
            } else {
                let remote = Ipv4Addr::from(0x0A00_0000u32 | (rng.next() as u32 & 0xFFFF));
                (
                    EventType::Connect,
                    Args {
                        fd: Some(5),
                        connection: Some(Connection {
                            l4proto: "tcp".into(),
                            local: Some(SockAddr::Inet {
                                ip: IpAddr::V4(Ipv4Addr::new(172, 17, 0, 2)),
                                port: 40000,
                            }),
                            remote: Some(SockAddr::Inet {
                                ip: IpAddr::V4(remote),
                                port: *rng.pick(&[443u16, 80, 22, 6443, 5432]),
                            }),
                        }),
                        ..Default::default()
                    },
                )
            };
            Event {
                num: i as u64,
                ts_ns: 1_700_000_000_000_000_000 + i as u64 * 1000,
                kind,
                tid: p.pid,
                res: Some(if roll.is_multiple_of(7) { -2 } else { 3 }),
                args,
                process: p,
                container: c,
            }
        })
        .collect()
}

fn main() -> ExitCode {
    let mut files = Vec::new();
    let mut n = 1_000_000usize;
    // Distinct events generated; evaluation cycles through them until `n`.
    let mut pool = 0usize;
    let mut hostile = false;
    let mut argv = std::env::args().skip(1);
    while let Some(a) = argv.next() {
        if a == "--hostile" {
            hostile = true;
        } else if a == "--pool" {
            match argv.next().and_then(|v| v.parse().ok()) {
                Some(v) => pool = v,
                None => {
                    eprintln!("--pool needs a number");
                    return ExitCode::FAILURE;
                }
            }
        } else if a == "--events" {
            match argv.next().and_then(|v| v.parse().ok()) {
                Some(v) => n = v,
                None => {
                    eprintln!("--events needs a number");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            files.push(a);
        }
    }
    if files.is_empty() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/falco-rules");
        for f in [
            "falco_rules.yaml",
            "falco-incubating_rules.yaml",
            "falco-sandbox_rules.yaml",
        ] {
            let p = dir.join(f);
            if p.is_file() {
                files.push(p.display().to_string());
            }
        }
        if files.is_empty() {
            eprintln!("no rule files given and {} not present", dir.display());
            return ExitCode::FAILURE;
        }
    }
    let mut texts = Vec::new();
    for f in &files {
        match std::fs::read_to_string(f) {
            Ok(t) => texts.push((t, f.clone())),
            Err(e) => {
                eprintln!("{f}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let set = match load_rules_files(texts.iter().map(|(t, f)| (t.as_str(), f.as_str()))) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let t0 = Instant::now();
    let engine = Engine::new(&compile(&set), &EngineOptions::default());
    println!(
        "engine: {} rules kept, {} skipped, {} filtered, built in {:?}",
        engine.len(),
        engine.skipped().len(),
        engine.filtered().len(),
        t0.elapsed()
    );
    let evs = events(if pool == 0 { n } else { pool.min(n) }, hostile);
    let evaluated: usize = evs.iter().map(|e| engine.rules_for(e.kind).count()).sum();
    println!(
        "rules evaluated per event: {:.1}",
        evaluated as f64 / n.max(1) as f64
    );
    let mut out = Vec::with_capacity(16);
    let mut matches = 0usize;
    // Warm-up pass so page faults and lazy init are not measured.
    for e in evs.iter().take(10_000) {
        out.clear();
        engine.evaluate(e, &mut out);
    }
    let t = Instant::now();
    for e in evs.iter().cycle().take(n) {
        out.clear();
        engine.evaluate(e, &mut out);
        matches += out.len();
    }
    let dt = t.elapsed();
    println!(
        "{n} events in {dt:?}: {:.0} events/s, {matches} matches",
        n as f64 / dt.as_secs_f64()
    );
    if std::env::var_os("BENCH_PER_RULE").is_some() {
        // Where the time goes: each rule alone over the events of its types.
        let mut per: Vec<(std::time::Duration, usize, String)> = (0..engine.len())
            .map(|i| {
                let t = Instant::now();
                let mut hits = 0;
                for e in &evs {
                    if engine.rules_for(e.kind).any(|j| j == i) && engine.matches(i, e) {
                        hits += 1;
                    }
                }
                (t.elapsed(), hits, engine.rule(i).name.clone())
            })
            .collect();
        per.sort();
        for (d, hits, name) in per.iter().rev().take(15) {
            println!("{d:>12?} {hits:>8} {name}");
        }
    }
    ExitCode::SUCCESS
}
