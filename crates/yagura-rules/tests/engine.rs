//! Engine evaluation: fields, operators, transformers, outputs, indexing, skips.

use std::net::IpAddr;
use std::sync::Arc;

use yagura_event::{
    open_flags, Ancestor, Args, Connection, Container, Event, EventType, Process, SockAddr,
};
use yagura_rules::{compile, load_rules, Engine, EngineOptions, Priority, Response};

fn process() -> Process {
    Process {
        pid: 4242,
        ppid: 100,
        name: "cat".into(),
        exe: "cat".into(),
        exepath: "/usr/bin/cat".into(),
        args: vec!["/etc/shadow".into(), "-n".into()],
        cwd: "/root".into(),
        uid: 1000,
        gid: 1000,
        euid: 0,
        egid: 0,
        loginuid: u32::MAX,
        user: "root".into(),
        loginuser: String::new(),
        group: "root".into(),
        tty: 34816,
        sid: 90,
        start_ns: 0,
        exe_written: true,
        exe_from_memfd: false,
        ancestors: vec![
            Ancestor {
                pid: 100,
                name: "bash".into(),
                exepath: "/bin/bash".into(),
                args: vec!["-i".into()],
            },
            Ancestor {
                pid: 50,
                name: "sshd".into(),
                exepath: "/usr/sbin/sshd".into(),
                args: vec![],
            },
        ],
        container_id: "3ad7b2c4e5f6".into(),
    }
}

fn container() -> Container {
    Container {
        id: "3ad7b2c4e5f6".into(),
        full_id: "3ad7b2c4e5f6aaaa".into(),
        runtime: "containerd".into(),
        name: "web".into(),
        image: "docker.io/library/nginx:1.27".into(),
        image_id: "sha256:feed".into(),
        privileged: true,
        labels: vec![("app".into(), "web".into())],
        pod_name: "web-0".into(),
        pod_namespace: "prod".into(),
        pod_uid: "uid-1".into(),
        pod_labels: vec![("tier".into(), "front".into())],
        start_ns: 0,
    }
}

fn event(kind: EventType, args: Args) -> Event {
    Event {
        num: 7,
        ts_ns: 1_700_000_000_123_456_789,
        kind,
        tid: 4242,
        res: Some(3),
        args,
        process: Arc::new(process()),
        container: Arc::new(container()),
    }
}

fn open(path: &str, flags: u64) -> Event {
    event(
        EventType::Openat,
        Args {
            path: Some(path.into()),
            flags: Some(flags),
            mode: Some(0o644),
            ..Default::default()
        },
    )
}

fn connect() -> Event {
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    event(
        EventType::Connect,
        Args {
            fd: Some(5),
            connection: Some(Connection {
                l4proto: "tcp".into(),
                local: Some(SockAddr::Inet {
                    ip: ip("10.0.0.1"),
                    port: 40000,
                }),
                remote: Some(SockAddr::Inet {
                    ip: ip("1.2.3.4"),
                    port: 443,
                }),
            }),
            ..Default::default()
        },
    )
}

fn engine_for(cond: &str) -> Engine {
    let y = format!(
        "- rule: T\n  condition: {}\n  output: o\n  priority: INFO\n",
        serde_yaml::to_string(cond).unwrap().trim_end()
    );
    let c = compile(&load_rules(&y, "t.yaml").unwrap());
    let e = Engine::new(&c, &EngineOptions::default());
    assert!(e.skipped().is_empty(), "{cond}: {:?}", e.skipped());
    assert_eq!(e.len(), 1);
    e
}

fn hits(cond: &str, ev: &Event) -> bool {
    let e = engine_for(cond);
    let mut out = Vec::new();
    e.evaluate(ev, &mut out);
    !out.is_empty()
}

#[track_caller]
fn yes(cond: &str, ev: &Event) {
    assert!(hits(cond, ev), "expected match: {cond}");
}

#[track_caller]
fn no(cond: &str, ev: &Event) {
    assert!(!hits(cond, ev), "expected no match: {cond}");
}

