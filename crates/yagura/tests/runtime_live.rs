//! Live tests of `yagura agent runtime`: start the eBPF sensor, perform each
//! attack behaviour for real with `yagura-eventgen`, and check the exact alert.
//!
//! They need root and a kernel with BTF; without them each test prints why and
//! passes. CI runs them as root.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root".into());
    }
    if !Path::new("/sys/kernel/btf/vmlinux").exists() {
        return Some("kernel without BTF".into());
    }
    None
}

fn yagura_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_yagura"))
}

/// `yagura-eventgen` is built beside `yagura` by `cargo test --workspace`.
fn eventgen_bin() -> PathBuf {
    let p = yagura_bin().with_file_name("yagura-eventgen");
    assert!(
        p.exists(),
        "{} is missing: run the workspace tests (cargo test --workspace) so it is built",
        p.display()
    );
    p
}

struct Agent {
    child: Child,
    alerts: PathBuf,
    db: PathBuf,
    stderr: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl Agent {
    fn start(args: &[&str]) -> Agent {
        let dir = tempfile::tempdir().expect("tempdir");
        let alerts = dir.path().join("alerts.jsonl");
        let mut child = Command::new(yagura_bin())
            .args(["agent", "runtime", "--duration", "300", "-o"])
            .arg(&alerts)
            .args(args)
            .env("NO_COLOR", "1")
            .env("YAGURA_DB", dir.path().join("yagura.db"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the agent");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let pipe = child.stderr.take().expect("stderr");
        {
            let stderr = stderr.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    stderr.lock().unwrap().push(line);
                }
            });
        }
        let agent = Agent {
            child,
            db: dir.path().join("yagura.db"),
            alerts,
            stderr,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if agent.stderr_text().contains("runtime sensor attached") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the agent did not attach within 60 s:\n{}",
                agent.stderr_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        agent
    }

    fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    fn alerts(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.alerts)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits for an alert of `rule` for which `pred` holds.
    fn wait_for(&self, rule: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(a) = self
                .alerts()
                .into_iter()
                .find(|a| a["rule"] == rule && pred(a))
            {
                return a;
            }
            if Instant::now() > deadline {
                let seen: Vec<String> = self
                    .alerts()
                    .iter()
                    .map(|a| format!("{} {}", a["rule"], a["output_fields"]))
                    .collect();
                panic!(
                    "no alert {rule:?} within 20 s; alerts:\n{}\nagent stderr:\n{}",
                    seen.join("\n"),
                    self.stderr_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the agent (SIGTERM) and returns its stderr; its folder stays until drop.
    fn stop(&mut self) -> String {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().expect("wait for the agent");
        std::thread::sleep(Duration::from_millis(100));
        let err = self.stderr_text();
        assert!(status.success(), "agent failed: {status}\n{err}");
        err
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn field<'a>(a: &'a Value, name: &str) -> &'a str {
    a["output_fields"][name].as_str().unwrap_or("")
}

/// Runs one eventgen action and returns its JSON report.
fn eventgen(args: &[&str]) -> Value {
    let out = Command::new(eventgen_bin())
        .arg("run")
        .args(args)
        .output()
        .expect("run yagura-eventgen");
    assert!(
        out.status.success(),
        "yagura-eventgen {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or("");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("eventgen output {line:?}: {e}"))
}

/// A veth pair into a private network namespace: a peer address that is not
/// loopback (rules ignore loopback) and never leaves this machine.
struct Peer {
    ns: String,
    host_if: String,
    addr: String,
}

impl Peer {
    fn new(tag: &str, subnet: u8) -> Option<Peer> {
        let ns = format!("yagura-{tag}");
        let host_if = format!("yg{tag}h");
        let ns_if = format!("yg{tag}n");
        let host_ip = format!("10.231.{subnet}.1/30");
        let peer_ip = format!("10.231.{subnet}.2/30");
        let ip = |args: &[&str]| {
            Command::new("ip")
                .args(args)
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
        };
        let quiet = |args: &[&str]| {
            let _ = Command::new("ip").args(args).stderr(Stdio::null()).status();
        };
        quiet(&["netns", "del", &ns]);
        quiet(&["link", "del", &host_if]);
        let ok = ip(&["netns", "add", &ns])
            && ip(&[
                "link", "add", &host_if, "type", "veth", "peer", "name", &ns_if,
            ])
            && ip(&["link", "set", &ns_if, "netns", &ns])
            && ip(&["addr", "add", &host_ip, "dev", &host_if])
            && ip(&["link", "set", &host_if, "up"])
            && ip(&["-n", &ns, "addr", "add", &peer_ip, "dev", &ns_if])
            && ip(&["-n", &ns, "link", "set", &ns_if, "up"]);
        let peer = Peer {
            ns,
            host_if,
            addr: format!("10.231.{subnet}.2"),
        };
        ok.then_some(peer)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["link", "del", &self.host_if])
            .status();
        let _ = Command::new("ip").args(["netns", "del", &self.ns]).status();
    }
}

fn container_id(seed: u8) -> String {
    let nibble = format!("{:x}", seed % 16);
    format!("{}{}", nibble.repeat(63), "e")
}

#[test]
fn default_ruleset_detects_each_attack_behaviour_live() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let peer = Peer::new("d", 1).expect("create a veth peer (iproute2)");
    let mut agent = Agent::start(&[]);
    let id = container_id(10);
    let short = &id[..12];

    let r = eventgen(&["read-shadow"]);
    let a = agent.wait_for("Credential file read by untrusted program", |a| {
        field(a, "fd.name") == "/etc/shadow"
    });
    assert_eq!(field(&a, "container.id"), "host");
    assert!(
        a["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "T1003.008"),
        "{a}"
    );
    assert!(r["pid"].as_u64().is_some());

    eventgen(&["read-ssh-key"]);
    agent.wait_for("Credential file read by untrusted program", |a| {
        field(a, "fd.name") == "/root/.ssh/id_yagura_test"
    });

    eventgen(&["read-aws-credentials"]);
    agent.wait_for("Cloud credentials read by untrusted program", |a| {
        field(a, "fd.name") == "/root/.aws/credentials"
    });

    eventgen(&["write-below-etc"]);
    agent.wait_for("Write below etc by unexpected program", |a| {
        field(a, "fd.name") == "/etc/yagura-eventgen-test"
    });

    eventgen(&["write-below-bin"]);
    agent.wait_for("Binary directory modified", |a| {
        field(a, "fd.name") == "/usr/local/bin/yagura-eventgen-test"
    });

    eventgen(&["shell-in-container", "--in-container", &id]);
    let a = agent.wait_for("Shell started in container", |a| {
        field(a, "container.id") == short
    });
    assert_eq!(field(&a, "proc.name"), "sh");

    eventgen(&["package-manager-in-container", "--in-container", &id]);
    agent.wait_for("Package manager run in container", |a| {
        field(a, "container.id") == short
    });

    eventgen(&["drop-and-execute", "--in-container", &id]);
    let a = agent.wait_for("Dropped binary executed in container", |a| {
        field(a, "container.id") == short
    });
    assert_eq!(field(&a, "proc.name"), "dropped-bin");

    eventgen(&["netcat-reverse-shell"]);
    let a = agent.wait_for("Shell redirection to network device", |_| true);
    assert_eq!(field(&a, "proc.name"), "bash");

    let remote = format!("{}:3333", peer.addr);
    eventgen(&["miner-pool-connect", "--remote", &remote]);
    let a = agent.wait_for("Connection to mining pool port", |a| {
        field(a, "fd.rip") == peer.addr
    });
    assert_eq!(field(&a, "fd.rport"), "3333");
    agent.wait_for("Crypto miner started", |a| {
        field(a, "proc.cmdline").contains("stratum+tcp://")
    });

    let remote = format!("{}:443", peer.addr);
    eventgen(&["outbound-connect-untrusted", "--remote", &remote]);
    agent.wait_for("Network connection by non-network utility", |a| {
        field(a, "proc.name") == "cat" && field(a, "fd.rport") == "443"
    });

    eventgen(&["ptrace-attach"]);
    agent.wait_for("Ptrace attach to another process", |_| true);

    eventgen(&["kernel-module-load"]);
    agent.wait_for("Kernel module loaded", |_| true);

    eventgen(&["memfd-exec"]);
    let a = agent.wait_for("Fileless execution from memory", |_| true);
    assert!(field(&a, "proc.exepath").starts_with("memfd:"), "{a}");

    eventgen(&["setuid-escalation"]);
    let a = agent.wait_for("Non-root process gained root via setuid", |_| true);
    assert_eq!(field(&a, "user.uid"), "65534");

    eventgen(&["setns-unshare-in-container", "--in-container", &id]);
    agent.wait_for("Namespace change in container", |a| {
        field(a, "container.id") == short
    });

    eventgen(&["mount-host-path-in-container", "--in-container", &id]);
    agent.wait_for("Filesystem mounted in container", |a| {
        field(a, "container.id") == short
    });

    eventgen(&["release-agent-write", "--in-container", &id]);
    agent.wait_for("Cgroup release agent written", |a| {
        field(a, "fd.name").ends_with("/release_agent")
    });

    eventgen(&["log-clearing"]);
    agent.wait_for("Log file cleared or deleted", |a| {
        field(a, "fd.name") == "/var/log/yagura-eventgen.log"
    });

    eventgen(&["disable-history"]);
    agent.wait_for("Shell history logging disabled", |_| true);
    agent.wait_for("Shell history file cleared", |a| {
        field(a, "fd.name").ends_with("/.bash_history")
    });

    let err = agent.stop();
    assert!(err.contains("runtime sensor stopped"), "{err}");
    drop(peer);
}

#[test]
fn container_id_comes_from_the_cgroup() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let mut agent = Agent::start(&[]);
    let id = container_id(11);
    let r = eventgen(&["shell-in-container", "--in-container", &id]);
    assert_eq!(r["container_id"], id.as_str());
    let a = agent.wait_for("Shell started in container", |a| {
        field(a, "container.id") == &id[..12]
    });
    // The same shell on the host is not in a container and raises nothing.
    assert_eq!(field(&a, "container.id").len(), 12);
    agent.stop();
}

fn kill_rules(dir: &Path, program: &str) -> PathBuf {
    let rules = format!(
        r#"
- rule: Kill marked program
  desc: test rule, killed at exec
  condition: evt.type = execve and proc.name = {program}
  output: killed program (proc=%proc.name exe=%proc.exepath)
  priority: CRITICAL
  response: kill
  tags: [test]
- rule: Kill writes to the guarded folder
  desc: test rule, killed at open
  condition: evt.type in (open, openat) and fd.name startswith {zone}/
  output: killed open (proc=%proc.name file=%fd.name)
  priority: CRITICAL
  response: kill
  tags: [test]
"#,
        zone = dir.join("zone").display(),
        program = program
    );
    let path = dir.join("kill.yaml");
    std::fs::write(&path, rules).unwrap();
    std::fs::create_dir_all(dir.join("zone")).unwrap();
    path
}

#[test]
fn kill_stops_the_process_at_syscall_entry() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rules = kill_rules(dir.path(), "yagura-kill-me");
    let mut agent = Agent::start(&["--no-default-rules", "--rules", rules.to_str().unwrap()]);
    assert!(
        agent.stderr_text().contains("2 in-kernel kill entries"),
        "{}",
        agent.stderr_text()
    );

    // A program whose first act would be to create a marker file.
    let marker = dir.path().join("marker");
    let prog = dir.path().join("yagura-kill-me");
    std::fs::write(
        &prog,
        format!("#!/bin/sh\necho ran > {}\n", marker.display()),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("755")
        .arg(&prog)
        .status()
        .unwrap();
    let status = Command::new(&prog).status().expect("spawn");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status:?}");
    assert!(
        !marker.exists(),
        "the killed program ran: {} exists",
        marker.display()
    );
    let a = agent.wait_for("Kill marked program", |_| true);
    assert_eq!(a["response"]["action"], "kill");
    assert_eq!(a["response"]["mode"], "in-kernel");
    assert_eq!(a["response"]["done"], true);

    // An open below the guarded folder: the caller never returns from open(),
    // so nothing is ever written through the descriptor.
    let target = dir.path().join("zone/created");
    let status = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "f = open({:?}, 'w'); f.write('payload'); f.close()",
            target.display().to_string()
        ))
        .status()
        .expect("spawn python3");
    assert_eq!(status.signal(), Some(9), "{status:?}");
    // stat, not open: opening it would get this test killed too.
    let written = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    assert_eq!(written, 0, "data was written through the descriptor");
    let a = agent.wait_for("Kill writes to the guarded folder", |a| {
        field(a, "fd.name") == target.to_str().unwrap()
    });
    assert_eq!(a["response"]["mode"], "in-kernel");
    agent.stop();
}

