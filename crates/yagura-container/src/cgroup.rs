//! Container identification from cgroup paths.
//!
//! See the crate documentation for the recognised layouts.

use std::fmt;

use yagura_event::Container;

/// The container runtime a cgroup layout points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Runtime {
    Docker,
    Containerd,
    CriO,
    Podman,
}

impl Runtime {
    /// The name used in [`Container::runtime`].
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Docker => "docker",
            Runtime::Containerd => "containerd",
            Runtime::CriO => "cri-o",
            Runtime::Podman => "podman",
        }
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A container found in a cgroup path: what the kernel alone tells us.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContainerRef {
    /// 64 lowercase hex digits.
    pub full_id: String,
    pub runtime: Runtime,
    /// Kubernetes pod UID in its canonical dashed form (or the 32-hex form
    /// kubelet gives static pods), when the path runs through a kubepods pod cgroup.
    pub pod_uid: Option<String>,
}

impl ContainerRef {
    /// The 12-hex short ID used in [`Container::id`] and `container.id` rule fields.
    pub fn short_id(&self) -> &str {
        // `full_id` is public, so do not assume it is 64 long.
        self.full_id.get(..12).unwrap_or(&self.full_id)
    }

    /// A [`Container`] holding only what the cgroup path tells: IDs, runtime, pod UID.
    pub fn to_container(&self) -> Container {
        Container {
            id: self.short_id().to_string(),
            full_id: self.full_id.clone(),
            runtime: self.runtime.as_str().to_string(),
            pod_uid: self.pod_uid.clone().unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// True for exactly 64 lowercase hex digits (the ID form every supported runtime uses).
pub fn is_full_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Finds the container in a cgroup path such as `/system.slice/docker-<id>.scope`
/// (the part after `N:controllers:` in `/proc/<pid>/cgroup`).
///
/// When several components match (Docker-in-Docker, kind nodes), the outermost
/// one wins: it is the container the host runtime knows, and a process that can
/// write its own cgroup tree cannot create a cgroup above itself to pose as
/// another container.
pub fn container_from_cgroup_path(path: &str) -> Option<ContainerRef> {
    let mut names: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    names.reverse();
    container_from_cgroup_names(&names)
}

/// Like [`container_from_cgroup_path`] for a sensor that only has cgroup
/// directory names, nearest (leaf) first, e.g. from walking `kernfs_node->parent`.
///
/// The outermost match among the given names wins, so give as many levels as
/// are available: with a truncated walk, the names nearest the leaf are the ones
/// a process with a writable cgroup tree could choose.
pub fn container_from_cgroup_names(names: &[&str]) -> Option<ContainerRef> {
    // Outermost first: iterate from the root end.
    for i in (0..names.len()).rev() {
        let parent = names.get(i + 1).copied();
        if let Some((id, runtime)) = match_component(names[i], parent) {
            let pod_uid = names[i + 1..].iter().find_map(|n| pod_uid_of(n));
            return Some(ContainerRef {
                full_id: id.to_string(),
                runtime,
                pod_uid,
            });
        }
    }
    None
}

/// Parses the contents of `/proc/<pid>/cgroup`: cgroup v1 lines
/// `N:controllers:path` and the v2 line `0::path`. The first line whose path
/// names a container wins (all lines of one process name the same container in
/// practice; v1 hosts may lack it on some controllers).
pub fn container_from_proc_cgroup(text: &str) -> Option<ContainerRef> {
    text.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let _hierarchy = parts.next()?;
        let _controllers = parts.next()?;
        container_from_cgroup_path(parts.next()?)
    })
}

/// Prefix (before the ID) of systemd scopes and cgroupfs directories, per runtime.
/// `crio-conmon-` and `libpod-conmon-` never match: after the prefix comes
/// `conmon-<id>`, not an ID, which is what we want — conmon is a host process
/// watching the container, not part of it.
const PREFIXES: &[(&str, Runtime)] = &[
    ("docker-", Runtime::Docker),
    ("cri-containerd-", Runtime::Containerd),
    // nerdctl (containerd) with the systemd cgroup driver.
    ("nerdctl-", Runtime::Containerd),
    ("crio-", Runtime::CriO),
    ("libpod-", Runtime::Podman),
];

fn match_component<'a>(name: &'a str, parent: Option<&str>) -> Option<(&'a str, Runtime)> {
    let base = name.strip_suffix(".scope").unwrap_or(name);
    for (prefix, runtime) in PREFIXES {
        if let Some(id) = base.strip_prefix(prefix) {
            if is_full_id(id) {
                return Some((id, *runtime));
            }
        }
    }
    // A bare ID is only trusted under a parent that says whose it is: other
    // 64-hex names exist (e.g. systemd-nspawn or custom cgroup parents) and we
    // would not know which runtime to ask.
    if is_full_id(name) {
        let parent = parent?;
        if parent == "docker" {
            return Some((name, Runtime::Docker));
        }
        // kubelet's cgroupfs driver: kubepods/<qos>/pod<uid>/<id>. containerd
        // is the usual runtime there; the resolver also asks Docker
        // (cri-dockerd uses the same layout).
        if pod_uid_of(parent).is_some() {
            return Some((name, Runtime::Containerd));
        }
    }
    None
}