#[test]
fn comparison_operators() {
    let ev = open("/etc/shadow", 0);
    yes("proc.name = cat", &ev);
    yes("proc.name == cat", &ev);
    no("proc.name = dog", &ev);
    yes("proc.name != dog", &ev);
    yes("proc.pid = 4242", &ev);
    yes("proc.pid > 4000 and proc.pid < 5000", &ev);
    yes("proc.pid >= 4242 and proc.pid <= 4242", &ev);
    no("proc.pid > 4242", &ev);
    // Numeric, not lexical: "10000" < "4242" as strings.
    yes("proc.pid < 10000", &ev);
    yes("proc.name < dog", &ev);
}

#[test]
fn string_operators() {
    let ev = open("/etc/shadow", 0);
    yes("fd.name contains shad", &ev);
    no("fd.name contains SHAD", &ev);
    yes("fd.name icontains SHAD", &ev);
    yes("fd.name startswith /etc/", &ev);
    no("fd.name startswith /usr", &ev);
    yes("fd.name endswith dow", &ev);
    // "/etc/shadow" bytes: 2f 65 74 63
    yes("fd.name bstartswith 2f657463", &ev);
    yes("fd.name bcontains 736861", &ev);
    no("fd.name bcontains 0000", &ev);
    yes("fd.name glob '/etc/*'", &ev);
    yes("fd.name glob '/e?c/[rs]hadow'", &ev);
    no("fd.name glob '/etc/[!s]*'", &ev);
    yes("fd.name glob '*'", &ev);
    // regex is a full match
    yes("fd.name regex '/etc/s.*'", &ev);
    no("fd.name regex 'etc'", &ev);
    yes("fd.name regex '.*etc.*'", &ev);
}

#[test]
fn list_operators() {
    let ev = open("/etc/shadow", 0);
    yes("proc.name in (bash, cat)", &ev);
    no("proc.name in (bash, zsh)", &ev);
    yes("proc.pid in (1, 4242)", &ev);
    yes("fd.name pmatch (/etc)", &ev);
    yes("fd.name pmatch (/usr, /etc/)", &ev);
    no("fd.name pmatch (/et)", &ev);
    yes("fd.name pmatch (/etc/shadow)", &ev);
    yes("proc.aname intersects (sshd, cron)", &ev);
    no("proc.aname intersects (cron)", &ev);
    yes("proc.name exists", &ev);
    no("proc.pname in ()", &ev);
}

#[test]
fn transformers_and_val() {
    let ev = open("/etc/Shadow", 0);
    yes("tolower(fd.name) = /etc/shadow", &ev);
    yes("toupper(proc.name) = CAT", &ev);
    yes("basename(fd.name) = Shadow", &ev);
    yes("len(fd.name) = 11", &ev);
    yes("len(proc.aname) = 2", &ev);
    yes("tolower(basename(fd.name)) = shadow", &ev);
    // "L2V0Yy9TaGFkb3c=" is base64 of "/etc/Shadow"
    let enc = open("L2V0Yy9TaGFkb3c=", 0);
    yes("b64(fd.name) = /etc/Shadow", &enc);
    yes("proc.name = val(proc.exe)", &ev);
    no("proc.name = val(proc.pname)", &ev);
    yes("proc.pid > val(proc.ppid)", &ev);
    yes("proc.exepath endswith val(proc.name)", &ev);
}

#[test]
fn missing_values_and_negation() {
    // A network event has no path: checks on fd.directory are false, negations true.
    let ev = connect();
    no("fd.directory = /etc", &ev);
    no("fd.directory != /etc", &ev);
    yes("not fd.directory = /etc", &ev);
    no("fd.directory exists", &ev);
    yes("not fd.directory exists", &ev);
    let mut p = process();
    p.ancestors.clear();
    let orphan = Event {
        process: Arc::new(p),
        ..open("/x", 0)
    };
    no("proc.pname = bash", &orphan);
    no("proc.pname != bash", &orphan);
    no("proc.aname[1] exists", &orphan);
}