#[test]
fn dry_run_reports_the_kill_it_would_do() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rules = kill_rules(dir.path(), "yagura-dry-run");
    let mut agent = Agent::start(&[
        "--no-default-rules",
        "--rules",
        rules.to_str().unwrap(),
        "--dry-run",
    ]);
    let marker = dir.path().join("marker");
    let prog = dir.path().join("yagura-dry-run");
    std::fs::write(
        &prog,
        format!("#!/bin/sh\necho ran > {}\n", marker.display()),
    )
    .unwrap();
    Command::new("chmod")
        .arg("755")
        .arg(&prog)
        .status()
        .unwrap();
    let status = Command::new(&prog).status().expect("spawn");
    assert!(status.success(), "dry run must not kill: {status:?}");
    assert!(marker.exists());
    let a = agent.wait_for("Kill marked program", |_| true);
    assert_eq!(a["response"]["action"], "kill");
    assert_eq!(a["response"]["done"], false);
    agent.stop();
}

#[test]
fn a_recording_replays_to_the_same_alerts() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("events.rec");
    let mut agent = Agent::start(&["--record", rec.to_str().unwrap()]);
    eventgen(&["read-shadow"]);
    agent.wait_for("Credential file read by untrusted program", |a| {
        field(a, "fd.name") == "/etc/shadow"
    });
    let live = agent
        .alerts()
        .into_iter()
        .filter(|a| a["rule"] == "Credential file read by untrusted program")
        .count();
    let err = agent.stop();
    assert!(err.contains("findings saved as scan"), "{err}");
    let kept_db = agent.db.clone();

    // The alerts are findings of a `runtime` scan in the store, like any scan's.
    let out = Command::new(yagura_bin())
        .args(["findings", "show", "-f", "json", "--db"])
        .arg(&kept_db)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["kind"], "runtime");
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "Credential file read by untrusted program")
        .unwrap_or_else(|| panic!("no finding in {report}"));
    assert_eq!(f["status"], "FAIL");
    assert_eq!(f["resource"]["kind"], "runtime.host");

    let out = Command::new(yagura_bin())
        .args(["runtime", "replay"])
        .arg(&rec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replayed = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|a| a["rule"] == "Credential file read by untrusted program")
        .count();
    assert_eq!(replayed, live);

    // Cut the recording mid-line: the events before the cut replay, the
    // damage is named, and the exit code says the run was incomplete.
    let bytes = std::fs::read(&rec).unwrap();
    let cut = dir.path().join("cut.rec");
    std::fs::write(&cut, &bytes[..bytes.len() - 7]).unwrap();
    let out = Command::new(yagura_bin())
        .args(["runtime", "replay"])
        .arg(&cut)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("recording damaged at line"), "{err}");
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn metrics_endpoint_exports_events_and_kernel_drops() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let mut agent = Agent::start(&["--metrics-addr", &addr]);
    eventgen(&["read-shadow"]);
    agent.wait_for("Credential file read by untrusted program", |_| true);
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    assert!(
        body.contains("yagura_runtime_events_total{type=\"openat\"}"),
        "{body}"
    );
    assert!(body.contains("yagura_runtime_kernel_drops_total{reason=\"ring_buffer_full\"}"));
    assert!(body.contains(
        "yagura_runtime_alerts_total{rule=\"Credential file read by untrusted program\"}"
    ));
    assert!(body.contains("yagura_runtime_rule_eval_seconds_count"));
    agent.stop();
}

