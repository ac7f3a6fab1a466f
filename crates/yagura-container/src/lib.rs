//! Container attribution for runtime events.
//!
//! Two steps, split so a sensor never waits on I/O:
//!
//! 1. **Identify** — [`container_from_cgroup_path`], [`container_from_proc_cgroup`]
//!    and [`container_from_cgroup_names`] turn a process's cgroup into a
//!    [`ContainerRef`]: the 64-hex container ID, the runtime, and the
//!    Kubernetes pod UID when the path runs through a kubepods pod cgroup.
//! 2. **Describe** — a [`Resolver`] looks the ID up in the runtime on a
//!    background thread and caches the [`yagura_event::Container`] record
//!    (name, image, labels, pod, privileged, start time).
//!
//! # Recognised cgroup components
//!
//! Matched per path component, cgroup v1 (`N:controllers:/path`) and v2
//! (`0::/path`) alike; `<id>` is exactly 64 lowercase hex digits.
//!
//! | component | runtime | typical path |
//! |---|---|---|
//! | `docker-<id>.scope` | Docker | `/system.slice/docker-<id>.scope` (systemd driver), `…/kubepods-…-pod<uid>.slice/docker-<id>.scope` (cri-dockerd) |
//! | `<id>` under `docker` | Docker | `/docker/<id>` (cgroupfs driver) |
//! | `cri-containerd-<id>.scope` | containerd | `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope` |
//! | `nerdctl-<id>.scope` | containerd | `/system.slice/nerdctl-<id>.scope` |
//! | `<id>` under `pod<uid>` | containerd (also tried against Docker) | `/kubepods/burstable/pod<uid>/<id>`, `/kubepods/pod<uid>/<id>` |
//! | `crio-<id>[.scope]` | CRI-O | `/kubepods.slice/…/crio-<id>.scope`, `/kubepods/besteffort/pod<uid>/crio-<id>` |
//! | `libpod-<id>[.scope]` | Podman | `/machine.slice/libpod-<id>.scope[/container]`, `/libpod_parent/libpod-<id>`, rootless `/user.slice/…/user@1000.service/user.slice/libpod-<id>.scope` |
//!
//! Deliberately **not** containers:
//! - `crio-conmon-<id>.scope` and `libpod-conmon-<id>.scope`: conmon is the
//!   host-side monitor of a container, not a process inside it.
//! - A bare 64-hex component anywhere except directly under `docker` or a
//!   `pod<uid>` cgroup: we could not tell which runtime to ask, and other
//!   software names cgroups with hashes.
//! - Host cgroups such as `/user.slice/…/session-3.scope`, `/init.scope`,
//!   `/system.slice/sshd.service`, and the root `/`. Note that a process in a
//!   private cgroup namespace sees its own cgroup as `/` in `/proc/self/cgroup`;
//!   read `/proc/<pid>/cgroup` from the host cgroup namespace.
//!
//! Sub-cgroups below a match are ignored (Podman/crun's `…/libpod-<id>.scope/container`,
//! a container's own systemd `init.scope`). With nested matches
//! (Docker-in-Docker, kind nodes) the **outermost** wins: it is the container
//! the host runtime can describe, and a process able to write its cgroup tree
//! cannot forge a cgroup above itself.
//!
//! Pod UIDs come from `pod<uid>` (cgroupfs) or `kubepods[-<qos>]-pod<uid>.slice`
//! (systemd, which escapes `-` as `_`) and are returned dashed; static pods'
//! 32-hex UIDs are accepted as is.
//!
//! # Metadata sources
//!
//! | runtime | source | fields |
//! |---|---|---|
//! | Docker | Engine API, `GET /containers/<id>/json` on `/var/run/docker.sock` | name, `Config.Image`, image ID, `HostConfig.Privileged`, `Config.Labels`, `State.StartedAt`, pod from `io.kubernetes.pod.*` labels |
//! | Podman | Docker-compatible API, same request, on `/run/podman/podman.sock` | as Docker |
//! | CRI-O | info endpoint `GET /containers/<id>` on `/var/run/crio/crio.sock` | name (`io.kubernetes.container.name`), image (`io.kubernetes.cri-o.ImageName` annotation), `image_ref`, labels, pod from labels/annotations, `created_time` as start |
//! | containerd | shim state `/run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/config.json` (also `/run/k3s/…`): the OCI runtime spec | name, image, pod name/namespace/UID from `io.kubernetes.cri.*` annotations; privileged inferred (CAP_SYS_ADMIN bounding + no masked paths); start from `init.pid` mtime |
//!
//! containerd's own API is gRPC; it is not used, to keep this crate free of an
//! async stack. So containerd gives no labels or image ID, and containers made
//! by `ctr`/`nerdctl` get IDs only. No source provides pod labels.
//! All sockets and directories are configurable ([`SourceConfig`]); a missing
//! socket is not an error for the sensor — the record keeps only the IDs, the
//! reason is logged once at debug level, and the lookup is retried with backoff.

use std::io;
use std::path::PathBuf;

mod cgroup;
mod http;
mod resolver;
mod sources;

pub use cgroup::{
    container_from_cgroup_names, container_from_cgroup_path, container_from_proc_cgroup,
    is_full_id, ContainerRef, Runtime,
};
pub use resolver::{LookupState, Resolver, ResolverConfig};
pub use sources::{lookup, SourceConfig};

/// Why a metadata lookup failed.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// No runtime listening: the socket is missing, refuses, or is not ours to open.
    #[error("{runtime} API socket {} not available: {source}", socket.display())]
    Unavailable {
        runtime: &'static str,
        socket: PathBuf,
        source: io::Error,
    },
    #[error("{runtime} has no container {id}")]
    NotFound { runtime: &'static str, id: String },
    #[error("{resource}: {source}")]
    Io { resource: String, source: io::Error },
    #[error("{resource}: malformed response: {reason}")]
    Http { resource: String, reason: String },
    #[error("{resource}: HTTP status {status}")]
    Status { resource: String, status: u16 },
    #[error("{resource}: invalid JSON: {source}")]
    Json {
        resource: String,
        source: serde_json::Error,
    },
    #[error("not a 64-hex container ID: {0:?}")]
    InvalidId(String),
    #[error("cannot start the resolver thread: {0}")]
    Spawn(io::Error),
}