#[test]
fn event_fields() {
    let ev = open("/etc/shadow", open_flags::O_WRONLY | open_flags::O_CREAT);
    yes("evt.type = openat and evt.dir = <", &ev);
    yes("evt.type in (open, openat, sendto)", &ev);
    no("evt.type != openat", &ev);
    yes("evt.num = 7 and evt.rawtime = 1700000000123456789", &ev);
    yes("evt.time = '22:13:20.123456789'", &ev);
    yes(
        "evt.res = SUCCESS and evt.rawres = 3 and evt.failed = false",
        &ev,
    );
    yes("evt.is_open_write = true and evt.is_open_read = false", &ev);
    yes("evt.is_open_exec = false", &ev);
    yes("evt.arg.flags = O_WRONLY|O_CREAT", &ev);
    yes(
        "evt.arg.flags contains O_CREAT and evt.rawarg.flags = 65",
        &ev,
    );
    yes(
        "evt.arg.name = /etc/shadow and evt.arg[1] = /etc/shadow",
        &ev,
    );
    yes("evt.arg.mode = 0644 and evt.rawarg.mode = 420", &ev);
    yes(
        "evt.args contains 'name=/etc/shadow flags=O_WRONLY|O_CREAT'",
        &ev,
    );
    let mut failed = open("/nope", 0);
    failed.res = Some(-2);
    yes(
        "evt.res = ENOENT and evt.failed = true and evt.rawres < 0",
        &failed,
    );
    let exe = Event {
        args: Args {
            mode: Some(0o755),
            ..ev.args.clone()
        },
        ..ev.clone()
    };
    yes("evt.is_open_exec = true", &exe);
}

#[test]
fn syscall_specific_args() {
    let ptrace = event(
        EventType::Ptrace,
        Args {
            request: Some(0x4206),
            target_pid: Some(77),
            ..Default::default()
        },
    );
    yes(
        "evt.arg.request = PTRACE_SEIZE and evt.arg.pid = 77",
        &ptrace,
    );
    yes("evt.rawarg.request = 16902", &ptrace);
    let unshare = event(
        EventType::Unshare,
        Args {
            flags: Some(0x1000_0000),
            ..Default::default()
        },
    );
    yes("evt.arg.flags contains CLONE_NEWUSER", &unshare);
    let setns = event(
        EventType::Setns,
        Args {
            fd: Some(3),
            flags: Some(0x4000_0000),
            ..Default::default()
        },
    );
    yes("evt.arg.nstype = CLONE_NEWNET and evt.arg.fd = 3", &setns);
    let rename = event(
        EventType::Renameat2,
        Args {
            path: Some("/a".into()),
            target: Some("/b".into()),
            ..Default::default()
        },
    );
    yes("evt.arg.oldpath = /a and evt.arg.newpath = /b", &rename);
    let mount = event(
        EventType::Mount,
        Args {
            source: Some("/dev/sda1".into()),
            target: Some("/mnt".into()),
            fstype: Some("ext4".into()),
            flags: Some(0x1000),
            ..Default::default()
        },
    );
    yes(
        "evt.arg.dev = /dev/sda1 and evt.arg.dir = /mnt and evt.arg.type = ext4 and evt.arg.flags = MS_BIND",
        &mount,
    );
    let memfd = event(
        EventType::MemfdCreate,
        Args {
            name: Some("x".into()),
            flags: Some(1),
            ..Default::default()
        },
    );
    yes("evt.arg.name = x and evt.arg.flags = MFD_CLOEXEC", &memfd);
    let bpf = event(
        EventType::Bpf,
        Args {
            cmd: Some(5),
            ..Default::default()
        },
    );
    yes("evt.arg.cmd = BPF_PROG_LOAD and evt.rawarg.cmd = 5", &bpf);
    let setuid = event(
        EventType::Setuid,
        Args {
            uid: Some(0),
            ..Default::default()
        },
    );
    yes("evt.arg.uid = 0", &setuid);
    let listen = event(
        EventType::Listen,
        Args {
            backlog: Some(128),
            ..Default::default()
        },
    );
    yes("evt.arg.backlog = 128", &listen);
}