#[test]
fn lost_events_raise_an_alert_and_a_metric() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let watched = dir.path().join("burst");
    std::fs::create_dir_all(&watched).unwrap();
    // A rule that makes every open in the folder an event, and a one-page ring
    // buffer, so a burst of opens cannot fit.
    let rules = write_rules(
        dir.path(),
        "burst.yaml",
        &format!(
            "- rule: Burst watch\n  desc: d\n  condition: evt.type in (open, openat) and fd.name startswith {}/ and proc.name = no-such-program\n  output: never\n  priority: DEBUG\n",
            watched.display()
        ),
    );
    let mut agent = Agent::start(&[
        "--no-default-rules",
        "--rules",
        rules.to_str().unwrap(),
        "--ring-buffer-size",
        "4096",
    ]);
    eventgen(&[
        "open-close-loop",
        "200000",
        "--workdir",
        watched.join("w").to_str().unwrap(),
    ]);
    let a = agent.wait_for("Runtime events dropped", |_| true);
    assert_eq!(a["priority"], "Critical");
    assert!(
        a["output"].as_str().unwrap().contains("ring buffer full"),
        "{a}"
    );
    let err = agent.stop();
    // Rate-limited: one alert per interval however many records were lost.
    let n = agent
        .alerts()
        .iter()
        .filter(|a| a["rule"] == "Runtime events dropped")
        .count();
    assert!(n <= 2, "{n} drop alerts");
    assert!(!err.contains(" 0 lost in the kernel"), "{err}");
}