/// Pod UID from `pod<uid>` (cgroupfs) or `kubepods[-<qos>]-pod<uid>.slice`
/// (systemd, `-` in the UID escaped as `_`).
fn pod_uid_of(name: &str) -> Option<String> {
    let raw = if let Some(slice) = name.strip_suffix(".slice") {
        if !slice.starts_with("kubepods") {
            return None;
        }
        let at = slice.rfind("-pod")?;
        &slice[at + 4..]
    } else {
        name.strip_prefix("pod")?
    };
    let uid = raw.replace('_', "-");
    is_pod_uid(&uid).then_some(uid)
}

fn is_pod_uid(s: &str) -> bool {
    let hex = |b: u8| matches!(b, b'0'..=b'9' | b'a'..=b'f');
    if s.len() == 32 {
        // Static (manifest) pods get a hash-derived UID without dashes.
        return s.bytes().all(hex);
    }
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(hex))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f4c9a1e5b7d2f80c6e1a9b3d5f7092c4e6a8b0d1f3e5c7a9b2d4f6e8a0c1b3d";
    const UID: &str = "8a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b";

    /// Expected runtime and pod UID, or `None` for "not a container".
    type Want<'a> = Option<(Runtime, Option<&'a str>)>;

    fn check(path: &str, want: Want<'_>) {
        let got = container_from_cgroup_path(path);
        match want {
            None => assert_eq!(got, None, "{path}"),
            Some((runtime, pod)) => {
                let got = got.unwrap_or_else(|| panic!("no container in {path}"));
                assert_eq!(got.full_id, ID, "{path}");
                assert_eq!(got.runtime, runtime, "{path}");
                assert_eq!(got.pod_uid.as_deref(), pod, "{path}");
            }
        }
    }

    #[test]
    fn runtime_layouts() {
        let uid_ = UID.replace('-', "_");
        use Runtime::*;
        let cases: Vec<(String, Want<'_>)> = vec![
            // Docker: cgroupfs (v1 and v2) and systemd drivers.
            (format!("/docker/{ID}"), Some((Docker, None))),
            (format!("/system.slice/docker-{ID}.scope"), Some((Docker, None))),
            // Rootless Docker.
            (
                format!("/user.slice/user-1000.slice/user@1000.service/docker-{ID}.scope"),
                Some((Docker, None)),
            ),
            // cri-dockerd with the systemd driver.
            (
                format!("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{uid_}.slice/docker-{ID}.scope"),
                Some((Docker, Some(UID))),
            ),
            // Kubernetes + containerd, cgroupfs driver (v1 and v2 share layout).
            (format!("/kubepods/burstable/pod{UID}/{ID}"), Some((Containerd, Some(UID)))),
            (format!("/kubepods/besteffort/pod{UID}/{ID}"), Some((Containerd, Some(UID)))),
            // Guaranteed QoS pods sit directly under kubepods.
            (format!("/kubepods/pod{UID}/{ID}"), Some((Containerd, Some(UID)))),
            // Kubernetes + containerd, systemd driver.
            (
                format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/cri-containerd-{ID}.scope"),
                Some((Containerd, Some(UID))),
            ),
            (
                format!("/kubepods.slice/kubepods-pod{uid_}.slice/cri-containerd-{ID}.scope"),
                Some((Containerd, Some(UID))),
            ),
            // Static pod: 32-hex UID.
            (
                format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0a1b2c3d4e5f60718293a4b5c6d7e8f9.slice/cri-containerd-{ID}.scope"),
                Some((Containerd, Some("0a1b2c3d4e5f60718293a4b5c6d7e8f9"))),
            ),
            (format!("/system.slice/nerdctl-{ID}.scope"), Some((Containerd, None))),
            // CRI-O, systemd and cgroupfs.
            (
                format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/crio-{ID}.scope"),
                Some((CriO, Some(UID))),
            ),
            (
                format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/crio-{ID}.scope/container"),
                Some((CriO, Some(UID))),
            ),
            (format!("/kubepods/besteffort/pod{UID}/crio-{ID}"), Some((CriO, Some(UID)))),
            // Podman: systemd (rootful, rootless, crun's `container` subgroup, pods) and cgroupfs.
            (format!("/machine.slice/libpod-{ID}.scope"), Some((Podman, None))),
            (format!("/machine.slice/libpod-{ID}.scope/container"), Some((Podman, None))),
            (
                format!("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope/container"),
                Some((Podman, None)),
            ),
            (
                format!("/machine.slice/machine-libpod_pod_5e2b0c6a9d1f4e3b8c7a6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a.slice/libpod-{ID}.scope"),
                Some((Podman, None)),
            ),
            (format!("/libpod_parent/libpod-{ID}"), Some((Podman, None))),
            (format!("/machine.slice/libpod-{ID}"), Some((Podman, None))),
            // A container's own systemd below the runtime's scope.
            (format!("/system.slice/docker-{ID}.scope/init.scope"), Some((Docker, None))),
            (format!("/docker/{ID}/system.slice/cron.service"), Some((Docker, None))),
            // Trailing slash.
            (format!("/docker/{ID}/"), Some((Docker, None))),
            // Negatives.
            ("/".into(), None),
            ("".into(), None),
            ("/init.scope".into(), None),
            ("/user.slice/user-1000.slice/session-3.scope".into(), None),
            ("/user.slice/user-1000.slice/user@1000.service/app.slice/dbus.service".into(), None),
            ("/system.slice/sshd.service".into(), None),
            ("/system.slice/docker.service".into(), None),
            ("/system.slice/containerd.service".into(), None),
            // conmon monitors a container from the host side.
            (
                format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/crio-conmon-{ID}.scope"),
                None,
            ),
            (format!("/machine.slice/libpod-conmon-{ID}.scope"), None),
            // Bare ID under a parent that names no runtime.
            (format!("/system.slice/{ID}"), None),
            (format!("/{ID}"), None),
            (format!("/kubepods/burstable/{ID}"), None),
            // Not 64 lowercase hex.
            (format!("/docker/{}", &ID[..63]), None),
            (format!("/docker/{}0", ID), None),
            (format!("/docker/{}", ID.to_uppercase()), None),
            (format!("/system.slice/docker-{}.scope", &ID[..12]), None),
            (format!("/system.slice/crio-{}x.scope", &ID[..63]), None),
            // pod-looking directory that is not a UID.
            (format!("/kubepods/burstable/podnotauid/{ID}"), None),
        ];
        for (path, want) in &cases {
            check(path, *want);
        }
    }

    #[test]
    fn outermost_match_wins() {
        let inner = "b".repeat(64);
        // Docker-in-Docker (cgroupfs).
        let r = container_from_cgroup_path(&format!("/docker/{ID}/docker/{inner}")).unwrap();
        assert_eq!(r.full_id, ID);
        // kind node: pod containers nested in the node's Docker scope.
        let r = container_from_cgroup_path(&format!(
            "/system.slice/docker-{ID}.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod{}.slice/cri-containerd-{inner}.scope",
            UID.replace('-', "_")
        ))
        .unwrap();
        assert_eq!(
            (r.full_id.as_str(), r.runtime, r.pod_uid),
            (ID, Runtime::Docker, None)
        );
        // A process that forges a scope below its own container stays attributed to it.
        let r = container_from_cgroup_path(&format!(
            "/machine.slice/libpod-{ID}.scope/docker-{inner}.scope"
        ))
        .unwrap();
        assert_eq!((r.full_id.as_str(), r.runtime), (ID, Runtime::Podman));
    }

    #[test]
    fn names_nearest_first() {
        let leaf = format!("cri-containerd-{ID}.scope");
        let pod = format!("kubepods-burstable-pod{}.slice", UID.replace('-', "_"));
        let r = container_from_cgroup_names(&[&leaf, &pod, "kubepods-burstable.slice"]).unwrap();
        assert_eq!(r.full_id, ID);
        assert_eq!(r.runtime, Runtime::Containerd);
        assert_eq!(r.pod_uid.as_deref(), Some(UID));
        // The bare-ID rule needs the parent name.
        let pod_dir = format!("pod{UID}");
        assert!(container_from_cgroup_names(&[ID]).is_none());
        let r = container_from_cgroup_names(&[ID, &pod_dir, "burstable"]).unwrap();
        assert_eq!(
            (r.runtime, r.pod_uid.as_deref()),
            (Runtime::Containerd, Some(UID))
        );
        let r = container_from_cgroup_names(&["container", &format!("libpod-{ID}.scope")]).unwrap();
        assert_eq!(r.runtime, Runtime::Podman);
        assert!(container_from_cgroup_names(&[]).is_none());
        assert!(
            container_from_cgroup_names(&["session-2.scope", "user-1000.slice", "user.slice"])
                .is_none()
        );
    }

    #[test]
    fn proc_cgroup_v1_and_v2() {
        let uid_ = UID.replace('-', "_");
        // cgroup v1 host (systemd driver): the ID is on every controller line except some.
        let v1 = format!(
            "12:pids:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/cri-containerd-{ID}.scope\n\
             11:hugetlb:/\n\
             10:net_cls,net_prio:/\n\
             5:cpu,cpuacct:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/cri-containerd-{ID}.scope\n\
             1:name=systemd:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/cri-containerd-{ID}.scope\n\
             0::/\n"
        );
        let r = container_from_proc_cgroup(&v1).unwrap();
        assert_eq!(
            (r.full_id.as_str(), r.runtime, r.pod_uid.as_deref()),
            (ID, Runtime::Containerd, Some(UID))
        );
        // First lines without an ID do not stop the search.
        let v1_docker =
            format!("11:hugetlb:/\n10:memory:/docker/{ID}\n1:name=systemd:/docker/{ID}\n");
        assert_eq!(
            container_from_proc_cgroup(&v1_docker).unwrap().runtime,
            Runtime::Docker
        );
        // cgroup v2: a single line.
        let v2 = format!("0::/system.slice/docker-{ID}.scope\n");
        let r = container_from_proc_cgroup(&v2).unwrap();
        assert_eq!(
            (r.full_id.as_str(), r.runtime, r.short_id()),
            (ID, Runtime::Docker, &ID[..12])
        );
        let v2_crio = format!("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{uid_}.slice/crio-{ID}.scope\n");
        assert_eq!(
            container_from_proc_cgroup(&v2_crio).unwrap().runtime,
            Runtime::CriO
        );
        // Hybrid: v1 controllers at root, ID only on the unified line.
        let hybrid = format!(
            "4:memory:/\n1:name=systemd:/\n0::/machine.slice/libpod-{ID}.scope/container\n"
        );
        assert_eq!(
            container_from_proc_cgroup(&hybrid).unwrap().runtime,
            Runtime::Podman
        );
        // Host processes and junk.
        assert!(container_from_proc_cgroup("0::/init.scope\n").is_none());
        assert!(
            container_from_proc_cgroup("0::/user.slice/user-1000.slice/session-4.scope\n")
                .is_none()
        );
        assert!(container_from_proc_cgroup("").is_none());
        assert!(container_from_proc_cgroup("garbage without colons\n\n::\n").is_none());
        // Private cgroup namespace view from inside the container.
        assert!(container_from_proc_cgroup("0::/\n").is_none());
    }

    #[test]
    fn to_container_carries_ids() {
        let r = ContainerRef {
            full_id: ID.into(),
            runtime: Runtime::CriO,
            pod_uid: Some(UID.into()),
        };
        let c = r.to_container();
        assert_eq!(c.id, &ID[..12]);
        assert_eq!(c.full_id, ID);
        assert_eq!(c.runtime, "cri-o");
        assert_eq!(c.pod_uid, UID);
        assert!(!c.is_host());
        let short = ContainerRef {
            full_id: "abc".into(),
            ..r
        };
        assert_eq!(short.short_id(), "abc");
    }
}
