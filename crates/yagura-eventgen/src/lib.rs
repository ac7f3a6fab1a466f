//! Event generator for the yagura runtime sensor tests.
//!
//! Every action really performs the syscalls of one attack behaviour (reading
//! `/etc/shadow`, a bash `/dev/tcp` reverse shell, `ptrace` attach, ...) so
//! that a running sensor observes genuine kernel events. There is no
//! detection logic here. Side effects are confined to a work directory or to
//! uniquely named files that are removed before the action returns.

pub mod actions;
pub mod args;
pub mod cgroup;
mod sys;

use std::path::PathBuf;

pub use actions::run;
pub use args::{parse_args, Command, RunOptions};
pub use cgroup::{CgroupLayout, ContainerCgroup};

/// Errors of the event generator. Each names the file or resource involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("usage: {0}")]
    Usage(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Failed(String),
    #[error("{path} already exists; refusing to touch a file this tool did not create")]
    Exists { path: PathBuf },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The last OS error (errno), with context.
    pub(crate) fn last_os(context: impl Into<String>) -> Self {
        Error::io(context, std::io::Error::last_os_error())
    }
}

/// Whether an action is meant to run inside a (docker-named) container cgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerUse {
    /// The behaviour is a host behaviour; `--in-container` is allowed but not needed.
    Any,
    /// The behaviour is only suspicious inside a container: run it with
    /// `--in-container ID64`. Running it without gives the negative case.
    Expected,
}

/// Static description of one action.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ActionInfo {
    pub name: &'static str,
    pub description: &'static str,
    /// Syscalls the action makes on purpose (the ones a sensor should see).
    pub syscalls: &'static [&'static str],
    pub container: ContainerUse,
    /// Names of the numeric positional parameters after the action name.
    pub params: &'static [&'static str],
}

const fn info(
    name: &'static str,
    description: &'static str,
    syscalls: &'static [&'static str],
    container: ContainerUse,
    params: &'static [&'static str],
) -> ActionInfo {
    ActionInfo {
        name,
        description,
        syscalls,
        container,
        params,
    }
}

use ContainerUse::{Any, Expected};

