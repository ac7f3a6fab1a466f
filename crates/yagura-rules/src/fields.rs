//! Falco field names resolved once into [`Field`] ids, and their extraction from
//! a [`yagura_event::Event`].

use std::borrow::Cow;
use std::cell::OnceCell;
use std::net::IpAddr;

use yagura_event::{open_flags, Event, EventType, SockAddr};

use crate::condition::FieldRef;

/// Which socket endpoint an `fd.*` network field reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Server,
    Client,
    Remote,
    Local,
    /// Either end (`fd.ip`, `fd.port`, `fd.net`): matches if one of them does.
    Any,
}

/// Event arguments by the names Falco gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    Res,
    Name,
    Path,
    Oldpath,
    Newpath,
    Flags,
    Mode,
    Fd,
    Tuple,
    Addr,
    Request,
    Pid,
    Uid,
    Gid,
    Nstype,
    Dev,
    Dir,
    Type,
    Cmd,
    Backlog,
}

impl Arg {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "res" => Self::Res,
            "name" => Self::Name,
            "path" | "filename" | "pathname" => Self::Path,
            "oldpath" => Self::Oldpath,
            "newpath" | "target" | "linkpath" => Self::Newpath,
            "flags" => Self::Flags,
            "mode" => Self::Mode,
            "fd" | "dirfd" => Self::Fd,
            "tuple" => Self::Tuple,
            "addr" => Self::Addr,
            "request" => Self::Request,
            "pid" => Self::Pid,
            "uid" | "ruid" | "euid" => Self::Uid,
            "gid" | "rgid" | "egid" => Self::Gid,
            "nstype" => Self::Nstype,
            "dev" => Self::Dev,
            "dir" => Self::Dir,
            "type" => Self::Type,
            "cmd" => Self::Cmd,
            "backlog" => Self::Backlog,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Res => "res",
            Self::Name => "name",
            Self::Path => "path",
            Self::Oldpath => "oldpath",
            Self::Newpath => "newpath",
            Self::Flags => "flags",
            Self::Mode => "mode",
            Self::Fd => "fd",
            Self::Tuple => "tuple",
            Self::Addr => "addr",
            Self::Request => "request",
            Self::Pid => "pid",
            Self::Uid => "uid",
            Self::Gid => "gid",
            Self::Nstype => "nstype",
            Self::Dev => "dev",
            Self::Dir => "dir",
            Self::Type => "type",
            Self::Cmd => "cmd",
            Self::Backlog => "backlog",
        }
    }

    fn is_text(self) -> bool {
        matches!(
            self,
            Self::Name
                | Self::Path
                | Self::Oldpath
                | Self::Newpath
                | Self::Tuple
                | Self::Addr
                | Self::Dev
                | Self::Dir
                | Self::Type
        )
    }
}

/// Falco's exit-event parameter order for `evt.arg[N]` (and `evt.args`).
/// Exact for the file and network calls; approximate for the others.
fn args_of(kind: EventType) -> &'static [Arg] {
    use EventType as T;
    match kind {
        T::Open | T::Openat | T::Openat2 | T::Creat => {
            &[Arg::Res, Arg::Name, Arg::Flags, Arg::Mode]
        }
        T::Rename | T::Renameat | T::Renameat2 => &[Arg::Res, Arg::Oldpath, Arg::Newpath],
        T::Unlink => &[Arg::Res, Arg::Path],
        T::Unlinkat => &[Arg::Res, Arg::Name, Arg::Flags],
        T::Chmod | T::Fchmodat => &[Arg::Res, Arg::Path, Arg::Mode],
        T::Fchmod => &[Arg::Res, Arg::Fd, Arg::Mode],
        T::Chown | T::Lchown | T::Fchownat => &[Arg::Res, Arg::Path, Arg::Uid, Arg::Gid],
        T::Fchown => &[Arg::Res, Arg::Fd, Arg::Uid, Arg::Gid],
        T::Connect => &[Arg::Res, Arg::Tuple, Arg::Fd],
        T::Accept | T::Accept4 => &[Arg::Fd, Arg::Tuple],
        T::Bind => &[Arg::Res, Arg::Addr],
        T::Listen => &[Arg::Res, Arg::Fd, Arg::Backlog],
        T::Ptrace => &[Arg::Res, Arg::Request, Arg::Pid],
        T::Setuid | T::Setreuid | T::Setresuid => &[Arg::Res, Arg::Uid],
        T::Setgid | T::Setregid | T::Setresgid => &[Arg::Res, Arg::Gid],
        T::Setns => &[Arg::Res, Arg::Fd, Arg::Nstype],
        T::Unshare => &[Arg::Res, Arg::Flags],
        T::Mount => &[Arg::Res, Arg::Dev, Arg::Dir, Arg::Type, Arg::Flags],
        T::MemfdCreate => &[Arg::Res, Arg::Name, Arg::Flags],
        T::FinitModule => &[Arg::Res, Arg::Fd],
        T::Bpf => &[Arg::Res, Arg::Cmd],
        _ => &[Arg::Res],
    }
}

