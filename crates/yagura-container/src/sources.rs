//! Synchronous metadata lookups against each runtime's data source.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use serde::Deserialize;
use yagura_event::Container;

use crate::http;
use crate::{ContainerRef, LookupError, Runtime};

/// Where each runtime's metadata lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    /// Docker Engine API socket.
    pub docker_socket: PathBuf,
    /// Podman's Docker-compatible API socket (rootful).
    pub podman_socket: PathBuf,
    /// CRI-O's HTTP info socket (the same socket as its CRI gRPC service).
    pub crio_socket: PathBuf,
    /// containerd shim v2 state directories: `<dir>/<namespace>/<id>/config.json`.
    pub containerd_task_dirs: Vec<PathBuf>,
    /// Bound on one whole HTTP exchange.
    pub timeout: Duration,
    /// Largest response body or `config.json` accepted.
    pub max_response_bytes: usize,
}

impl Default for SourceConfig {
    fn default() -> Self {
        SourceConfig {
            docker_socket: "/var/run/docker.sock".into(),
            podman_socket: "/run/podman/podman.sock".into(),
            crio_socket: "/var/run/crio/crio.sock".into(),
            containerd_task_dirs: vec![
                "/run/containerd/io.containerd.runtime.v2.task".into(),
                // k3s/rke2 run their own containerd under this root.
                "/run/k3s/containerd/io.containerd.runtime.v2.task".into(),
            ],
            timeout: Duration::from_secs(2),
            max_response_bytes: 4 << 20,
        }
    }
}

/// Looks up one container's metadata, blocking for at most about
/// `cfg.timeout` per source asked. The returned [`Container`] always carries
/// the reference's IDs and, when the source lacks it, the cgroup's pod UID.
///
/// containerd references are also tried against Docker when containerd's state
/// has no such container: kubelet's cgroupfs layout (`pod<uid>/<id>`) is the
/// same for cri-dockerd.
pub fn lookup(cfg: &SourceConfig, r: &ContainerRef) -> Result<Container, LookupError> {
    // The ID goes into URLs and file paths; `ContainerRef` fields are public.
    if !crate::is_full_id(&r.full_id) {
        return Err(LookupError::InvalidId(r.full_id.clone()));
    }
    let mut c = match r.runtime {
        Runtime::Docker => docker_api(Runtime::Docker, &cfg.docker_socket, cfg, r),
        Runtime::Podman => docker_api(Runtime::Podman, &cfg.podman_socket, cfg, r),
        Runtime::CriO => crio(cfg, r),
        Runtime::Containerd => match containerd(cfg, r) {
            Err(LookupError::NotFound { .. }) => {
                docker_api(Runtime::Docker, &cfg.docker_socket, cfg, r).map_err(|_| {
                    LookupError::NotFound {
                        runtime: Runtime::Containerd.as_str(),
                        id: r.full_id.clone(),
                    }
                })
            }
            other => other,
        },
    }?;
    if c.pod_uid.is_empty() {
        c.pod_uid = r.pod_uid.clone().unwrap_or_default();
    }
    Ok(c)
}

fn parse_json<T: for<'de> Deserialize<'de>>(
    body: &[u8],
    resource: String,
) -> Result<T, LookupError> {
    serde_json::from_slice(body).map_err(|source| LookupError::Json { resource, source })
}

fn check_status(
    runtime: Runtime,
    socket: &Path,
    target: &str,
    r: &ContainerRef,
    resp: &http::Response,
) -> Result<(), LookupError> {
    match resp.status {
        200 => Ok(()),
        404 => Err(LookupError::NotFound {
            runtime: runtime.as_str(),
            id: r.full_id.clone(),
        }),
        status => Err(LookupError::Status {
            resource: format!("{}{target}", socket.display()),
            status,
        }),
    }
}

