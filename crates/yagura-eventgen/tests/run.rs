//! Runs every action for real through the binary, as root, and checks that
//! each exits 0, describes itself in JSON and leaves nothing behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde_json::Value;
use yagura_eventgen::cgroup::{cgroup_dir, parse_mountinfo, parse_proc_cgroup};
use yagura_eventgen::{actions, ContainerUse};

const BIN: &str = env!("CARGO_BIN_EXE_yagura-eventgen");

/// Actions touching fixed host paths must not overlap.
static HOST_PATHS: Mutex<()> = Mutex::new(());

/// Fixed paths actions create and must remove.
const FIXED: &[&str] = &[
    "/etc/yagura-eventgen-test",
    "/usr/local/bin/yagura-eventgen-test",
    "/var/log/yagura-eventgen.log",
    "/root/.ssh/id_yagura_test",
];

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        eprintln!("skipped: yagura-eventgen actions need root (mounts, cgroups, /etc)");
    }
    root
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("spawning yagura-eventgen")
}

fn json_line(out: &Output, what: &str) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{what}: exit {:?}\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().count(),
        1,
        "{what}: one JSON line expected: {stdout}"
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{what}: bad JSON {e}: {stdout}"))
}

fn container_id(n: usize) -> String {
    format!(
        "{:064x}",
        0xfeed_0000_u64 + n as u64 + u64::from(std::process::id()) * 1000
    )
}