/// A field resolved at engine-build time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    EvtType,
    EvtNum,
    EvtTime,
    EvtRawtime,
    EvtRes,
    EvtRawres,
    EvtFailed,
    EvtDir,
    EvtIsOpenWrite,
    EvtIsOpenRead,
    EvtIsOpenExec,
    EvtArgs,
    EvtArg(Arg),
    EvtRawArg(Arg),
    EvtArgIndex(usize),
    ProcName,
    ProcExe,
    ProcExepath,
    ProcCmdline,
    ProcArgs,
    ProcPid,
    ProcPpid,
    ProcVpid,
    ProcPname,
    ProcPexe,
    ProcPexepath,
    ProcPcmdline,
    /// `Some(0)` is the process itself; `None` means any ancestor.
    ProcAname(Option<usize>),
    ProcApid(Option<usize>),
    ProcAexepath(Option<usize>),
    ProcCwd,
    /// ns since the process started.
    ProcDuration,
    ProcTty,
    ProcSid,
    ProcExeUpperLayer,
    ProcExeFromMemfd,
    UserUid,
    UserName,
    UserLoginuid,
    UserLoginname,
    GroupGid,
    GroupName,
    FdName,
    FdDirectory,
    FdFilename,
    FdTypechar,
    FdType,
    FdNum,
    /// `fd.sip`, `fd.net`...: IP-valued, compared with CIDR semantics.
    FdIp(Endpoint),
    FdPort(Endpoint),
    FdL4proto,
    FdSockfamily,
    /// The socket is connected: a connect that succeeded (or is in progress), an accept.
    FdConnected,
    /// The event gave the fd its name (connect, accept, bind).
    FdNameChanged,
    ContainerId,
    ContainerFullId,
    ContainerName,
    ContainerImage,
    ContainerImageRepository,
    ContainerImageTag,
    ContainerImageId,
    ContainerPrivileged,
    ContainerLabel(String),
    K8sPodName,
    K8sPodUid,
    K8sPodLabel(String),
    K8sPodLabels,
    K8sNsName,
}

/// How a field's values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Bool,
    Ip,
}

fn index_arg(arg: &Option<String>, name: &str) -> Result<Option<usize>, String> {
    match arg {
        None => Ok(None),
        Some(a) => a
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("bad index {a:?} for {name}")),
    }
}

impl Field {
    /// Resolve a Falco field reference; `Err` names why it is unknown.
    pub fn resolve(f: &FieldRef) -> Result<Field, String> {
        let unknown = || format!("unknown field {f}");
        let plain = |x: Field| {
            if f.arg.is_some() {
                Err(unknown())
            } else {
                Ok(x)
            }
        };
        if let Some(a) = f.name.strip_prefix("evt.arg.") {
            return Arg::from_name(a)
                .map(Field::EvtArg)
                .ok_or_else(unknown)
                .and_then(plain);
        }
        if let Some(a) = f.name.strip_prefix("evt.rawarg.") {
            return Arg::from_name(a)
                .map(Field::EvtRawArg)
                .ok_or_else(unknown)
                .and_then(plain);
        }
        let labelled = |mk: fn(String) -> Field| match &f.arg {
            Some(a) => Ok(mk(a.clone())),
            None => Err(unknown()),
        };
        match f.name.as_str() {
            "evt.arg" | "evt.rawarg" => match &f.arg {
                Some(a) => match a.parse::<usize>() {
                    Ok(n) => Ok(Field::EvtArgIndex(n)),
                    Err(_) => Arg::from_name(a)
                        .map(if f.name == "evt.arg" {
                            Field::EvtArg
                        } else {
                            Field::EvtRawArg
                        })
                        .ok_or_else(unknown),
                },
                None => Err(unknown()),
            },
            "proc.aname" => Ok(Field::ProcAname(index_arg(&f.arg, &f.name)?)),
            "proc.apid" => Ok(Field::ProcApid(index_arg(&f.arg, &f.name)?)),
            "proc.aexepath" => Ok(Field::ProcAexepath(index_arg(&f.arg, &f.name)?)),
            "container.label" => labelled(Field::ContainerLabel),
            "k8s.pod.label" => labelled(Field::K8sPodLabel),
            name => plain(match name {
                "evt.type" => Field::EvtType,
                "evt.num" => Field::EvtNum,
                "evt.time" => Field::EvtTime,
                "evt.rawtime" => Field::EvtRawtime,
                "evt.res" => Field::EvtRes,
                "evt.rawres" => Field::EvtRawres,
                "evt.failed" => Field::EvtFailed,
                "evt.dir" => Field::EvtDir,
                "evt.is_open_write" => Field::EvtIsOpenWrite,
                "evt.is_open_read" => Field::EvtIsOpenRead,
                "evt.is_open_exec" => Field::EvtIsOpenExec,
                "evt.args" => Field::EvtArgs,
                "proc.name" => Field::ProcName,
                "proc.exe" => Field::ProcExe,
                "proc.exepath" => Field::ProcExepath,
                "proc.cmdline" => Field::ProcCmdline,
                "proc.args" => Field::ProcArgs,
                "proc.pid" => Field::ProcPid,
                "proc.ppid" => Field::ProcPpid,
                "proc.vpid" => Field::ProcVpid,
                "proc.pname" => Field::ProcPname,
                "proc.pexe" => Field::ProcPexe,
                "proc.pexepath" => Field::ProcPexepath,
                "proc.pcmdline" => Field::ProcPcmdline,
                "proc.cwd" => Field::ProcCwd,
                "proc.duration" => Field::ProcDuration,
                "proc.tty" => Field::ProcTty,
                "proc.sid" => Field::ProcSid,
                "proc.is_exe_upper_layer" => Field::ProcExeUpperLayer,
                "proc.is_exe_from_memfd" => Field::ProcExeFromMemfd,
                "user.uid" => Field::UserUid,
                "user.name" => Field::UserName,
                "user.loginuid" => Field::UserLoginuid,
                "user.loginname" => Field::UserLoginname,
                "group.gid" => Field::GroupGid,
                "group.name" => Field::GroupName,
                "fd.name" => Field::FdName,
                "fd.directory" => Field::FdDirectory,
                "fd.filename" => Field::FdFilename,
                "fd.typechar" => Field::FdTypechar,
                "fd.type" => Field::FdType,
                "fd.num" => Field::FdNum,
                "fd.sip" | "fd.snet" => Field::FdIp(Endpoint::Server),
                "fd.cip" | "fd.cnet" => Field::FdIp(Endpoint::Client),
                "fd.rip" | "fd.rnet" => Field::FdIp(Endpoint::Remote),
                "fd.lip" | "fd.lnet" => Field::FdIp(Endpoint::Local),
                "fd.ip" | "fd.net" => Field::FdIp(Endpoint::Any),
                "fd.sport" => Field::FdPort(Endpoint::Server),
                "fd.cport" => Field::FdPort(Endpoint::Client),
                "fd.rport" => Field::FdPort(Endpoint::Remote),
                "fd.lport" => Field::FdPort(Endpoint::Local),
                "fd.port" => Field::FdPort(Endpoint::Any),
                "fd.l4proto" => Field::FdL4proto,
                "fd.sockfamily" => Field::FdSockfamily,
                "fd.connected" => Field::FdConnected,
                "fd.name_changed" => Field::FdNameChanged,
                "container.id" => Field::ContainerId,
                "container.full_id" => Field::ContainerFullId,
                "container.name" => Field::ContainerName,
                "container.image" => Field::ContainerImage,
                "container.image.repository" => Field::ContainerImageRepository,
                "container.image.tag" => Field::ContainerImageTag,
                "container.image.id" => Field::ContainerImageId,
                "container.privileged" => Field::ContainerPrivileged,
                "k8s.pod.name" => Field::K8sPodName,
                "k8s.pod.uid" => Field::K8sPodUid,
                "k8s.pod.labels" => Field::K8sPodLabels,
                "k8s.ns.name" => Field::K8sNsName,
                _ => return Err(unknown()),
            }),
        }
    }