/// Fills pod fields from the kubelet's `io.kubernetes.*` container labels.
fn pod_from_labels(c: &mut Container, labels: &BTreeMap<String, String>) {
    let get = |k: &str| labels.get(k).cloned().unwrap_or_default();
    c.pod_name = get("io.kubernetes.pod.name");
    c.pod_namespace = get("io.kubernetes.pod.namespace");
    c.pod_uid = get("io.kubernetes.pod.uid");
}

fn base(r: &ContainerRef, runtime: Runtime) -> Container {
    let mut c = r.to_container();
    c.runtime = runtime.as_str().to_string();
    c.pod_uid.clear();
    c
}

// --- Docker Engine API / Podman compat API --------------------------------

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct DockerInspect {
    name: String,
    /// Image ID (`sha256:...`).
    image: String,
    config: Option<DockerConfig>,
    host_config: Option<DockerHostConfig>,
    state: Option<DockerState>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct DockerConfig {
    /// Image reference as given at `docker run`.
    image: String,
    labels: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct DockerHostConfig {
    privileged: bool,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct DockerState {
    started_at: String,
}

fn docker_api(
    runtime: Runtime,
    socket: &Path,
    cfg: &SourceConfig,
    r: &ContainerRef,
) -> Result<Container, LookupError> {
    let target = format!("/containers/{}/json", r.full_id);
    let resp = http::get(
        runtime.as_str(),
        socket,
        &target,
        cfg.timeout,
        cfg.max_response_bytes,
    )?;
    check_status(runtime, socket, &target, r, &resp)?;
    let inspect: DockerInspect = parse_json(&resp.body, format!("{}{target}", socket.display()))?;
    let config = inspect.config.unwrap_or_default();
    let labels = config.labels.unwrap_or_default();

    let mut c = base(r, runtime);
    // cri-dockerd names containers k8s_<name>_<pod>_...; the label is the real name.
    c.name = labels
        .get("io.kubernetes.container.name")
        .cloned()
        .unwrap_or_else(|| inspect.name.trim_start_matches('/').to_string());
    c.image = config.image;
    c.image_id = inspect.image;
    c.privileged = inspect.host_config.unwrap_or_default().privileged;
    c.start_ns = rfc3339_ns(&inspect.state.unwrap_or_default().started_at);
    pod_from_labels(&mut c, &labels);
    c.labels = labels.into_iter().collect();
    Ok(c)
}

/// ns since the epoch, 0 for unset, unparsable or pre-epoch times (Docker
/// reports `0001-01-01T00:00:00Z` for a container never started).
fn rfc3339_ns(s: &str) -> u64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .and_then(|t| t.timestamp_nanos_opt())
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0)
}

// --- CRI-O info endpoint ----------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrioInfo {
    name: String,
    image: String,
    image_ref: String,
    /// Creation time, ns since the epoch.
    created_time: i64,
    labels: Option<BTreeMap<String, String>>,
    annotations: Option<BTreeMap<String, String>>,
    crio_annotations: Option<BTreeMap<String, String>>,
}

fn crio(cfg: &SourceConfig, r: &ContainerRef) -> Result<Container, LookupError> {
    let socket = &cfg.crio_socket;
    let target = format!("/containers/{}", r.full_id);
    let resp = http::get(
        Runtime::CriO.as_str(),
        socket,
        &target,
        cfg.timeout,
        cfg.max_response_bytes,
    )?;
    check_status(Runtime::CriO, socket, &target, r, &resp)?;
    let info: CrioInfo = parse_json(&resp.body, format!("{}{target}", socket.display()))?;
    let labels = info.labels.unwrap_or_default();
    let annotations = info.annotations.unwrap_or_default();
    let crio_annotations = info.crio_annotations.unwrap_or_default();

    let mut c = base(r, Runtime::CriO);
    c.name = labels
        .get("io.kubernetes.container.name")
        .cloned()
        .unwrap_or(info.name);
    // `image` may be any name of the image ID; the annotation holds the
    // reference the pod spec asked for.
    c.image = crio_annotations
        .get("io.kubernetes.cri-o.ImageName")
        .cloned()
        .unwrap_or(info.image);
    c.image_id = info.image_ref;
    c.start_ns = u64::try_from(info.created_time).unwrap_or(0);
    pod_from_labels(&mut c, &labels);
    // Sandboxes carry the pod identity in annotations rather than labels.
    for (field, key) in [
        (&mut c.pod_name, "io.kubernetes.pod.name"),
        (&mut c.pod_namespace, "io.kubernetes.pod.namespace"),
        (&mut c.pod_uid, "io.kubernetes.pod.uid"),
    ] {
        if field.is_empty() {
            *field = annotations.get(key).cloned().unwrap_or_default();
        }
    }
    c.labels = labels.into_iter().collect();
    Ok(c)
}

