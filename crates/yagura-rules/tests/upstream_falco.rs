//! Compatibility against upstream Falco rule files in ../shared (not vendored).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use yagura_event::{
    open_flags, Ancestor, Args, Connection, Container, Event, EventType, Process, SockAddr,
};
use yagura_rules::{
    compile, kernel_predicate, load_rules, load_rules_files, render_output, Engine, EngineOptions,
};

fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/falco-rules");
    if dir.join("falco_rules.yaml").is_file() {
        Some(dir)
    } else {
        println!("skipping: {} not present", dir.display());
        None
    }
}

/// Every YAML file in the folder and its subfolders, stable file first (others depend on it).
fn rule_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
                out.push(p);
            }
        }
    }
    out.sort_by_key(|p| {
        (
            p.file_name().is_none_or(|n| n != "falco_rules.yaml"),
            p.clone(),
        )
    });
    out
}

#[test]
fn upstream_rules_load_and_compile() {
    let Some(dir) = shared_dir() else { return };
    let files = rule_files(&dir);
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| (std::fs::read_to_string(p).unwrap(), p.display().to_string()))
        .collect();

    let stable_text = &texts[0].0;
    let stable = load_rules(stable_text, "falco_rules.yaml").expect("stable loads");
    assert!(stable.rules.len() > 20, "only {} rules", stable.rules.len());
    let stable_compiled = compile(&stable);
    assert!(
        stable_compiled.macro_errors.is_empty(),
        "{:?}",
        stable_compiled.macro_errors
    );

    let all = load_rules_files(texts.iter().map(|(t, f)| (t.as_str(), f.as_str())))
        .expect("all files load in order");
    let compiled = compile(&all);
    for (m, why) in &compiled.macro_errors {
        println!("macro {m}: {why}");
    }
    assert!(compiled.macro_errors.is_empty());

    let syscall_skipped: Vec<_> = compiled
        .skipped
        .iter()
        .filter(|s| s.source == "syscall")
        .collect();
    for s in &compiled.skipped {
        println!("skipped {:?} [{}]: {}", s.name, s.source, s.reason);
    }
    let ok = compiled.rules.len();
    let total = ok + syscall_skipped.len();
    println!(
        "files={} rules={} compiled={} syscall_skipped={} other_source_skipped={}",
        files.len(),
        all.rules.len(),
        ok,
        syscall_skipped.len(),
        compiled.skipped.len() - syscall_skipped.len()
    );
    assert!(ok * 100 >= total * 95, "{ok}/{total} compiled");
    let unindexed: Vec<_> = compiled
        .rules
        .iter()
        .filter(|r| r.event_types.is_none())
        .map(|r| r.name.as_str())
        .collect();
    println!("rules without an event-type restriction: {unindexed:?}");

    let find = |name: &str| {
        compiled
            .rules
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("rule {name} compiled"))
    };
    let shell = find("Terminal shell in container");
    let types = shell.event_types.clone().expect("limited event types");
    assert!(
        types.contains("execve") && types.contains("execveat"),
        "{types:?}"
    );
    assert!(types.iter().all(|t| t.starts_with("execve")), "{types:?}");
    assert!(shell.fields.iter().any(|f| f.name == "proc.tty"));

    let modules = find("Linux Kernel Module Injection Detected");
    assert_eq!(
        modules.event_types,
        Some(BTreeSet::from([
            "init_module".to_string(),
            "finit_module".to_string()
        ]))
    );

    for r in &compiled.rules {
        if r.name.contains("Directory traversal") || r.name == "Read sensitive file untrusted" {
            let types = r.event_types.clone().expect("open-ish types");
            println!("{}: {types:?}", r.name);
            assert!(types.iter().any(|t| t.starts_with("open")), "{types:?}");
        }
    }
    let no_na = render_output(&shell.output, |_, _| Some("v".into()));
    assert!(
        !no_na.contains("<NA>") && !no_na.contains("%proc"),
        "{no_na}"
    );
}

