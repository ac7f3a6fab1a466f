//! Runtime events: what a sensor saw, with the process and container it happened in.
//!
//! Sensors (the eBPF sensor, a recording being replayed, a test harness) produce
//! [`Event`]s; the rule engine reads them through field names such as `proc.name`.
//! An event is self-contained — it carries a snapshot of its process and container —
//! so a recording replays without the process table that produced it.

use std::net::IpAddr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub mod recording;

/// The system call or scheduler event an [`Event`] reports.
///
/// Names follow Falco's `evt.type` values so upstream rules match unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Execve,
    Execveat,
    Clone,
    Clone3,
    Fork,
    Vfork,
    Procexit,
    Open,
    Openat,
    Openat2,
    Creat,
    Rename,
    Renameat,
    Renameat2,
    Unlink,
    Unlinkat,
    Chmod,
    Fchmod,
    Fchmodat,
    Chown,
    Fchown,
    Fchownat,
    Lchown,
    Connect,
    Accept,
    Accept4,
    Listen,
    Bind,
    Ptrace,
    Setuid,
    Setgid,
    Setreuid,
    Setregid,
    Setresuid,
    Setresgid,
    Setns,
    Unshare,
    Mount,
    InitModule,
    FinitModule,
    MemfdCreate,
    Bpf,
    /// Events lost between the kernel and user space (synthesised by the sensor).
    Drop,
}

impl EventType {
    pub const ALL: &'static [EventType] = &[
        Self::Execve,
        Self::Execveat,
        Self::Clone,
        Self::Clone3,
        Self::Fork,
        Self::Vfork,
        Self::Procexit,
        Self::Open,
        Self::Openat,
        Self::Openat2,
        Self::Creat,
        Self::Rename,
        Self::Renameat,
        Self::Renameat2,
        Self::Unlink,
        Self::Unlinkat,
        Self::Chmod,
        Self::Fchmod,
        Self::Fchmodat,
        Self::Chown,
        Self::Fchown,
        Self::Fchownat,
        Self::Lchown,
        Self::Connect,
        Self::Accept,
        Self::Accept4,
        Self::Listen,
        Self::Bind,
        Self::Ptrace,
        Self::Setuid,
        Self::Setgid,
        Self::Setreuid,
        Self::Setregid,
        Self::Setresuid,
        Self::Setresgid,
        Self::Setns,
        Self::Unshare,
        Self::Mount,
        Self::InitModule,
        Self::FinitModule,
        Self::MemfdCreate,
        Self::Bpf,
        Self::Drop,
    ];

    /// Falco's `evt.type` name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Execve => "execve",
            Self::Execveat => "execveat",
            Self::Clone => "clone",
            Self::Clone3 => "clone3",
            Self::Fork => "fork",
            Self::Vfork => "vfork",
            Self::Procexit => "procexit",
            Self::Open => "open",
            Self::Openat => "openat",
            Self::Openat2 => "openat2",
            Self::Creat => "creat",
            Self::Rename => "rename",
            Self::Renameat => "renameat",
            Self::Renameat2 => "renameat2",
            Self::Unlink => "unlink",
            Self::Unlinkat => "unlinkat",
            Self::Chmod => "chmod",
            Self::Fchmod => "fchmod",
            Self::Fchmodat => "fchmodat",
            Self::Chown => "chown",
            Self::Fchown => "fchown",
            Self::Fchownat => "fchownat",
            Self::Lchown => "lchown",
            Self::Connect => "connect",
            Self::Accept => "accept",
            Self::Accept4 => "accept4",
            Self::Listen => "listen",
            Self::Bind => "bind",
            Self::Ptrace => "ptrace",
            Self::Setuid => "setuid",
            Self::Setgid => "setgid",
            Self::Setreuid => "setreuid",
            Self::Setregid => "setregid",
            Self::Setresuid => "setresuid",
            Self::Setresgid => "setresgid",
            Self::Setns => "setns",
            Self::Unshare => "unshare",
            Self::Mount => "mount",
            Self::InitModule => "init_module",
            Self::FinitModule => "finit_module",
            Self::MemfdCreate => "memfd_create",
            Self::Bpf => "bpf",
            Self::Drop => "drop",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// Falco's `evt.category`-like grouping, used to pick `fd.*` meaning.
    pub fn is_file(self) -> bool {
        matches!(
            self,
            Self::Open
                | Self::Openat
                | Self::Openat2
                | Self::Creat
                | Self::Rename
                | Self::Renameat
                | Self::Renameat2
                | Self::Unlink
                | Self::Unlinkat
                | Self::Chmod
                | Self::Fchmod
                | Self::Fchmodat
                | Self::Chown
                | Self::Fchown
                | Self::Fchownat
                | Self::Lchown
        )
    }

    pub fn is_network(self) -> bool {
        matches!(
            self,
            Self::Connect | Self::Accept | Self::Accept4 | Self::Listen | Self::Bind
        )
    }

    pub fn is_process_start(self) -> bool {
        matches!(self, Self::Execve | Self::Execveat)
    }
}

/// A socket address as seen by connect/accept/bind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SockAddr {
    Inet { ip: IpAddr, port: u16 },
    Unix { path: String },
    Other { family: u16 },
}

/// Socket endpoints of a network event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    /// Layer-4 protocol: "tcp", "udp", "unix" or "" when unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub l4proto: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<SockAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<SockAddr>,
}