// --- containerd: OCI runtime spec in the shim's bundle directory -------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct OciSpec {
    annotations: Option<BTreeMap<String, String>>,
    process: Option<OciProcess>,
    linux: Option<OciLinux>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OciProcess {
    capabilities: Option<OciCaps>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OciCaps {
    bounding: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct OciLinux {
    masked_paths: Option<Vec<String>>,
}

fn containerd(cfg: &SourceConfig, r: &ContainerRef) -> Result<Container, LookupError> {
    for dir in &cfg.containerd_task_dirs {
        let namespaces = match fs::read_dir(dir) {
            Ok(it) => it,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(LookupError::Io {
                    resource: dir.display().to_string(),
                    source,
                })
            }
        };
        for ns in namespaces.flatten() {
            let bundle = ns.path().join(&r.full_id);
            let spec_path = bundle.join("config.json");
            let data = match read_limited(&spec_path, cfg.max_response_bytes) {
                Ok(d) => d,
                Err(LookupError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                    continue
                }
                Err(e) => return Err(e),
            };
            let spec: OciSpec = parse_json(&data, spec_path.display().to_string())?;
            return Ok(from_oci_spec(r, spec, &bundle));
        }
    }
    Err(LookupError::NotFound {
        runtime: Runtime::Containerd.as_str(),
        id: r.full_id.clone(),
    })
}

fn read_limited(path: &Path, max: usize) -> Result<Vec<u8>, LookupError> {
    let err = |source| LookupError::Io {
        resource: path.display().to_string(),
        source,
    };
    let len = fs::metadata(path).map_err(err)?.len();
    if len > max as u64 {
        return Err(LookupError::Http {
            resource: path.display().to_string(),
            reason: format!("file larger than {max} bytes"),
        });
    }
    fs::read(path).map_err(err)
}

fn from_oci_spec(r: &ContainerRef, spec: OciSpec, bundle: &Path) -> Container {
    let ann = spec.annotations.unwrap_or_default();
    let get = |k: &str| ann.get(k).cloned().unwrap_or_default();
    let mut c = base(r, Runtime::Containerd);
    // Annotations set by containerd's CRI plugin; absent for containers made
    // with ctr/nerdctl, whose metadata is only in containerd's database.
    c.name = get("io.kubernetes.cri.container-name");
    c.image = get("io.kubernetes.cri.image-name");
    c.pod_name = get("io.kubernetes.cri.sandbox-name");
    c.pod_namespace = get("io.kubernetes.cri.sandbox-namespace");
    c.pod_uid = get("io.kubernetes.cri.sandbox-uid");
    // The spec does not record "privileged"; CRI privileged containers are the
    // ones with CAP_SYS_ADMIN in the bounding set and nothing masked in /proc.
    let sys_admin = spec
        .process
        .and_then(|p| p.capabilities)
        .and_then(|c| c.bounding)
        .is_some_and(|b| b.iter().any(|cap| cap == "CAP_SYS_ADMIN"));
    let masked = spec
        .linux
        .and_then(|l| l.masked_paths)
        .is_some_and(|m| !m.is_empty());
    c.privileged = sys_admin && !masked;
    // The shim writes init.pid when it starts the container's init process.
    c.start_ns = fs::metadata(bundle.join("init.pid"))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0);
    c
}