static ACTIONS: &[ActionInfo] = &[
    info(
        "shell-in-container",
        "spawn `/bin/sh -c true`",
        &["clone", "execve"],
        Expected,
        &[],
    ),
    info(
        "read-shadow",
        "child with comm `yagura-evil` opens /etc/shadow read-only",
        &["clone", "prctl", "openat"],
        Any,
        &[],
    ),
    info(
        "read-ssh-key",
        "create ~/.ssh/id_yagura_test, open it read-only from a child with comm `yagura-evil`, remove it",
        &["clone", "prctl", "openat", "unlink"],
        Any,
        &[],
    ),
    info(
        "read-aws-credentials",
        "open ~/.aws/credentials read-only from a child with comm `yagura-evil` (created and removed if absent, never modified if present)",
        &["clone", "prctl", "openat"],
        Any,
        &[],
    ),
    info(
        "write-below-bin",
        "create (O_WRONLY|O_CREAT) and unlink /usr/local/bin/yagura-eventgen-test",
        &["openat", "write", "unlink"],
        Any,
        &[],
    ),
    info(
        "write-below-etc",
        "create (O_WRONLY|O_CREAT) and unlink /etc/yagura-eventgen-test",
        &["openat", "write", "unlink"],
        Any,
        &[],
    ),
    info(
        "package-manager-in-container",
        "spawn `dpkg --version` (or apt-get, or a copy of /bin/true named dpkg)",
        &["clone", "execve"],
        Expected,
        &[],
    ),
    info(
        "netcat-reverse-shell",
        "bash connects to a local listener through /dev/tcp and redirects stdin/stdout/stderr to the socket",
        &["clone", "execve", "socket", "connect", "dup2", "write", "listen", "accept"],
        Any,
        &[],
    ),
    info(
        "miner-pool-connect",
        "child with `stratum+tcp://127.0.0.1:PORT` in argv connects to a local listener on 3333 (or 14444) and sends a stratum subscribe",
        &["clone", "execve", "socket", "connect", "write"],
        Any,
        &[],
    ),
    info(
        "ptrace-attach",
        "PTRACE_ATTACH to a sleeping child, then detach and kill it",
        &["clone", "ptrace", "wait4", "kill"],
        Any,
        &[],
    ),
    info(
        "kernel-module-load",
        "finit_module on an empty file and init_module on a 16-byte invalid image (both fail; nothing is loaded)",
        &["finit_module", "init_module"],
        Any,
        &[],
    ),
    info(
        "memfd-exec",
        "copy /bin/true into memfd `yagura-fileless` and execveat it with AT_EMPTY_PATH",
        &["memfd_create", "write", "clone", "execveat"],
        Any,
        &[],
    ),
    info(
        "drop-and-execute",
        "write a new executable WORKDIR/dropped-bin (copy of /bin/true, mode 755) and execute it",
        &["openat", "write", "fchmod", "clone", "execve", "unlink"],
        Expected,
        &[],
    ),
    info(
        "setuid-escalation",
        "child drops to uid 65534 keeping saved uid 0 (setresuid), then calls setuid(0)",
        &["clone", "setresuid", "setuid"],
        Any,
        &[],
    ),
    info(
        "setns-unshare-in-container",
        "a child unshares CLONE_NEWNS|CLONE_NEWUTS and stays paused; a second child setns()es into its mount namespace (/proc/PID/ns/mnt) and exits",
        &["clone", "unshare", "openat", "setns"],
        Expected,
        &[],
    ),
    info(
        "mount-host-path-in-container",
        "child in a private mount namespace bind-mounts / onto WORKDIR/mnt, then unmounts it",
        &["clone", "unshare", "mount", "umount2"],
        Expected,
        &[],
    ),
    info(
        "release-agent-write",
        "child in a private mount namespace mounts a named cgroup v1 hierarchy at WORKDIR/cg and opens its release_agent O_WRONLY (writes nothing); falls back to WORKDIR/release_agent",
        &["clone", "unshare", "mount", "openat", "umount2"],
        Any,
        &[],
    ),
    info(
        "outbound-connect-untrusted",
        "child whose comm is set to `cat` (prctl) connects to a local listener, or to --remote",
        &["clone", "prctl", "socket", "connect", "write"],
        Any,
        &[],
    ),
    info(
        "log-clearing",
        "create /var/log/yagura-eventgen.log, truncate it (O_WRONLY|O_TRUNC), unlink it",
        &["openat", "write", "unlink"],
        Any,
        &[],
    ),
    info(
        "disable-history",
        "spawn `/bin/sh -c 'unset HISTFILE; export HISTFILE=/dev/null; true'`, truncate and unlink WORKDIR/.bash_history, symlink it to /dev/null",
        &["clone", "execve", "openat", "unlink", "symlink"],
        Any,
        &[],
    ),
    info(
        "open-close-loop",
        "benchmark: N open+close of a file in WORKDIR; prints elapsed seconds and ops/s",
        &["openat", "close"],
        Any,
        &["N"],
    ),
    info(
        "fork-exec-loop",
        "benchmark: N fork+exec+wait of /bin/true; prints elapsed seconds and ops/s",
        &["clone", "execve", "wait4"],
        Any,
        &["N"],
    ),
    info(
        "syscall-rate",
        "paced open+close of WORKDIR/rate-file at about RATE syscalls/s for SECONDS; prints exact counts",
        &["openat", "close"],
        Any,
        &["RATE", "SECONDS"],
    ),
];

/// All actions, in the order `list` prints them.
pub fn actions() -> &'static [ActionInfo] {
    ACTIONS
}

/// Looks an action up by name.
pub fn action(name: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.name == name)
}
