//! Metadata lookups and the resolver against fake runtimes: HTTP servers on
//! unix sockets in a tempdir and a fake containerd state directory. Response
//! bodies follow the field names of the Docker Engine API, CRI-O's
//! `ContainerInfo` and the OCI runtime spec.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::json;
use yagura_container::{
    container_from_cgroup_path, lookup, ContainerRef, LookupError, LookupState, Resolver,
    ResolverConfig, Runtime, SourceConfig,
};

const ID: &str = "9d3a5c1e7f2b4d6e8a0c2e4f6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e";
const ID2: &str = "1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d";
const POD_UID: &str = "5d1f3b7a-2c4e-4a6b-9d8f-0e1c2b3a4d5e";

/// What a fake server answers on one path.
#[derive(Clone)]
enum Reply {
    Json(serde_json::Value),
    /// The same body sent with `Transfer-Encoding: chunked`, in pieces of this size.
    Chunked(serde_json::Value, usize),
    Raw(Vec<u8>),
    /// Accept and read the request, never answer (until the server stops).
    Hang,
}

struct FakeServer {
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    handle: Option<JoinHandle<()>>,
}

impl FakeServer {
    fn start(socket: &Path, routes: HashMap<String, Reply>) -> FakeServer {
        let listener = UnixListener::bind(socket).unwrap();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&stop), Arc::clone(&requests));
        let handle = thread::spawn(move || {
            // Hard stop so a broken test cannot leave the thread running forever.
            let give_up = Instant::now() + Duration::from_secs(30);
            let mut hung = Vec::new();
            while !s.load(Ordering::SeqCst) && Instant::now() < give_up {
                let mut stream = match listener.accept() {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(2)))
                    .unwrap();
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let req = String::from_utf8_lossy(&req).into_owned();
                let target = req
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                r.lock()
                    .unwrap()
                    .push(req.lines().next().unwrap_or_default().to_string());
                let reply = routes.get(&target).cloned().unwrap_or_else(|| {
                    Reply::Raw(
                        b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 52\r\n\r\n{\"message\":\"No such container: not in this runtime\"}"
                            .to_vec(),
                    )
                });
                let bytes = match reply {
                    Reply::Json(v) => {
                        let body = v.to_string();
                        format!(
                            "HTTP/1.1 200 OK\r\nApi-Version: 1.45\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        )
                        .into_bytes()
                    }
                    Reply::Chunked(v, size) => {
                        let body = v.to_string().into_bytes();
                        let mut out = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
                        for piece in body.chunks(size) {
                            out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                            out.extend_from_slice(piece);
                            out.extend_from_slice(b"\r\n");
                        }
                        out.extend_from_slice(b"0\r\n\r\n");
                        out
                    }
                    Reply::Raw(b) => b,
                    Reply::Hang => {
                        // Hold the connection open on the side; keep serving others.
                        let s = Arc::clone(&s);
                        hung.push(thread::spawn(move || {
                            let _stream = stream;
                            while !s.load(Ordering::SeqCst) && Instant::now() < give_up {
                                thread::sleep(Duration::from_millis(5));
                            }
                        }));
                        continue;
                    }
                };
                // Dribble the response to exercise partial reads.
                for piece in bytes.chunks(97) {
                    if stream.write_all(piece).is_err() {
                        break;
                    }
                }
            }
            for h in hung {
                let _ = h.join();
            }
        });
        FakeServer {
            stop,
            requests,
            handle: Some(handle),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn config(dir: &Path) -> SourceConfig {
    SourceConfig {
        docker_socket: dir.join("docker.sock"),
        podman_socket: dir.join("podman.sock"),
        crio_socket: dir.join("crio.sock"),
        containerd_task_dirs: vec![dir.join("containerd-task")],
        timeout: Duration::from_millis(500),
        max_response_bytes: 1 << 20,
    }
}

fn cref(id: &str, runtime: Runtime, pod_uid: Option<&str>) -> ContainerRef {
    ContainerRef {
        full_id: id.into(),
        runtime,
        pod_uid: pod_uid.map(str::to_string),
    }
}

fn docker_inspect(id: &str) -> serde_json::Value {
    json!({
        "Id": id,
        "Created": "2024-05-14T09:21:06.912345678Z",
        "Path": "/docker-entrypoint.sh",
        "Args": ["nginx", "-g", "daemon off;"],
        "State": {
            "Status": "running", "Running": true, "Paused": false, "Pid": 48213, "ExitCode": 0,
            "StartedAt": "2024-05-14T09:21:07.52361893Z",
            "FinishedAt": "0001-01-01T00:00:00Z"
        },
        "Image": "sha256:4f67c83422ec747235357c04556616234e66fc3fa39cb4f40b2d4441ddd8f100",
        "Name": "/web-frontend",
        "RestartCount": 0,
        "Driver": "overlay2",
        "HostConfig": { "NetworkMode": "bridge", "Privileged": true, "CapAdd": null, "PidMode": "" },
        "Config": {
            "Hostname": "9d3a5c1e7f2b",
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.27.0"],
            "Image": "nginx:1.27",
            "Labels": {
                "maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>",
                "com.example.team": "web"
            }
        }
    })
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn docker_engine_api() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let server = FakeServer::start(
        &cfg.docker_socket,
        HashMap::from([(
            format!("/containers/{ID}/json"),
            Reply::Json(docker_inspect(ID)),
        )]),
    );
    let r = container_from_cgroup_path(&format!("/system.slice/docker-{ID}.scope")).unwrap();
    let c = lookup(&cfg, &r).unwrap();
    assert_eq!(c.id, &ID[..12]);
    assert_eq!(c.full_id, ID);
    assert_eq!(c.runtime, "docker");
    assert_eq!(c.name, "web-frontend");
    assert_eq!(c.image, "nginx:1.27");
    assert_eq!(
        c.image_id,
        "sha256:4f67c83422ec747235357c04556616234e66fc3fa39cb4f40b2d4441ddd8f100"
    );
    assert!(c.privileged);
    assert_eq!(
        c.labels,
        vec![
            ("com.example.team".to_string(), "web".to_string()),
            (
                "maintainer".to_string(),
                "NGINX Docker Maintainers <docker-maint@nginx.com>".to_string()
            ),
        ]
    );
    assert_eq!(c.start_ns, 1_715_678_467_523_618_930);
    assert_eq!(c.pod_name, "");
    assert_eq!(
        server.requests(),
        vec![format!("GET /containers/{ID}/json HTTP/1.1")]
    );

    // Unknown container: the 404 is NotFound, not a transport error.
    let missing = lookup(&cfg, &cref(ID2, Runtime::Docker, None));
    assert!(
        matches!(&missing, Err(LookupError::NotFound { runtime: "docker", id }) if id == ID2),
        "{missing:?}"
    );
}

#[test]
fn docker_kubernetes_labels_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    // cri-dockerd: pod identity in labels, never-started container.
    let mut k8s = docker_inspect(ID);
    k8s["Name"] = json!(format!("/k8s_app_checkout-7d9f_shop_{POD_UID}_0"));
    k8s["State"]["StartedAt"] = json!("0001-01-01T00:00:00Z");
    k8s["HostConfig"]["Privileged"] = json!(false);
    k8s["Config"]["Labels"] = json!({
        "io.kubernetes.container.name": "app",
        "io.kubernetes.pod.name": "checkout-7d9f",
        "io.kubernetes.pod.namespace": "shop",
        "io.kubernetes.pod.uid": POD_UID
    });
    let _server = FakeServer::start(
        &cfg.docker_socket,
        HashMap::from([
            (format!("/containers/{ID}/json"), Reply::Json(k8s)),
            (
                format!("/containers/{ID2}/json"),
                Reply::Raw(
                    b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n".to_vec(),
                ),
            ),
        ]),
    );
    let c = lookup(&cfg, &cref(ID, Runtime::Docker, None)).unwrap();
    assert_eq!(c.name, "app");
    assert_eq!(c.pod_name, "checkout-7d9f");
    assert_eq!(c.pod_namespace, "shop");
    assert_eq!(c.pod_uid, POD_UID);
    assert_eq!(c.start_ns, 0);
    assert!(!c.privileged);
    assert_eq!(c.labels.len(), 4);

    let err = lookup(&cfg, &cref(ID2, Runtime::Docker, None)).unwrap_err();
    assert!(
        matches!(err, LookupError::Status { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("docker.sock"), "{err}");
}

#[test]
fn podman_compat_api_chunked() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let mut inspect = docker_inspect(ID);
    inspect["Name"] = json!("db");
    inspect["Config"]["Image"] = json!("docker.io/library/postgres:16");
    inspect["HostConfig"]["Privileged"] = json!(false);
    inspect["Config"]["Labels"] = json!(null);
    let server = FakeServer::start(
        &cfg.podman_socket,
        HashMap::from([(
            format!("/containers/{ID}/json"),
            Reply::Chunked(inspect, 64),
        )]),
    );
    let r =
        container_from_cgroup_path(&format!("/machine.slice/libpod-{ID}.scope/container")).unwrap();
    let c = lookup(&cfg, &r).unwrap();
    assert_eq!(c.runtime, "podman");
    assert_eq!(c.name, "db");
    assert_eq!(c.image, "docker.io/library/postgres:16");
    assert!(!c.privileged);
    assert!(c.labels.is_empty());
    assert_eq!(c.start_ns, 1_715_678_467_523_618_930);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn crio_info_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let info = json!({
        "name": format!("k8s_api_payments-5c8d_prod_{POD_UID}_1"),
        "pid": 31337,
        "image": "quay.io/acme/payments@sha256:0d5c4f7a8e9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
        "image_ref": "0d5c4f7a8e9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
        "created_time": 1_715_678_467_000_000_123_i64,
        "labels": {
            "io.kubernetes.container.name": "api",
            "io.kubernetes.pod.name": "payments-5c8d",
            "io.kubernetes.pod.namespace": "prod",
            "io.kubernetes.pod.uid": POD_UID
        },
        "annotations": {
            "io.kubernetes.container.hash": "6a1f2b3c",
            "io.kubernetes.container.restartCount": "1"
        },
        "crio_annotations": {
            "io.kubernetes.cri-o.ImageName": "quay.io/acme/payments:2.3.1",
            "io.kubernetes.cri-o.ContainerType": "container"
        },
        "log_path": format!("/var/log/pods/prod_payments-5c8d_{POD_UID}/api/1.log"),
        "root": "/var/lib/containers/storage/overlay/abc/merged",
        "sandbox": ID2,
        "ip_addresses": ["10.244.1.17"]
    });
    let server = FakeServer::start(
        &cfg.crio_socket,
        HashMap::from([(format!("/containers/{ID}"), Reply::Chunked(info, 100))]),
    );
    let r = container_from_cgroup_path(&format!(
        "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{}.slice/crio-{ID}.scope",
        POD_UID.replace('-', "_")
    ))
    .unwrap();
    let c = lookup(&cfg, &r).unwrap();
    assert_eq!(c.runtime, "cri-o");
    assert_eq!(c.name, "api");
    assert_eq!(c.image, "quay.io/acme/payments:2.3.1");
    assert_eq!(
        c.image_id,
        "0d5c4f7a8e9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
    );
    assert_eq!(c.pod_name, "payments-5c8d");
    assert_eq!(c.pod_namespace, "prod");
    assert_eq!(c.pod_uid, POD_UID);
    assert_eq!(c.start_ns, 1_715_678_467_000_000_123);
    assert_eq!(c.labels.len(), 4);
    assert_eq!(
        server.requests(),
        vec![format!("GET /containers/{ID} HTTP/1.1")]
    );

    let missing = lookup(&cfg, &cref(ID2, Runtime::CriO, None)).unwrap_err();
    assert!(
        matches!(
            missing,
            LookupError::NotFound {
                runtime: "cri-o",
                ..
            }
        ),
        "{missing:?}"
    );
}

fn write_bundle(task_dir: &Path, ns: &str, id: &str, spec: &serde_json::Value) -> PathBuf {
    let bundle = task_dir.join(ns).join(id);
    fs::create_dir_all(&bundle).unwrap();
    fs::write(bundle.join("config.json"), spec.to_string()).unwrap();
    bundle
}

fn oci_spec(privileged: bool) -> serde_json::Value {
    let mut caps = vec!["CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_KILL"];
    if privileged {
        caps.push("CAP_SYS_ADMIN");
    }
    let masked: Vec<&str> = if privileged {
        vec![]
    } else {
        vec!["/proc/acpi", "/proc/kcore", "/proc/keys", "/sys/firmware"]
    };
    json!({
        "ociVersion": "1.1.0",
        "process": {
            "user": {"uid": 0, "gid": 0},
            "args": ["/usr/local/bin/agent"],
            "cwd": "/",
            "capabilities": {"bounding": caps, "effective": caps, "permitted": caps}
        },
        "root": {"path": "rootfs"},
        "annotations": {
            "io.kubernetes.cri.container-type": "container",
            "io.kubernetes.cri.container-name": "agent",
            "io.kubernetes.cri.image-name": "registry.k8s.io/node-agent:v1.4.2",
            "io.kubernetes.cri.sandbox-id": ID2,
            "io.kubernetes.cri.sandbox-name": "node-agent-x7k2p",
            "io.kubernetes.cri.sandbox-namespace": "kube-system",
            "io.kubernetes.cri.sandbox-uid": POD_UID
        },
        "linux": {
            "namespaces": [{"type": "pid"}, {"type": "mount"}],
            "maskedPaths": masked,
            "readonlyPaths": ["/proc/bus", "/proc/sys"]
        }
    })
}

#[test]
fn containerd_state_dir() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let task = &cfg.containerd_task_dirs[0];
    fs::create_dir_all(task.join("moby")).unwrap();
    let bundle = write_bundle(task, "k8s.io", ID, &oci_spec(true));
    fs::write(bundle.join("init.pid"), "48213").unwrap();
    write_bundle(task, "k8s.io", ID2, &oci_spec(false));

    let r = container_from_cgroup_path(&format!("/kubepods/burstable/pod{POD_UID}/{ID}")).unwrap();
    assert_eq!(r.runtime, Runtime::Containerd);
    let c = lookup(&cfg, &r).unwrap();
    assert_eq!(c.runtime, "containerd");
    assert_eq!(c.name, "agent");
    assert_eq!(c.image, "registry.k8s.io/node-agent:v1.4.2");
    assert_eq!(c.pod_name, "node-agent-x7k2p");
    assert_eq!(c.pod_namespace, "kube-system");
    assert_eq!(c.pod_uid, POD_UID);
    assert!(c.privileged);
    // init.pid was just written.
    let now_ns = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    assert!(c.start_ns > 0 && c.start_ns <= now_ns && now_ns - c.start_ns < 60_000_000_000);

    let c2 = lookup(&cfg, &cref(ID2, Runtime::Containerd, None)).unwrap();
    assert!(!c2.privileged);
    assert_eq!(c2.start_ns, 0);

    // Bad JSON names the file.
    let bad = "c".repeat(64);
    let b = task.join("k8s.io").join(&bad);
    fs::create_dir_all(&b).unwrap();
    fs::write(b.join("config.json"), "{\"annotations\": [").unwrap();
    let err = lookup(&cfg, &cref(&bad, Runtime::Containerd, None)).unwrap_err();
    assert!(matches!(err, LookupError::Json { .. }), "{err:?}");
    assert!(err.to_string().contains("config.json"), "{err}");

    // Neither containerd nor (absent) Docker knows it.
    let none = "d".repeat(64);
    let err = lookup(&cfg, &cref(&none, Runtime::Containerd, Some(POD_UID))).unwrap_err();
    assert!(
        matches!(
            err,
            LookupError::NotFound {
                runtime: "containerd",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn containerd_layout_falls_back_to_docker() {
    // cri-dockerd with the cgroupfs driver looks like containerd in the cgroup path.
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let _server = FakeServer::start(
        &cfg.docker_socket,
        HashMap::from([(
            format!("/containers/{ID}/json"),
            Reply::Json(docker_inspect(ID)),
        )]),
    );
    let r = container_from_cgroup_path(&format!("/kubepods/pod{POD_UID}/{ID}")).unwrap();
    let c = lookup(&cfg, &r).unwrap();
    assert_eq!(c.runtime, "docker");
    assert_eq!(c.image, "nginx:1.27");
    // The labels carry no pod UID; the cgroup's is kept.
    assert_eq!(c.pod_uid, POD_UID);
}

#[test]
fn transport_failures() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    // No socket at all.
    let err = lookup(&cfg, &cref(ID, Runtime::Docker, None)).unwrap_err();
    assert!(
        matches!(
            err,
            LookupError::Unavailable {
                runtime: "docker",
                ..
            }
        ),
        "{err:?}"
    );
    // Something not a socket at the path.
    fs::write(&cfg.crio_socket, "").unwrap();
    let err = lookup(&cfg, &cref(ID, Runtime::CriO, None)).unwrap_err();
    assert!(matches!(err, LookupError::Unavailable { .. }), "{err:?}");
    // A reference built by hand with a path-like ID is refused before any I/O.
    let err = lookup(&cfg, &cref("../../etc", Runtime::Containerd, None)).unwrap_err();
    assert!(matches!(err, LookupError::InvalidId(_)), "{err:?}");

    let _server = FakeServer::start(
        &cfg.podman_socket,
        HashMap::from([
            (format!("/containers/{ID}/json"), Reply::Hang),
            (
                format!("/containers/{ID2}/json"),
                Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"Name\": [1]".to_vec()),
            ),
        ]),
    );
    // A server that never answers costs at most the timeout.
    cfg.timeout = ms(200);
    let t = Instant::now();
    let err = lookup(&cfg, &cref(ID, Runtime::Podman, None)).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert!(
        matches!(&err, LookupError::Io { source, .. } if source.kind() == std::io::ErrorKind::TimedOut),
        "{err:?}"
    );
    let err = lookup(&cfg, &cref(ID2, Runtime::Podman, None)).unwrap_err();
    assert!(matches!(err, LookupError::Json { .. }), "{err:?}");
}

fn wait_for(res: &Resolver, id: &str, pred: impl Fn(LookupState) -> bool) -> LookupState {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(s) = res.state(id) {
            if pred(s) {
                return s;
            }
        }
        assert!(
            Instant::now() < deadline,
            "state of {id}: {:?}",
            res.state(id)
        );
        thread::sleep(ms(5));
    }
}

#[test]
fn resolver_fills_in_background() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let _server = FakeServer::start(
        &cfg.docker_socket,
        HashMap::from([(
            format!("/containers/{ID}/json"),
            Reply::Json(docker_inspect(ID)),
        )]),
    );
    let res = Resolver::new(ResolverConfig {
        sources: cfg,
        ..Default::default()
    })
    .unwrap();
    let r = cref(ID, Runtime::Docker, None);
    let first = res.resolve(&r);
    // Whatever the worker has done by now, the IDs are there immediately.
    assert_eq!(first.id, &ID[..12]);
    assert_eq!(first.runtime, "docker");
    wait_for(&res, ID, |s| s == LookupState::Resolved);
    let c = res.resolve(&r);
    assert_eq!(c.name, "web-frontend");
    assert_eq!(c.image, "nginx:1.27");
    assert!(c.privileged);
    assert_eq!(res.cached(ID).unwrap(), c);
    res.forget(ID);
    assert!(res.cached(ID).is_none());
}

#[test]
fn resolver_backoff_then_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let socket = cfg.crio_socket.clone();
    let res = Resolver::new(ResolverConfig {
        sources: cfg,
        retry_initial: ms(300),
        retry_max: ms(600),
        ..Default::default()
    })
    .unwrap();
    let r = cref(ID, Runtime::CriO, Some(POD_UID));
    let c = res.resolve(&r);
    assert_eq!(c.pod_uid, POD_UID);
    let s = wait_for(&res, ID, |s| matches!(s, LookupState::Failed { .. }));
    assert!(
        matches!(s, LookupState::Failed { failures: 1, .. }),
        "{s:?}"
    );
    // Within the backoff nothing is queued again.
    res.resolve(&r);
    assert_eq!(res.state(ID), Some(s));
    assert_eq!(res.resolve(&r).name, "");

    // The runtime comes up; the next call after the backoff retries and succeeds.
    let _server = FakeServer::start(
        &socket,
        HashMap::from([(
            format!("/containers/{ID}"),
            Reply::Json(json!({"name": "k8s_web", "image": "nginx:1.27", "labels": {}})),
        )]),
    );
    thread::sleep(ms(350));
    res.resolve(&r);
    wait_for(&res, ID, |s| s == LookupState::Resolved);
    let c = res.resolve(&r);
    assert_eq!(c.name, "k8s_web");
    // Pod UID from the cgroup survives a source that lacks it.
    assert_eq!(c.pod_uid, POD_UID);
}