#[test]
fn process_user_fields() {
    let ev = open("/etc/shadow", 0);
    yes("proc.exe = cat and proc.exepath = /usr/bin/cat", &ev);
    yes("proc.cmdline = 'cat /etc/shadow -n'", &ev);
    yes("proc.args = '/etc/shadow -n'", &ev);
    yes(
        "proc.ppid = 100 and proc.pname = bash and proc.pexepath = /bin/bash",
        &ev,
    );
    yes("proc.pcmdline = 'bash -i'", &ev);
    yes(
        "proc.aname[0] = cat and proc.aname[1] = bash and proc.aname[2] = sshd",
        &ev,
    );
    yes(
        "proc.aname = sshd and proc.aname in (sshd) and not proc.aname = cron",
        &ev,
    );
    yes(
        "proc.apid[2] = 50 and proc.aexepath[2] = /usr/sbin/sshd",
        &ev,
    );
    no("proc.aname[3] exists", &ev);
    yes("proc.cwd = /root and proc.tty != 0 and proc.sid = 90", &ev);
    // start_ns unknown (0): no duration.
    no("proc.duration exists", &ev);
    let mut p = process();
    p.start_ns = ev.ts_ns - 5_000_000_000;
    let young = Event {
        process: Arc::new(p),
        ..ev.clone()
    };
    yes(
        "proc.duration = 5000000000 and proc.duration < 10000000000",
        &young,
    );
    yes(
        "proc.is_exe_upper_layer = true and proc.is_exe_from_memfd = false",
        &ev,
    );
    // Containerised: the namespaced pid is not known.
    no("proc.vpid exists", &ev);
    yes(
        "user.uid = 0 and user.name = root and user.loginuid = -1",
        &ev,
    );
    yes("group.gid = 0 and group.name = root", &ev);
    no("user.loginname exists", &ev);
}

#[test]
fn fd_fields() {
    let ev = open("/etc/shadow", 0);
    yes(
        "fd.name = /etc/shadow and fd.directory = /etc and fd.filename = shadow",
        &ev,
    );
    yes("fd.typechar = f and fd.type = file and fd.num = 3", &ev);
    no("fd.sip exists", &ev);
    let c = connect();
    yes("fd.name = '10.0.0.1:40000->1.2.3.4:443'", &c);
    yes(
        "fd.typechar = 4 and fd.type = ipv4 and fd.sockfamily = ip",
        &c,
    );
    yes(
        "fd.sip = 1.2.3.4 and fd.sport = 443 and fd.cip = 10.0.0.1 and fd.cport = 40000",
        &c,
    );
    yes(
        "fd.rip = 1.2.3.4 and fd.rport = 443 and fd.lip = 10.0.0.1 and fd.lport = 40000",
        &c,
    );
    yes("fd.l4proto = tcp and fd.num = 5", &c);
    yes("fd.connected = true and fd.name_changed = true", &c);
    no("fd.connected exists", &ev);
    let mut refused = connect();
    refused.res = Some(-111);
    yes("fd.connected = false", &refused);
    refused.res = Some(-115);
    yes("fd.connected = true", &refused);
    yes("fd.snet = 1.2.0.0/16 and fd.cnet = 10.0.0.0/8", &c);
    no("fd.snet = 10.0.0.0/8", &c);
    yes("fd.snet != 10.0.0.0/8", &c);
    yes("fd.net = 10.0.0.0/8 and fd.net = 1.0.0.0/8", &c);
    no("fd.net = 192.168.0.0/16", &c);
    yes("fd.rnet in (192.168.0.0/16, 1.2.3.0/24)", &c);
    no("fd.lnet in (192.168.0.0/16, 1.2.3.0/24)", &c);
    yes(
        "fd.ip = 1.2.3.4 and fd.port = 40000 and fd.port in (443)",
        &c,
    );
    yes("fd.sip in (1.2.3.4, ::1)", &c);
}

#[test]
fn container_fields() {
    let ev = open("/etc/shadow", 0);
    yes("container.id = 3ad7b2c4e5f6 and container.id != host", &ev);
    yes(
        "container.full_id = 3ad7b2c4e5f6aaaa and container.name = web",
        &ev,
    );
    yes("container.image = 'docker.io/library/nginx:1.27'", &ev);
    yes(
        "container.image.repository = docker.io/library/nginx and container.image.tag = '1.27'",
        &ev,
    );
    yes(
        "container.image.id = 'sha256:feed' and container.privileged = true",
        &ev,
    );
    yes(
        "container.label[app] = web and not container.label[x] exists",
        &ev,
    );
    yes(
        "k8s.pod.name = web-0 and k8s.pod.uid = uid-1 and k8s.ns.name = prod",
        &ev,
    );
    yes(
        "k8s.pod.label[tier] = front and k8s.pod.labels = 'tier:front'",
        &ev,
    );
    let host = Event {
        container: Arc::new(Container::host()),
        ..ev.clone()
    };
    yes("container.id = host and container.name = host", &host);
    no("k8s.ns.name exists", &host);
    no("container.privileged = false", &host);
}