    pub fn kind(&self) -> Kind {
        use Field as F;
        match self {
            F::EvtNum
            | F::EvtRawtime
            | F::EvtRawres
            | F::ProcPid
            | F::ProcPpid
            | F::ProcVpid
            | F::ProcApid(_)
            | F::ProcTty
            | F::ProcDuration
            | F::ProcSid
            | F::UserUid
            | F::UserLoginuid
            | F::GroupGid
            | F::FdNum
            | F::FdPort(_) => Kind::Int,
            F::EvtRawArg(a) if !a.is_text() => Kind::Int,
            F::EvtFailed
            | F::EvtIsOpenWrite
            | F::EvtIsOpenRead
            | F::EvtIsOpenExec
            | F::ProcExeUpperLayer
            | F::ProcExeFromMemfd
            | F::FdConnected
            | F::FdNameChanged
            | F::ContainerPrivileged => Kind::Bool,
            F::FdIp(_) => Kind::Ip,
            _ => Kind::Str,
        }
    }
}

/// An extracted value. `Many` holds the values of a multi-valued field
/// (`proc.aname`, `fd.ip`...): a check matches if one of them does.
// A full-width tag keeps every payload 8-byte aligned: with a byte tag the bool
// payload sat at offset 1 and each move of a `V` became overlapping unaligned
// copies that stalled store forwarding (most of the evaluation time).
#[derive(Debug, Clone, PartialEq)]
#[repr(u64)]
pub enum V<'a> {
    S(Cow<'a, str>),
    I(i64),
    B(bool),
    Ip(Addr),
    Many(Vec<V<'a>>),
}

/// An address kept 8-byte aligned: `IpAddr` has alignment 1, which puts it at
/// offset 1 inside [`V`], and every move of a `V` then paid for unaligned
/// overlapping copies (store-forwarding stalls, a third of the evaluation time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(align(8))]
pub struct Addr(pub IpAddr);

impl V<'_> {
    /// Text form, as Falco prints it in outputs.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            V::S(s) => Cow::Borrowed(s),
            V::I(i) => Cow::Owned(i.to_string()),
            V::B(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            V::Ip(ip) => Cow::Owned(ip.0.to_string()),
            V::Many(v) => Cow::Owned(
                v.iter()
                    .map(|x| x.text().into_owned())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        }
    }
}

/// Per-event lazily computed strings, shared by every rule evaluated on the event.
pub struct Ctx<'a> {
    pub ev: &'a Event,
    cmdline: OnceCell<String>,
    fd_name: OnceCell<Option<String>>,
}

impl<'a> Ctx<'a> {
    pub fn new(ev: &'a Event) -> Self {
        Ctx {
            ev,
            cmdline: OnceCell::new(),
            fd_name: OnceCell::new(),
        }
    }
}

fn s(x: &str) -> Option<V<'_>> {
    Some(V::S(Cow::Borrowed(x)))
}

fn nonempty(x: &str) -> Option<V<'_>> {
    if x.is_empty() {
        None
    } else {
        s(x)
    }
}

fn owned<'a>(x: String) -> Option<V<'a>> {
    Some(V::S(Cow::Owned(x)))
}