#[test]
fn resolver_never_blocks_and_bounds_queue_and_cache() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.timeout = ms(1500);
    let ids: Vec<String> = (0..4).map(|i| format!("{i}").repeat(64)).collect();
    let _server = FakeServer::start(
        &cfg.docker_socket,
        ids.iter()
            .map(|id| (format!("/containers/{id}/json"), Reply::Hang))
            .collect(),
    );
    let res = Resolver::new(ResolverConfig {
        sources: cfg,
        queue_capacity: 1,
        cache_capacity: 3,
        ..Default::default()
    })
    .unwrap();
    let t = Instant::now();
    // The worker takes ids[0] and hangs on it; ids[1] fills the queue.
    res.resolve(&cref(&ids[0], Runtime::Docker, None));
    wait_for(&res, &ids[0], |s| s == LookupState::Pending);
    thread::sleep(ms(100));
    res.resolve(&cref(&ids[1], Runtime::Docker, None));
    assert_eq!(res.state(&ids[1]), Some(LookupState::Pending));
    let c = res.resolve(&cref(&ids[2], Runtime::Docker, None));
    assert_eq!(c.full_id, ids[2]);
    assert_eq!(res.state(&ids[2]), Some(LookupState::Deferred));
    assert!(t.elapsed() < ms(1000), "resolve blocked: {:?}", t.elapsed());
    // A fourth container evicts the least recently used (ids[0]).
    res.resolve(&cref(&ids[1], Runtime::Docker, None));
    res.resolve(&cref(&ids[2], Runtime::Docker, None));
    res.resolve(&cref(&ids[3], Runtime::Docker, None));
    assert!(res.cached(&ids[0]).is_none());
    assert!(res.cached(&ids[3]).is_some());
    // Drop waits for the one in-flight lookup, not for everything queued.
    let t = Instant::now();
    drop(res);
    assert!(t.elapsed() < ms(1600), "{:?}", t.elapsed());
}