fn proc_(name: &str, exepath: &str, args: &[&str], parent: &str) -> Process {
    Process {
        pid: 300,
        ppid: 200,
        name: name.into(),
        exe: exepath.into(),
        exepath: exepath.into(),
        args: args.iter().map(|a| a.to_string()).collect(),
        cwd: "/".into(),
        loginuid: u32::MAX,
        user: "root".into(),
        group: "root".into(),
        ancestors: vec![
            Ancestor {
                pid: 200,
                name: parent.into(),
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
        container_id: "host".into(),
        ..Default::default()
    }
}

fn in_container() -> Container {
    Container {
        id: "0123456789ab".into(),
        full_id: "0123456789abcdef".into(),
        runtime: "containerd".into(),
        name: "web".into(),
        image: "docker.io/library/nginx:1.27".into(),
        image_id: "sha256:1".into(),
        ..Default::default()
    }
}

fn ev(kind: EventType, p: Process, c: Container, args: Args) -> Event {
    Event {
        num: 1,
        ts_ns: 1_700_000_000_000_000_000,
        kind,
        tid: p.pid,
        res: Some(0),
        args,
        process: Arc::new(p),
        container: Arc::new(c),
    }
}

#[test]
fn upstream_engine_builds_and_matches() {
    let Some(dir) = shared_dir() else { return };
    let text = std::fs::read_to_string(dir.join("falco_rules.yaml")).unwrap();
    let compiled = compile(&load_rules(&text, "falco_rules.yaml").unwrap());
    let engine = Engine::new(&compiled, &EngineOptions::default());
    let total = compiled.rules.len() + compiled.skipped.len();
    println!(
        "upstream stable: rules={total} kept={} skipped={} filtered={}",
        engine.len(),
        engine.skipped().len(),
        engine.filtered().len()
    );
    for s in engine.skipped() {
        println!("engine skipped {:?}: {}", s.rule, s.reason);
        assert!(!s.reason.is_empty());
    }
    for s in engine.filtered() {
        println!("engine filtered {:?}: {}", s.rule, s.reason);
    }
    assert_eq!(
        engine.len() + engine.skipped().len() + engine.filtered().len(),
        total
    );
    // Measured at upstream c72713ee: 16 of 25 kept; the rest need fields or
    // syscalls yagura does not observe (symlink, dup, capabilities, raw names...).
    assert!(engine.len() >= 16, "kept only {}", engine.len());
    println!("event types used: {:?}", engine.event_types_used());
    assert!(engine.event_types_used().contains(&EventType::Execve));

    let idx = |name: &str| {
        (0..engine.len())
            .find(|i| engine.rule(*i).name == name)
            .unwrap_or_else(|| panic!("rule {name} kept"))
    };
    let fired = |e: &Event| {
        let mut out = Vec::new();
        engine.evaluate(e, &mut out);
        out.iter()
            .map(|i| engine.rule(*i).name.clone())
            .collect::<Vec<_>>()
    };

    // Read of /etc/shadow by a program that has no reason to.
    let shadow = |name: &str| {
        ev(
            EventType::Openat,
            proc_(name, &format!("/usr/bin/{name}"), &["/etc/shadow"], "bash"),
            Container::host(),
            Args {
                path: Some("/etc/shadow".into()),
                flags: Some(0),
                ..Default::default()
            },
        )
    };
    let read = shadow("python3");
    let names = fired(&read);
    assert!(
        names.contains(&"Read sensitive file untrusted".to_string()),
        "{names:?}"
    );
    let i = idx("Read sensitive file untrusted");
    let out = engine.render_output(i, &read);
    println!("{out}");
    assert!(out.contains("file=/etc/shadow"), "{out}");
    assert!(out.contains("python3"), "{out}");
    // ... but not by a trusted one, nor for a file that is not sensitive.
    assert!(!engine.matches(i, &shadow("sshd")));
    let mut passwd = shadow("python3");
    passwd.args.path = Some("/etc/hostname".into());
    assert!(!engine.matches(i, &passwd));
    // A write is not a read.
    let mut write = shadow("python3");
    write.args.flags = Some(open_flags::O_WRONLY);
    assert!(!engine.matches(i, &write));

    // A shell with a terminal in a container.
    let mut sh = proc_("bash", "/bin/bash", &[], "runc");
    sh.tty = 34816;
    let exec = |p: Process, c: Container| {
        ev(
            EventType::Execve,
            p,
            c,
            Args {
                path: Some("/bin/bash".into()),
                ..Default::default()
            },
        )
    };
    let t = idx("Terminal shell in container");
    assert!(engine.matches(t, &exec(sh.clone(), in_container())));
    assert!(fired(&exec(sh.clone(), in_container()))
        .contains(&"Terminal shell in container".to_string()));
    assert!(!engine.matches(t, &exec(sh.clone(), Container::host())));
    let mut no_tty = sh.clone();
    no_tty.tty = 0;
    assert!(!engine.matches(t, &exec(no_tty, in_container())));
    let cat = proc_("cat", "/bin/cat", &[], "runc");
    assert!(!engine.matches(t, &exec(cat, in_container())));

    // An outbound ssh connection to a public address on a non-standard port.
    let ssh = |ip: &str, port: u16| {
        let mut e = ev(
            EventType::Connect,
            proc_("ssh", "/usr/bin/ssh", &["-p", "4444", "x"], "bash"),
            Container::host(),
            Args {
                fd: Some(3),
                connection: Some(Connection {
                    l4proto: "tcp".into(),
                    local: Some(SockAddr::Inet {
                        ip: "192.168.1.10".parse().unwrap(),
                        port: 51000,
                    }),
                    remote: Some(SockAddr::Inet {
                        ip: ip.parse().unwrap(),
                        port,
                    }),
                }),
                ..Default::default()
            },
        );
        e.res = Some(-115);
        e
    };
    let d = idx("Disallowed SSH Connection Non Standard Port");
    let public = ssh("203.0.113.7", 4444);
    assert!(engine.matches(d, &public));
    let out = engine.render_output(d, &public);
    assert!(
        out.contains("connection=192.168.1.10:51000->203.0.113.7:4444")
            && out.contains("rport=4444"),
        "{out}"
    );
    assert!(!engine.matches(d, &ssh("203.0.113.7", 22)));
    assert!(!engine.matches(d, &ssh("10.1.2.3", 4444)));
    assert!(!engine.matches(d, &ssh("127.0.0.1", 4444)));

    // All upstream files together (incubating and sandbox rules need the stable macros).
    let texts: Vec<(String, String)> = rule_files(&dir)
        .iter()
        .map(|p| (std::fs::read_to_string(p).unwrap(), p.display().to_string()))
        .collect();
    let all =
        compile(&load_rules_files(texts.iter().map(|(t, f)| (t.as_str(), f.as_str()))).unwrap());
    let all_engine = Engine::new(&all, &EngineOptions::default());
    println!(
        "upstream all files: rules={} kept={} skipped={} filtered={}",
        all.rules.len() + all.skipped.len(),
        all_engine.len(),
        all_engine.skipped().len(),
        all_engine.filtered().len()
    );
    for s in all_engine.skipped() {
        println!("all-files engine skipped {:?}: {}", s.rule, s.reason);
        assert!(!s.reason.is_empty());
    }
    // Measured at upstream c72713ee: 64 of 81 syscall rules kept.
    assert!(all_engine.len() >= 64, "kept only {}", all_engine.len());

    // Kernel predicates: some upstream rules translate, and refusals name the atom.
    let mut ok = 0;
    for r in &compiled.rules {
        match kernel_predicate(r) {
            Ok(p) => {
                ok += 1;
                println!("kernel predicate for {:?}: {p:?}", r.name);
            }
            Err(e) => assert!(e.contains(&r.name), "{e}"),
        }
    }
    println!(
        "kernel-translatable upstream rules: {ok}/{}",
        compiled.rules.len()
    );
}