fn write_rules(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn kill_process_kills_from_user_space_when_the_kernel_cannot_decide() {
    if let Some(why) = skip_reason() {
        println!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // proc.pname is not something the kernel tables can test: the agent kills
    // from user space once the engine has matched.
    let rules = write_rules(
        dir.path(),
        "kp.yaml",
        "- rule: Kill long sleeper\n  desc: d\n  condition: evt.type = execve and proc.name = yagura-kp-test and proc.pname = sh\n  output: killed %proc.name\n  priority: CRITICAL\n  response: kill\n",
    );
    let mut agent = Agent::start(&["--no-default-rules", "--rules", rules.to_str().unwrap()]);
    assert!(
        agent.stderr_text().contains("responds from user space"),
        "{}",
        agent.stderr_text()
    );
    let prog = dir.path().join("yagura-kp-test");
    std::fs::write(&prog, "#!/bin/sh\nsleep 30\n").unwrap();
    Command::new("chmod")
        .arg("755")
        .arg(&prog)
        .status()
        .unwrap();
    let started = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{}; exit $?", prog.display()))
        .status()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(20), "not killed");
    assert_eq!(status.code(), Some(128 + 9), "{status:?}");
    let a = agent.wait_for("Kill long sleeper", |_| true);
    assert_eq!(a["response"]["action"], "kill");
    assert_eq!(a["response"]["mode"], "user-space");
    assert_eq!(a["response"]["done"], true);
    agent.stop();
}