#[test]
fn outputs() {
    let y = r#"
- rule: Out
  condition: evt.type = openat
  output: >
    Read %fd.name by %proc.name (parent=%proc.aname[1] flags=%evt.arg.flags
    gp=%proc.aname[5] x=%(container.image.tag) env=%proc.env 100%% done.)
  priority: WARNING
  tags: [file]
"#;
    let e = Engine::new(
        &compile(&load_rules(y, "o.yaml").unwrap()),
        &EngineOptions::default(),
    );
    let ev = open("/etc/shadow", 0);
    let mut out = Vec::new();
    e.evaluate(&ev, &mut out);
    assert_eq!(out, vec![0]);
    assert_eq!(
        e.render_output(0, &ev),
        "Read /etc/shadow by cat (parent=bash flags=O_RDONLY gp=<NA> x=1.27 env=<NA> 100% done.)"
    );
    let f = e.output_fields(0, &ev);
    assert_eq!(f["fd.name"], "/etc/shadow");
    assert_eq!(f["proc.aname[1]"], "bash");
    assert_eq!(f["proc.aname[5]"], "<NA>");
    assert_eq!(f["container.image.tag"], "1.27");
    assert_eq!(f.len(), 7, "{f:?}");
    let r = e.rule(0);
    assert_eq!((r.name.as_str(), r.priority), ("Out", Priority::Warning));
    assert_eq!(r.tags, vec!["file"]);
    assert_eq!(r.response, Response::Log);
    assert_eq!(r.line, 2);
}

const SET: &str = r#"
- rule: Exec
  condition: evt.type in (execve, execveat) and proc.name = sh
  output: o
  priority: NOTICE
  tags: [process]
- rule: Any
  condition: proc.name = cat
  output: o
  priority: DEBUG
- rule: Open
  condition: evt.type = openat and fd.name = /etc/shadow
  output: o
  priority: CRITICAL
  tags: [file]
  response: kill
- rule: Mixed
  condition: evt.type in (openat, sendto) and proc.name = cat
  output: o
  priority: ERROR
- rule: Sendto
  condition: evt.type = sendto
  output: o
  priority: ERROR
- rule: Env
  condition: evt.type = openat and proc.env contains X and fd.ino = 3
  output: o
  priority: ERROR
- rule: BadNum
  condition: evt.type = openat and proc.pid = abc
  output: o
  priority: ERROR
- rule: Off
  condition: evt.type = openat
  output: o
  priority: ERROR
  enabled: false
- rule: Audit
  condition: ka.verb = get
  output: o
  priority: ERROR
  source: k8s_audit
"#;