/// Maps the `cgroup` lines of a run's JSON to directories and checks they are gone.
fn assert_cgroups_removed(v: &Value, id: &str, what: &str) {
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").expect("mountinfo");
    let hierarchies = parse_mountinfo(&mounts);
    let lines: Vec<String> = v["cgroup"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no cgroup array"))
        .iter()
        .filter_map(|l| l.as_str().map(String::from))
        .collect();
    let ours: Vec<_> = parse_proc_cgroup(&lines.join("\n"))
        .into_iter()
        .filter(|c| c.path.contains(id))
        .collect();
    assert!(
        !ours.is_empty(),
        "{what}: process was not in a cgroup named after {id}: {lines:?}"
    );
    for c in ours {
        let h = hierarchies.iter().find(|h| {
            if c.hierarchy_id == 0 {
                h.version == yagura_eventgen::cgroup::CgroupVersion::V2
            } else {
                c.controllers.iter().all(|x| h.controllers.contains(x))
            }
        });
        let h = h.unwrap_or_else(|| panic!("{what}: no mounted hierarchy for {c:?}"));
        let dir = cgroup_dir(h, &c.path);
        assert!(
            !dir.exists(),
            "{what}: cgroup {} left behind",
            dir.display()
        );
    }
}

#[test]
fn every_action_runs_and_cleans_up() {
    if !is_root() {
        return;
    }
    let _guard = HOST_PATHS.lock().unwrap_or_else(|e| e.into_inner());
    let base = tempfile::tempdir().expect("tempdir");
    let had_ssh = Path::new("/root/.ssh").exists();
    let had_aws = Path::new("/root/.aws").exists();
    let mut failures = Vec::new();
    for (n, a) in actions().iter().enumerate() {
        let wd: PathBuf = base.path().join(a.name);
        let wd_s = wd.display().to_string();
        let id = container_id(n);
        let mut args = vec!["run", a.name];
        let params: Vec<&str> = match a.params.len() {
            0 => vec![],
            1 => vec!["20"],
            _ => vec!["2000", "1"],
        };
        args.extend(params);
        args.extend(["--workdir", wd_s.as_str()]);
        // Container actions in a container; also one host action, to cover both.
        let in_container = a.container == ContainerUse::Expected || a.name == "read-shadow";
        if in_container {
            args.extend(["--in-container", id.as_str()]);
        }
        let out = run(&args);
        let result = std::panic::catch_unwind(|| {
            let v = json_line(&out, a.name);
            assert_eq!(v["action"], a.name);
            assert!(
                v["pid"].as_u64().is_some_and(|p| p > 1),
                "{}: pid {v}",
                a.name
            );
            assert_eq!(v["workdir"], wd_s.as_str());
            if in_container {
                assert_eq!(v["container_id"], id.as_str());
                assert_cgroups_removed(&v, &id, a.name);
            } else {
                assert_eq!(v["container_id"], Value::Null);
            }
            // The workdir did not exist, so the run created it and must remove it.
            assert!(
                !wd.exists(),
                "{}: workdir {} left behind",
                a.name,
                wd.display()
            );
            for f in FIXED {
                assert!(!Path::new(f).exists(), "{}: {f} left behind", a.name);
            }
            assert_eq!(
                Path::new("/root/.ssh").exists(),
                had_ssh,
                "{}: /root/.ssh",
                a.name
            );
            assert_eq!(
                Path::new("/root/.aws").exists(),
                had_aws,
                "{}: /root/.aws",
                a.name
            );
            v
        });
        match result {
            Ok(v) => check_specifics(a.name, &v, &mut failures),
            Err(e) => failures.push(format!(
                "{}: {}",
                a.name,
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "failed actions:\n{}",
        failures.join("\n")
    );
}

/// Values that show the behaviour really happened.
fn check_specifics(name: &str, v: &Value, failures: &mut Vec<String>) {
    let ok = match name {
        "netcat-reverse-shell" => v["received"] == "yagura-reverse-shell",
        "miner-pool-connect" => {
            v["received"]
                .as_str()
                .is_some_and(|r| r.contains("mining.subscribe"))
                && v["args"][3]
                    .as_str()
                    .is_some_and(|a| a.starts_with("stratum+tcp://127.0.0.1:"))
        }
        "outbound-connect-untrusted" => v["received"] == "yagura-eventgen" && v["comm"] == "cat",
        "setuid-escalation" => v["after"]["euid"] == 0 && v["after"]["ruid"] == 65534,
        "ptrace-attach" => v["detached"] == true,
        "kernel-module-load" => {
            v["finit_module"]["errno"].as_i64().is_some_and(|e| e > 0)
                && v["init_module"]["errno"].as_i64().is_some_and(|e| e > 0)
        }
        "memfd-exec" => v["exit_code"] == 0 && v["bytes"].as_u64().is_some_and(|b| b > 0),
        "release-agent-write" => v["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("release_agent")),
        "open-close-loop" | "fork-exec-loop" => v["iterations"] == 20,
        "syscall-rate" => v["opens"] == v["closes"] && v["syscalls"].as_u64().is_some(),
        _ => true,
    };
    if !ok {
        failures.push(format!("{name}: unexpected output {v}"));
    }
}

#[test]
fn syscall_rate_is_paced() {
    if !is_root() {
        return;
    }
    let v = json_line(&run(&["run", "syscall-rate", "20000", "1"]), "syscall-rate");
    let n = v["syscalls"].as_u64().expect("syscalls");
    // Paced to the schedule: never ahead of it, and not far behind on an idle-ish box.
    assert!(n <= 20_000, "ran ahead of the schedule: {n}");
    assert!(n >= 15_000, "far below the requested rate: {n}");
    assert_eq!(v["opens"].as_u64().map(|o| o * 2), Some(n));
}

#[test]
fn refuses_to_touch_existing_files() {
    if !is_root() {
        return;
    }
    let _guard = HOST_PATHS.lock().unwrap_or_else(|e| e.into_inner());
    let p = Path::new("/etc/yagura-eventgen-test");
    std::fs::write(p, b"keep me").expect("creating the pre-existing file");
    let out = run(&["run", "write-below-etc"]);
    let kept = std::fs::read(p);
    std::fs::remove_file(p).expect("removing the pre-existing file");
    assert!(!out.status.success(), "overwrote an existing file");
    assert_eq!(kept.expect("file still there"), b"keep me");
}

#[test]
fn list_and_usage() {
    let out = run(&["list", "--json"]);
    let v = json_line(&out, "list --json");
    let names: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    let expected: Vec<&str> = actions().iter().map(|a| a.name).collect();
    assert_eq!(names, expected);
    assert!(names.contains(&"netcat-reverse-shell"));
    let bad = run(&["run", "no-such-action"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown action"));
}