/// Per-event arguments. Which are set depends on the event type; absent ones
/// make the corresponding fields not exist (Falco semantics: a check on a
/// missing field is false).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Args {
    /// The file the event is about: opened, renamed from, unlinked, chmodded,
    /// executed, or the module file. Resolved to an absolute path where the
    /// sensor could (against the cwd or the dirfd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Rename target, mount target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// open flags, unshare/clone flags, setns nstype, mount flags, memfd flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<u64>,
    /// File mode for open/chmod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
    /// File descriptor argument (fchmod, connect, setns...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fd: Option<i64>,
    /// uid argument of setuid/chown and friends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// ptrace request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<i64>,
    /// ptrace target, fork child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_pid: Option<u32>,
    /// memfd name, mount source, file system type live in `name`/`source`/`fstype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fstype: Option<String>,
    /// bpf() command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<i64>,
    /// listen backlog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backlog: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<Connection>,
    /// Number of events lost, for [`EventType::Drop`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<u64>,
}

/// One ancestor in a process's parent chain, nearest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ancestor {
    pub pid: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exepath: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
}

/// A process as the process table knows it at the time of the event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub pid: u32,
    /// Thread-group leader of the parent.
    pub ppid: u32,
    /// `comm`: the kernel's 15-byte task name (Falco's `proc.name`).
    pub name: String,
    /// argv[0] as the program saw it (Falco's `proc.exe`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exe: String,
    /// Full path of the executable (Falco's `proc.exepath`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exepath: String,
    /// argv[1..].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub euid: u32,
    pub egid: u32,
    /// Audit login uid; `u32::MAX` when unset.
    pub loginuid: u32,
    /// Names of uid, loginuid and gid from the host's (or container's) user database.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub loginuser: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    #[serde(default)]
    pub tty: u32,
    #[serde(default)]
    pub sid: u32,
    /// Process start, ns since the epoch.
    #[serde(default)]
    pub start_ns: u64,
    /// The executable's file was written inside the container after the
    /// container started (drop-and-execute); Falco's `proc.is_exe_upper_layer`.
    #[serde(default)]
    pub exe_written: bool,
    /// The executable lives in memory only (memfd / deleted file).
    #[serde(default)]
    pub exe_from_memfd: bool,
    /// Nearest first: parent, grandparent, ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ancestors: Vec<Ancestor>,
    /// Short (12 hex) container ID, or `host`.
    pub container_id: String,
}

impl Process {
    /// Falco's `proc.cmdline`: name followed by the arguments.
    pub fn cmdline(&self) -> String {
        let mut s = self.name.clone();
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }
}

/// Container (and Kubernetes pod) metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// 12-hex short ID, or `host`.
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub full_id: String,
    /// docker, containerd, cri-o, podman, or empty for the host.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub runtime: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Image reference as configured, e.g. `docker.io/library/nginx:1.27`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image_id: String,
    #[serde(default)]
    pub privileged: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pod_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pod_namespace: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pod_uid: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pod_labels: Vec<(String, String)>,
    /// Container start, ns since the epoch (0 when unknown).
    #[serde(default)]
    pub start_ns: u64,
}

impl Container {
    pub fn host() -> Self {
        Container {
            id: "host".into(),
            ..Default::default()
        }
    }

    pub fn is_host(&self) -> bool {
        self.id == "host"
    }
}

/// One runtime event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Monotonic sequence number assigned by the sensor.
    #[serde(default)]
    pub num: u64,
    /// Wall-clock time, ns since the epoch.
    pub ts_ns: u64,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// Thread ID.
    pub tid: u32,
    /// Return value (negative errno on failure); absent when the event was
    /// reported at syscall entry only (e.g. the process was killed there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub res: Option<i64>,
    #[serde(default)]
    pub args: Args,
    pub process: Arc<Process>,
    pub container: Arc<Container>,
}

impl Event {
    /// Falco's `evt.failed`.
    pub fn failed(&self) -> bool {
        matches!(self.res, Some(r) if r < 0)
    }
}

/// Open flags we name, Linux x86_64 / asm-generic values.
pub mod open_flags {
    pub const O_WRONLY: u64 = 0o1;
    pub const O_RDWR: u64 = 0o2;
    pub const O_CREAT: u64 = 0o100;
    pub const O_EXCL: u64 = 0o200;
    pub const O_TRUNC: u64 = 0o1000;
    pub const O_APPEND: u64 = 0o2000;
    pub const O_DIRECTORY: u64 = 0o200000;
    pub const O_CLOEXEC: u64 = 0o2000000;
    pub const O_TMPFILE: u64 = 0o20200000;

    /// Falco's rendering of open flags, e.g. `O_WRONLY|O_CREAT|O_TRUNC`.
    pub fn render(flags: u64) -> String {
        let mut parts: Vec<&str> = Vec::new();
        match flags & 0o3 {
            0 => parts.push("O_RDONLY"),
            1 => parts.push("O_WRONLY"),
            _ => parts.push("O_RDWR"),
        }
        for (bit, name) in [
            (O_CREAT, "O_CREAT"),
            (O_EXCL, "O_EXCL"),
            (O_TRUNC, "O_TRUNC"),
            (O_APPEND, "O_APPEND"),
            (O_DIRECTORY, "O_DIRECTORY"),
            (O_CLOEXEC, "O_CLOEXEC"),
        ] {
            if flags & bit == bit {
                parts.push(name);
            }
        }
        if flags & O_TMPFILE == O_TMPFILE {
            parts.push("O_TMPFILE");
        }
        parts.join("|")
    }

    /// Falco's `evt.is_open_write`.
    pub fn is_write(flags: u64) -> bool {
        flags & 0o3 != 0 || flags & (O_CREAT | O_TRUNC) != 0
    }

    pub fn is_read(flags: u64) -> bool {
        flags & 0o3 != 1
    }
}