fn sockaddr_text(a: &SockAddr) -> String {
    match a {
        SockAddr::Inet {
            ip: IpAddr::V6(ip),
            port,
        } => format!("[{ip}]:{port}"),
        SockAddr::Inet { ip, port } => format!("{ip}:{port}"),
        SockAddr::Unix { path } => path.clone(),
        SockAddr::Other { family } => format!("family {family}"),
    }
}

// Byte scans: `/` is ASCII, and for short paths a plain loop beats the generic
// char searcher.
fn last_slash(p: &str) -> Option<usize> {
    p.bytes().rposition(|b| b == b'/')
}

fn basename(p: &str) -> &str {
    match last_slash(p) {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

fn dirname(p: &str) -> &str {
    match last_slash(p) {
        Some(0) => "/",
        Some(i) => &p[..i],
        None => ".",
    }
}

fn is_open(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::Open | EventType::Openat | EventType::Openat2 | EventType::Creat
    )
}

/// Effective open flags: `creat` is `open(O_CREAT|O_WRONLY|O_TRUNC)`.
fn open_flags_of(ev: &Event) -> Option<u64> {
    match ev.kind {
        EventType::Creat => Some(
            ev.args.flags.unwrap_or(0)
                | open_flags::O_CREAT
                | open_flags::O_WRONLY
                | open_flags::O_TRUNC,
        ),
        k if is_open(k) => ev.args.flags,
        _ => None,
    }
}

/// (server, client) of a connection: `connect` is the client side, `accept` the server.
fn server_client(ev: &Event) -> (Option<&SockAddr>, Option<&SockAddr>) {
    let Some(c) = &ev.args.connection else {
        return (None, None);
    };
    match ev.kind {
        EventType::Accept | EventType::Accept4 | EventType::Listen | EventType::Bind => {
            (c.local.as_ref(), c.remote.as_ref())
        }
        _ => (c.remote.as_ref(), c.local.as_ref()),
    }
}

fn endpoint(ev: &Event, which: Endpoint) -> Vec<&SockAddr> {
    let c = ev.args.connection.as_ref();
    let (server, client) = server_client(ev);
    let one = match which {
        Endpoint::Server => server,
        Endpoint::Client => client,
        Endpoint::Remote => c.and_then(|c| c.remote.as_ref()),
        Endpoint::Local => c.and_then(|c| c.local.as_ref()),
        Endpoint::Any => return server.into_iter().chain(client).collect(),
    };
    one.into_iter().collect()
}

fn ip_port(a: &SockAddr) -> Option<(IpAddr, u16)> {
    match a {
        SockAddr::Inet { ip, port } => Some((*ip, *port)),
        _ => None,
    }
}

fn many_or_one(mut v: Vec<V<'_>>) -> Option<V<'_>> {
    match v.len() {
        0 => None,
        1 => v.pop(),
        _ => Some(V::Many(v)),
    }
}

fn socket_name(ev: &Event) -> Option<String> {
    let c = ev.args.connection.as_ref()?;
    let (server, client) = server_client(ev);
    match (client, server) {
        (Some(cl), Some(sv)) => Some(format!("{}->{}", sockaddr_text(cl), sockaddr_text(sv))),
        _ => c.local.as_ref().or(c.remote.as_ref()).map(sockaddr_text),
    }
}

fn fd_family(ev: &Event) -> Option<(&'static str, &'static str)> {
    if ev.kind.is_file() {
        return ev.args.path.as_ref().map(|_| ("f", "file"));
    }
    let c = ev.args.connection.as_ref()?;
    let a = c.remote.as_ref().or(c.local.as_ref())?;
    Some(match a {
        SockAddr::Inet {
            ip: IpAddr::V4(_), ..
        } => ("4", "ipv4"),
        SockAddr::Inet {
            ip: IpAddr::V6(_), ..
        } => ("6", "ipv6"),
        SockAddr::Unix { .. } => ("u", "unix"),
        SockAddr::Other { .. } => ("o", "socket"),
    })
}

fn image_parts(image: &str) -> (&str, &str) {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last_slash = no_digest.rfind('/').map(|i| i + 1).unwrap_or(0);
    match no_digest[last_slash..].rfind(':') {
        Some(i) => (
            &no_digest[..last_slash + i],
            &no_digest[last_slash + i + 1..],
        ),
        None => (no_digest, ""),
    }
}

fn render_bits(flags: u64, table: &[(u64, &str)]) -> String {
    let mut parts: Vec<String> = table
        .iter()
        .filter(|(bit, _)| flags & bit == *bit && *bit != 0)
        .map(|(_, n)| n.to_string())
        .collect();
    let known: u64 = table.iter().fold(0, |a, (b, _)| a | b);
    if flags & !known != 0 || parts.is_empty() {
        parts.push(format!("{:#x}", flags & !known));
    }
    parts.join("|")
}

const CLONE_FLAGS: &[(u64, &str)] = &[
    (0x100, "CLONE_VM"),
    (0x200, "CLONE_FS"),
    (0x400, "CLONE_FILES"),
    (0x800, "CLONE_SIGHAND"),
    (0x10000, "CLONE_THREAD"),
    (0x80, "CLONE_NEWTIME"),
    (0x20000, "CLONE_NEWNS"),
    (0x0200_0000, "CLONE_NEWCGROUP"),
    (0x0400_0000, "CLONE_NEWUTS"),
    (0x0800_0000, "CLONE_NEWIPC"),
    (0x1000_0000, "CLONE_NEWUSER"),
    (0x2000_0000, "CLONE_NEWPID"),
    (0x4000_0000, "CLONE_NEWNET"),
];

const MFD_FLAGS: &[(u64, &str)] = &[
    (1, "MFD_CLOEXEC"),
    (2, "MFD_ALLOW_SEALING"),
    (4, "MFD_HUGETLB"),
    (8, "MFD_NOEXEC_SEAL"),
    (0x10, "MFD_EXEC"),
];

const MS_FLAGS: &[(u64, &str)] = &[
    (1, "MS_RDONLY"),
    (2, "MS_NOSUID"),
    (4, "MS_NODEV"),
    (8, "MS_NOEXEC"),
    (0x1000, "MS_BIND"),
    (0x2000, "MS_MOVE"),
    (0x4000, "MS_REC"),
    (0x40000, "MS_PRIVATE"),
    (0x100000, "MS_SHARED"),
    (0x20, "MS_REMOUNT"),
];

/// Falco's names for ptrace requests.
pub fn ptrace_request_name(r: i64) -> Option<&'static str> {
    Some(match r {
        0 => "PTRACE_TRACEME",
        1 => "PTRACE_PEEKTEXT",
        2 => "PTRACE_PEEKDATA",
        3 => "PTRACE_PEEKUSR",
        4 => "PTRACE_POKETEXT",
        5 => "PTRACE_POKEDATA",
        6 => "PTRACE_POKEUSR",
        7 => "PTRACE_CONT",
        8 => "PTRACE_KILL",
        9 => "PTRACE_SINGLESTEP",
        12 => "PTRACE_GETREGS",
        13 => "PTRACE_SETREGS",
        16 => "PTRACE_ATTACH",
        17 => "PTRACE_DETACH",
        24 => "PTRACE_SYSCALL",
        0x4200 => "PTRACE_SETOPTIONS",
        0x4201 => "PTRACE_GETEVENTMSG",
        0x4202 => "PTRACE_GETSIGINFO",
        0x4203 => "PTRACE_SETSIGINFO",
        0x4206 => "PTRACE_SEIZE",
        0x4207 => "PTRACE_INTERRUPT",
        0x4208 => "PTRACE_LISTEN",
        _ => return None,
    })
}

fn bpf_cmd_name(c: i64) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "BPF_MAP_CREATE",
        "BPF_MAP_LOOKUP_ELEM",
        "BPF_MAP_UPDATE_ELEM",
        "BPF_MAP_DELETE_ELEM",
        "BPF_MAP_GET_NEXT_KEY",
        "BPF_PROG_LOAD",
        "BPF_OBJ_PIN",
        "BPF_OBJ_GET",
        "BPF_PROG_ATTACH",
        "BPF_PROG_DETACH",
    ];
    usize::try_from(c).ok().and_then(|i| NAMES.get(i).copied())
}