#[test]
fn indexing_skips_and_options() {
    let c = compile(&load_rules(SET, "set.yaml").unwrap());
    let e = Engine::new(&c, &EngineOptions::default());
    let names: Vec<&str> = (0..e.len()).map(|i| e.rule(i).name.as_str()).collect();
    assert_eq!(names, vec!["Exec", "Any", "Open", "Mixed"]);
    let reason = |r: &str| {
        e.skipped()
            .iter()
            .find(|s| s.rule == r)
            .map(|s| s.reason.clone())
            .unwrap_or_default()
    };
    assert_eq!(reason("Sendto"), "unsupported event types sendto");
    assert_eq!(
        reason("Env"),
        "unknown field fd.ino, unknown field proc.env"
    );
    assert_eq!(reason("BadNum"), "bad value \"abc\" for proc.pid");
    assert_eq!(reason("Audit"), "unsupported source k8s_audit");
    assert_eq!(e.skipped().len(), 4);
    assert_eq!(e.filtered().len(), 1);
    assert_eq!(e.rule(2).response, Response::Kill);
    assert_eq!(
        e.rule(3).event_types,
        Some([EventType::Openat].into_iter().collect())
    );
    // "Any" has no type restriction: it is evaluated for every type.
    assert_eq!(e.event_types_used().len(), EventType::ALL.len());
    assert_eq!(
        e.rules_for(EventType::Openat).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(
        e.rules_for(EventType::Execve).collect::<Vec<_>>(),
        vec![0, 1]
    );
    let mut out = Vec::new();
    e.evaluate(&open("/etc/shadow", 0), &mut out);
    assert_eq!(out, vec![1, 2, 3]);
    out.clear();
    e.evaluate(&open("/etc/passwd", 0), &mut out);
    assert_eq!(out, vec![1, 3]);

    let strict = Engine::new(
        &c,
        &EngineOptions {
            min_priority: Priority::Error,
            enable_rules: vec!["Off".into()],
            disable_rules: vec!["Mixed".into()],
            ..Default::default()
        },
    );
    let names: Vec<&str> = (0..strict.len())
        .map(|i| strict.rule(i).name.as_str())
        .collect();
    assert_eq!(names, vec!["Open", "Off"]);
    let used = strict.event_types_used();
    assert_eq!(
        used.into_iter().collect::<Vec<_>>(),
        vec![EventType::Openat]
    );
    let tagged = Engine::new(
        &c,
        &EngineOptions {
            enable_tags: vec!["process".into()],
            ..Default::default()
        },
    );
    assert_eq!(tagged.len(), 1);
    assert_eq!(tagged.rule(0).name, "Exec");
    let untagged = Engine::new(
        &c,
        &EngineOptions {
            disable_tags: vec!["process".into(), "file".into()],
            ..Default::default()
        },
    );
    assert_eq!(untagged.len(), 2);
}

#[test]
fn shared_checks_are_recomputed_per_event() {
    // Both rules share `proc.name = cat` and `fd.name startswith /etc`: the memoised
    // result of one event must not leak into the next.
    let y = r#"
- macro: etc
  condition: fd.name startswith /etc
- rule: A
  condition: evt.type = openat and proc.name = cat and etc
  output: o
  priority: INFO
- rule: B
  condition: evt.type = openat and etc and not proc.name = cat
  output: o
  priority: INFO
"#;
    let c = compile(&load_rules(y, "m.yaml").unwrap());
    let e = Engine::new(&c, &EngineOptions::default());
    let etc = open("/etc/hosts", 0);
    let tmp = open("/tmp/x", 0);
    let mut p = process();
    p.name = "vim".into();
    let vim_etc = Event {
        process: Arc::new(p),
        ..etc.clone()
    };
    let run = |ev: &Event| {
        let mut out = Vec::new();
        e.evaluate(ev, &mut out);
        out
    };
    for _ in 0..3 {
        assert_eq!(run(&etc), vec![0]);
        assert_eq!(run(&tmp), Vec::<usize>::new());
        assert_eq!(run(&vim_etc), vec![1]);
    }
    // Caller-owned scratch, shared between two engines, gives the same answers.
    let e2 = Engine::new(&c, &EngineOptions::default());
    let mut scratch = yagura_rules::engine::Scratch::new();
    for (ev, want) in [(&etc, vec![0]), (&vim_etc, vec![1]), (&tmp, vec![])] {
        for eng in [&e, &e2] {
            let mut out = Vec::new();
            eng.evaluate_with(ev, &mut scratch, &mut out);
            assert_eq!(out, want);
        }
    }
    assert!(e.matches(0, &etc) && !e.matches(0, &vim_etc) && e.matches(1, &vim_etc));
}

/// Deterministic xorshift for the generated conditions below.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

enum Cond {
    Atom(usize),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

const ATOMS: &[&str] = &[
    "evt.type = openat",
    "evt.type in (execve, connect)",
    "evt.type != unlinkat",
    "evt.type in (openat, unlinkat)",
    "proc.name = cat",
    "proc.name in (cat, bash)",
    "proc.name startswith ba",
    "fd.name startswith /etc/",
    "fd.name endswith .pub",
    "fd.name glob '/home/*/.ssh/id_*'",
    "fd.name glob '/proc/[0-9]*/mem'",
    "evt.failed = false",
    "proc.cmdline contains 't a'",
];

fn gen_cond(r: &mut Rng, depth: u32) -> Cond {
    match if depth == 0 { 0 } else { r.below(5) } {
        0 | 1 => Cond::Atom(r.below(ATOMS.len())),
        2 => Cond::Not(Box::new(gen_cond(r, depth - 1))),
        k => {
            let kids = (0..2 + r.below(3))
                .map(|_| gen_cond(r, depth - 1))
                .collect();
            if k == 3 {
                Cond::And(kids)
            } else {
                Cond::Or(kids)
            }
        }
    }
}

fn cond_text(c: &Cond) -> String {
    let join = |v: &[Cond], op: &str| {
        let parts: Vec<String> = v.iter().map(cond_text).collect();
        format!("({})", parts.join(op))
    };
    match c {
        Cond::Atom(i) => ATOMS[*i].to_string(),
        Cond::Not(x) => format!("not {}", cond_text(x)),
        Cond::And(v) => join(v, " and "),
        Cond::Or(v) => join(v, " or "),
    }
}

fn cond_holds(c: &Cond, atoms: &[bool]) -> bool {
    match c {
        Cond::Atom(i) => atoms[*i],
        Cond::Not(x) => !cond_holds(x, atoms),
        Cond::And(v) => v.iter().all(|x| cond_holds(x, atoms)),
        Cond::Or(v) => v.iter().any(|x| cond_holds(x, atoms)),
    }
}

#[test]
fn generated_conditions_match_their_boolean_meaning() {
    // Rules are folded per event type, flattened and reordered for speed; whatever
    // the nesting, the matches must be those of the condition's boolean meaning over
    // its checks, each check evaluated alone.
    let mut events = Vec::new();
    for kind in [
        EventType::Openat,
        EventType::Execve,
        EventType::Connect,
        EventType::Unlinkat,
        EventType::Ptrace,
    ] {
        for name in ["cat", "bash", "vim"] {
            for path in [
                Some("/etc/shadow"),
                Some("/etc/id.pub"),
                Some("/home/u/.ssh/id_rsa"),
                Some("/proc/12/mem"),
                None,
            ] {
                for res in [3, -2] {
                    let mut p = process();
                    p.name = name.into();
                    p.args = vec!["a".into(), "b".into()];
                    let mut ev = event(
                        kind,
                        Args {
                            path: path.map(str::to_string),
                            flags: Some(0),
                            ..Default::default()
                        },
                    );
                    ev.res = Some(res);
                    ev.process = Arc::new(p);
                    events.push(ev);
                }
            }
        }
    }
    let atoms: Vec<Vec<bool>> = events
        .iter()
        .map(|ev| ATOMS.iter().map(|a| hits(a, ev)).collect())
        .collect();
    // Every atom is true for some event and false for another: the test can fail.
    for (i, a) in ATOMS.iter().enumerate() {
        assert!(
            atoms.iter().any(|x| x[i]) && atoms.iter().any(|x| !x[i]),
            "{a}"
        );
    }
    for seed in [0x9e37_79b9_7f4a_7c15u64, 42, 7_777_777] {
        let mut r = Rng(seed);
        let conds: Vec<Cond> = (0..150).map(|_| gen_cond(&mut r, 4)).collect();
        let mut y = String::new();
        for (i, c) in conds.iter().enumerate() {
            y.push_str(&format!(
                "- rule: R{i}\n  condition: {}\n  output: o\n  priority: INFO\n",
                serde_yaml::to_string(&cond_text(c)).unwrap().trim_end()
            ));
        }
        let e = Engine::new(
            &compile(&load_rules(&y, "gen.yaml").unwrap()),
            &EngineOptions::default(),
        );
        // Conditions whose `evt.type` tests contradict each other are skipped.
        assert!(
            e.skipped()
                .iter()
                .all(|s| s.reason.starts_with("unsupported event types")),
            "{:?}",
            e.skipped()
        );
        assert!(e.len() > conds.len() * 9 / 10);
        let kept: Vec<usize> = (0..e.len())
            .map(|i| e.rule(i).name[1..].parse().unwrap())
            .collect();
        let mut total = 0;
        for (ev, truth) in events.iter().zip(&atoms) {
            for s in e.skipped() {
                let i: usize = s.rule[1..].parse().unwrap();
                assert!(!cond_holds(&conds[i], truth), "{}", cond_text(&conds[i]));
            }
            let want: Vec<usize> = (0..e.len())
                .filter(|i| cond_holds(&conds[kept[*i]], truth))
                .collect();
            let mut got = Vec::new();
            e.evaluate(ev, &mut got);
            assert_eq!(got, want, "event {:?} {:?}", ev.kind, ev.args.path);
            let one_by_one: Vec<usize> = (0..e.len()).filter(|i| e.matches(*i, ev)).collect();
            assert_eq!(one_by_one, want);
            total += got.len();
        }
        // Neither trivially all nor nothing.
        assert!(total > 0 && total < e.len() * events.len());
    }
}