fn errno_name(e: i64) -> Option<&'static str> {
    Some(match e {
        1 => "EPERM",
        2 => "ENOENT",
        3 => "ESRCH",
        4 => "EINTR",
        5 => "EIO",
        6 => "ENXIO",
        7 => "E2BIG",
        8 => "ENOEXEC",
        9 => "EBADF",
        10 => "ECHILD",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        14 => "EFAULT",
        16 => "EBUSY",
        17 => "EEXIST",
        18 => "EXDEV",
        19 => "ENODEV",
        20 => "ENOTDIR",
        21 => "EISDIR",
        22 => "EINVAL",
        23 => "ENFILE",
        24 => "EMFILE",
        26 => "ETXTBSY",
        28 => "ENOSPC",
        30 => "EROFS",
        32 => "EPIPE",
        38 => "ENOSYS",
        98 => "EADDRINUSE",
        101 => "ENETUNREACH",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        115 => "EINPROGRESS",
        _ => return None,
    })
}

fn u(x: u32) -> Option<V<'static>> {
    Some(V::I(i64::from(x)))
}

fn i64_of(x: u64) -> i64 {
    i64::try_from(x).unwrap_or(i64::MAX)
}

/// The raw (numeric or text) value of an argument.
fn raw_arg<'a>(ev: &'a Event, arg: Arg) -> Option<V<'a>> {
    let a = &ev.args;
    match arg {
        Arg::Res => ev.res.map(V::I),
        Arg::Name if ev.kind == EventType::MemfdCreate => a.name.as_deref().and_then(s),
        Arg::Name | Arg::Path | Arg::Oldpath => a.path.as_deref().or(a.name.as_deref()).and_then(s),
        Arg::Newpath | Arg::Dir => a.target.as_deref().and_then(s),
        Arg::Dev => a.source.as_deref().and_then(s),
        Arg::Type => a.fstype.as_deref().and_then(s),
        Arg::Flags | Arg::Nstype => a.flags.map(|f| V::I(i64_of(f))),
        Arg::Mode => a.mode.and_then(u),
        Arg::Fd => a.fd.map(V::I),
        Arg::Request => a.request.map(V::I),
        Arg::Pid => a.target_pid.and_then(u),
        Arg::Uid => a.uid.and_then(u),
        Arg::Gid => a.gid.and_then(u),
        Arg::Cmd => a.cmd.map(V::I),
        Arg::Backlog => a.backlog.map(V::I),
        Arg::Tuple => socket_name(ev).and_then(owned),
        Arg::Addr => {
            let c = a.connection.as_ref()?;
            c.remote
                .as_ref()
                .or(c.local.as_ref())
                .map(sockaddr_text)
                .and_then(owned)
        }
    }
}

/// The rendered value of an argument (`evt.arg.X`), as Falco prints it.
fn rendered_arg<'a>(ev: &'a Event, arg: Arg) -> Option<V<'a>> {
    let a = &ev.args;
    let text = match arg {
        Arg::Flags => {
            let f = a.flags?;
            match ev.kind {
                k if is_open(k) => open_flags::render(f),
                EventType::Unshare | EventType::Clone | EventType::Clone3 | EventType::Setns => {
                    render_bits(f, CLONE_FLAGS)
                }
                EventType::MemfdCreate => render_bits(f, MFD_FLAGS),
                EventType::Mount => render_bits(f, MS_FLAGS),
                EventType::Unlinkat if f & 0x200 != 0 => "AT_REMOVEDIR".to_string(),
                _ => f.to_string(),
            }
        }
        Arg::Nstype => {
            let f = a.flags?;
            if f == 0 {
                "0".to_string()
            } else {
                render_bits(f, CLONE_FLAGS)
            }
        }
        Arg::Mode => format!("0{:o}", a.mode?),
        Arg::Request => {
            let r = a.request?;
            ptrace_request_name(r).map_or_else(|| r.to_string(), str::to_string)
        }
        Arg::Cmd => {
            let c = a.cmd?;
            bpf_cmd_name(c).map_or_else(|| c.to_string(), str::to_string)
        }
        Arg::Res => return evt_res(ev),
        _ => return raw_arg(ev, arg).map(|v| V::S(Cow::Owned(v.text().into_owned()))),
    };
    owned(text)
}

fn evt_res(ev: &Event) -> Option<V<'static>> {
    let r = ev.res?;
    Some(V::S(Cow::Borrowed(if r >= 0 {
        "SUCCESS"
    } else {
        return owned(errno_name(-r).map_or_else(|| format!("E{}", -r), str::to_string));
    })))
}

fn evt_args(ev: &Event) -> String {
    args_of(ev.kind)
        .iter()
        .filter_map(|a| rendered_arg(ev, *a).map(|v| format!("{}={}", a.name(), v.text())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `HH:MM:SS.nnnnnnnnn` in UTC, Falco's `evt.time` layout.
fn evt_time(ts_ns: u64) -> String {
    let secs = ts_ns / 1_000_000_000;
    let day = secs % 86_400;
    format!(
        "{:02}:{:02}:{:02}.{:09}",
        day / 3600,
        (day / 60) % 60,
        day % 60,
        ts_ns % 1_000_000_000
    )
}

fn labels_text(labels: &[(String, String)]) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn cmdline_of(name: &str, args: &[String]) -> String {
    let mut s = name.to_string();
    for a in args {
        s.push(' ');
        s.push_str(a);
    }
    s
}

/// How a field can be read without building a [`V`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fast {
    Str,
    Int,
    Bool,
    /// Owned, multi-valued or address values: only through [`extract`].
    No,
}

impl Field {
    pub fn fast(&self) -> Fast {
        use Field as F;
        match self {
            F::EvtType
            | F::EvtDir
            | F::ProcName
            | F::ProcExe
            | F::ProcExepath
            | F::ProcCmdline
            | F::ProcPname
            | F::ProcPexe
            | F::ProcPexepath
            | F::ProcAname(Some(_))
            | F::ProcAexepath(Some(_))
            | F::ProcCwd
            | F::UserName
            | F::UserLoginname
            | F::GroupName
            | F::FdName
            | F::FdDirectory
            | F::FdFilename
            | F::FdTypechar
            | F::FdType
            | F::FdL4proto
            | F::FdSockfamily
            | F::ContainerId
            | F::ContainerFullId
            | F::ContainerName
            | F::ContainerImage
            | F::ContainerImageRepository
            | F::ContainerImageTag
            | F::ContainerImageId
            | F::ContainerLabel(_)
            | F::K8sPodName
            | F::K8sPodUid
            | F::K8sPodLabel(_)
            | F::K8sNsName => Fast::Str,
            F::EvtArg(a) | F::EvtRawArg(a)
                if matches!(
                    a,
                    Arg::Name
                        | Arg::Path
                        | Arg::Oldpath
                        | Arg::Newpath
                        | Arg::Dir
                        | Arg::Dev
                        | Arg::Type
                ) =>
            {
                Fast::Str
            }
            F::EvtRawArg(a) if !a.is_text() => Fast::Int,
            F::EvtNum
            | F::EvtRawtime
            | F::EvtRawres
            | F::ProcPid
            | F::ProcPpid
            | F::ProcVpid
            | F::ProcApid(Some(_))
            | F::ProcTty
            | F::ProcSid
            | F::ProcDuration
            | F::UserUid
            | F::UserLoginuid
            | F::GroupGid
            | F::FdNum => Fast::Int,
            F::EvtFailed
            | F::EvtIsOpenWrite
            | F::EvtIsOpenRead
            | F::EvtIsOpenExec
            | F::ProcExeUpperLayer
            | F::ProcExeFromMemfd
            | F::FdConnected
            | F::FdNameChanged
            | F::ContainerPrivileged => Fast::Bool,
            _ => Fast::No,
        }
    }
}

fn ne(x: &str) -> Option<&str> {
    (!x.is_empty()).then_some(x)
}

fn file_path(ev: &Event) -> Option<&str> {
    if ev.kind.is_file() {
        ev.args.path.as_deref()
    } else {
        None
    }
}

/// A [`Fast::Str`] field; `None` for other fields or when absent.
pub fn get_str<'a>(ctx: &'a Ctx<'a>, f: &'a Field) -> Option<&'a str> {
    use Field as F;
    let ev = ctx.ev;
    let p = &*ev.process;
    let c = &*ev.container;
    match f {
        F::EvtType => Some(ev.kind.name()),
        F::EvtDir => Some("<"),
        F::ProcName | F::ProcAname(Some(0)) => Some(&p.name),
        F::ProcExe => Some(&p.exe),
        F::ProcExepath | F::ProcAexepath(Some(0)) => Some(&p.exepath),
        F::ProcCmdline => Some(ctx.cmdline.get_or_init(|| p.cmdline())),
        F::ProcPname => p.ancestors.first().map(|a| a.name.as_str()),
        F::ProcPexe | F::ProcPexepath => p.ancestors.first().and_then(|a| ne(&a.exepath)),
        F::ProcAname(Some(n)) => p.ancestors.get(n - 1).map(|a| a.name.as_str()),
        F::ProcAexepath(Some(n)) => p.ancestors.get(n - 1).and_then(|a| ne(&a.exepath)),
        F::ProcCwd => ne(&p.cwd),
        F::UserName => ne(&p.user),
        F::UserLoginname => ne(&p.loginuser),
        F::GroupName => ne(&p.group),
        F::FdName => {
            if ev.kind.is_file() {
                ev.args.path.as_deref()
            } else if ev.kind.is_network() {
                ctx.fd_name.get_or_init(|| socket_name(ev)).as_deref()
            } else {
                None
            }
        }
        F::FdDirectory => file_path(ev).map(dirname),
        F::FdFilename => file_path(ev).map(basename),
        F::FdTypechar => fd_family(ev).map(|(c, _)| c),
        F::FdType => fd_family(ev).map(|(_, t)| t),
        F::FdL4proto => ev.args.connection.as_ref().and_then(|c| ne(&c.l4proto)),
        F::FdSockfamily => fd_family(ev).and_then(|(c, _)| match c {
            "4" | "6" => Some("ip"),
            "u" => Some("unix"),
            _ => None,
        }),
        F::ContainerId => Some(&c.id),
        F::ContainerFullId if c.is_host() => Some("host"),
        F::ContainerFullId => ne(&c.full_id),
        F::ContainerName if c.is_host() => Some("host"),
        F::ContainerName => ne(&c.name),
        F::ContainerImage => ne(&c.image),
        F::ContainerImageRepository => ne(image_parts(&c.image).0),
        F::ContainerImageTag => ne(image_parts(&c.image).1),
        F::ContainerImageId => ne(&c.image_id),
        F::ContainerLabel(k) => c
            .labels
            .iter()
            .find(|(lk, _)| lk == k)
            .map(|(_, v)| v.as_str()),
        F::K8sPodName => ne(&c.pod_name),
        F::K8sPodUid => ne(&c.pod_uid),
        F::K8sPodLabel(k) => c
            .pod_labels
            .iter()
            .find(|(lk, _)| lk == k)
            .map(|(_, v)| v.as_str()),
        F::K8sNsName => ne(&c.pod_namespace),
        F::EvtArg(a) | F::EvtRawArg(a) => {
            let x = &ev.args;
            match a {
                Arg::Name if ev.kind == EventType::MemfdCreate => x.name.as_deref(),
                Arg::Name | Arg::Path | Arg::Oldpath => x.path.as_deref().or(x.name.as_deref()),
                Arg::Newpath | Arg::Dir => x.target.as_deref(),
                Arg::Dev => x.source.as_deref(),
                Arg::Type => x.fstype.as_deref(),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A [`Fast::Int`] field; `None` for other fields or when absent.
pub fn get_int(ctx: &Ctx<'_>, f: &Field) -> Option<i64> {
    use Field as F;
    let ev = ctx.ev;
    let p = &*ev.process;
    let a = &ev.args;
    match f {
        F::EvtNum => Some(i64_of(ev.num)),
        F::EvtRawtime => Some(i64_of(ev.ts_ns)),
        F::EvtRawres => ev.res,
        F::ProcPid | F::ProcApid(Some(0)) => Some(i64::from(p.pid)),
        F::ProcPpid => Some(i64::from(p.ppid)),
        // The pid in the container's namespace is not known; on the host it is the pid.
        F::ProcVpid => ev.container.is_host().then_some(i64::from(p.pid)),
        F::ProcApid(Some(n)) => p.ancestors.get(n - 1).map(|x| i64::from(x.pid)),
        F::ProcTty => Some(i64::from(p.tty)),
        F::ProcSid => Some(i64::from(p.sid)),
        F::ProcDuration => (p.start_ns != 0).then(|| i64_of(ev.ts_ns.saturating_sub(p.start_ns))),
        // Falco's user.uid/group.gid are the effective ids.
        F::UserUid => Some(i64::from(p.euid)),
        F::UserLoginuid => Some(if p.loginuid == u32::MAX {
            -1
        } else {
            i64::from(p.loginuid)
        }),
        F::GroupGid => Some(i64::from(p.egid)),
        F::FdNum => {
            if is_open(ev.kind) || matches!(ev.kind, EventType::Accept | EventType::Accept4) {
                ev.res.filter(|r| *r >= 0)
            } else {
                a.fd
            }
        }
        F::EvtRawArg(arg) => match arg {
            Arg::Res => ev.res,
            Arg::Flags | Arg::Nstype => a.flags.map(i64_of),
            Arg::Mode => a.mode.map(i64::from),
            Arg::Fd => a.fd,
            Arg::Request => a.request,
            Arg::Pid => a.target_pid.map(i64::from),
            Arg::Uid => a.uid.map(i64::from),
            Arg::Gid => a.gid.map(i64::from),
            Arg::Cmd => a.cmd,
            Arg::Backlog => a.backlog,
            _ => None,
        },
        _ => None,
    }
}

/// A [`Fast::Bool`] field; `None` for other fields or when absent.
pub fn get_bool(ctx: &Ctx<'_>, f: &Field) -> Option<bool> {
    use Field as F;
    let ev = ctx.ev;
    match f {
        F::EvtFailed => Some(ev.failed()),
        F::EvtIsOpenWrite => Some(open_flags_of(ev).is_some_and(open_flags::is_write)),
        F::EvtIsOpenRead => Some(open_flags_of(ev).is_some_and(open_flags::is_read)),
        F::EvtIsOpenExec => Some(
            open_flags_of(ev).is_some_and(|fl| fl & open_flags::O_CREAT != 0)
                && ev.args.mode.is_some_and(|m| m & 0o111 != 0),
        ),
        F::ProcExeUpperLayer => Some(ev.process.exe_written),
        F::ProcExeFromMemfd => Some(ev.process.exe_from_memfd),
        F::ContainerPrivileged => (!ev.container.is_host()).then_some(ev.container.privileged),
        F::FdConnected => ev.kind.is_network().then(|| {
            const EINPROGRESS: i64 = -115;
            match ev.kind {
                EventType::Connect => ev.res.is_some_and(|r| r >= 0 || r == EINPROGRESS),
                EventType::Accept | EventType::Accept4 => ev.res.is_some_and(|r| r >= 0),
                _ => false,
            }
        }),
        F::FdNameChanged => ev.kind.is_network().then_some(matches!(
            ev.kind,
            EventType::Connect | EventType::Accept | EventType::Accept4 | EventType::Bind
        )),
        _ => None,
    }
}

/// Extract a field; `None` when the event does not carry it.
pub fn extract<'a>(ctx: &'a Ctx<'a>, f: &'a Field) -> Option<V<'a>> {
    use Field as F;
    match f.fast() {
        Fast::Str => return get_str(ctx, f).and_then(s),
        Fast::Int => return get_int(ctx, f).map(V::I),
        Fast::Bool => return get_bool(ctx, f).map(V::B),
        Fast::No => {}
    }
    let ev = ctx.ev;
    let p = &*ev.process;
    let c = &*ev.container;
    match f {
        F::EvtTime => owned(evt_time(ev.ts_ns)),
        F::EvtRes => evt_res(ev),
        F::EvtArgs => owned(evt_args(ev)),
        F::EvtArg(a) => rendered_arg(ev, *a),
        F::EvtRawArg(a) => raw_arg(ev, *a),
        F::EvtArgIndex(n) => args_of(ev.kind).get(*n).and_then(|a| rendered_arg(ev, *a)),
        F::ProcArgs => owned(p.args.join(" ")),
        F::ProcPcmdline => p
            .ancestors
            .first()
            .and_then(|a| owned(cmdline_of(&a.name, &a.args))),
        F::ProcAname(None) => many_or_one(p.ancestors.iter().filter_map(|a| s(&a.name)).collect()),
        F::ProcApid(None) => many_or_one(p.ancestors.iter().filter_map(|a| u(a.pid)).collect()),
        F::ProcAexepath(None) => many_or_one(
            p.ancestors
                .iter()
                .filter_map(|a| nonempty(&a.exepath))
                .collect(),
        ),
        F::FdIp(which) => many_or_one(
            endpoint(ev, *which)
                .into_iter()
                .filter_map(ip_port)
                .map(|(ip, _)| V::Ip(Addr(ip)))
                .collect(),
        ),
        F::FdPort(which) => many_or_one(
            endpoint(ev, *which)
                .into_iter()
                .filter_map(ip_port)
                .map(|(_, port)| V::I(i64::from(port)))
                .collect(),
        ),
        F::K8sPodLabels => {
            if c.pod_labels.is_empty() {
                None
            } else {
                owned(labels_text(&c.pod_labels))
            }
        }
        // Fast fields are handled above.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_reference_parts() {
        assert_eq!(
            image_parts("docker.io/library/nginx:1.27"),
            ("docker.io/library/nginx", "1.27")
        );
        assert_eq!(
            image_parts("localhost:5000/app"),
            ("localhost:5000/app", "")
        );
        assert_eq!(
            image_parts("quay.io/x/y:v1@sha256:abc"),
            ("quay.io/x/y", "v1")
        );
    }

    #[test]
    fn renders() {
        assert_eq!(
            evt_time(86_400_000_000_000 + 3_723_000_000_005),
            "01:02:03.000000005"
        );
        assert_eq!(
            render_bits(0x1000_0000 | 0x4000_0000, CLONE_FLAGS),
            "CLONE_NEWUSER|CLONE_NEWNET"
        );
        assert_eq!(render_bits(1 << 40, CLONE_FLAGS), "0x10000000000");
        assert_eq!(dirname("/etc/shadow"), "/etc");
        assert_eq!(dirname("/x"), "/");
        assert_eq!(basename("/etc/shadow"), "shadow");
    }
}
