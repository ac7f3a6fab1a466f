//! Docker-named cgroups, so that a sensor attributes our processes to a
//! "container" without needing a container runtime.
//!
//! The container cgroup is created *below the cgroup the process is already
//! in* in each hierarchy (for a process in the root cgroup this is exactly
//! `<mount>/docker/<ID>`). Nesting keeps us inside any limits a supervisor put
//! on us, and the path still contains `/docker/<ID>` (or
//! `/system.slice/docker-<ID>.scope`), which is what container-id extraction
//! looks for.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{Error, Result};

/// Cgroup v1 controllers joined, when mounted. `pids` first: it is the one
/// every v1 host has and the one sensors read most.
pub const V1_CONTROLLERS: &[&str] = &["pids", "cpu", "memory"];

/// How the container cgroup is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CgroupLayout {
    /// `docker/<ID>` (docker with the cgroupfs driver).
    Docker,
    /// `system.slice/docker-<ID>.scope` (docker with the systemd driver; v2
    /// only, v1 hierarchies still use `docker/<ID>`).
    Systemd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum CgroupVersion {
    V1,
    V2,
}

/// A mounted cgroup hierarchy, from `/proc/self/mountinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hierarchy {
    pub version: CgroupVersion,
    pub mount_point: PathBuf,
    /// Cgroup path of the mount's root (not `/` inside a cgroup namespace).
    pub mount_root: String,
    /// v1 controllers (and `name=...`) from the super options; empty for v2.
    pub controllers: Vec<String>,
}

/// One line of `/proc/<pid>/cgroup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcCgroup {
    pub hierarchy_id: u32,
    /// Empty for the v2 line (`0::/path`).
    pub controllers: Vec<String>,
    pub path: String,
}

/// Where one hierarchy's container cgroup goes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Placement {
    pub version: CgroupVersion,
    /// Directory of the cgroup the process is in now (moved back here afterwards).
    pub original: PathBuf,
    /// Directory of the container cgroup.
    pub target: PathBuf,
}

/// Unescapes the octal escapes (`\040` for space) mountinfo uses.
fn unescape_mountinfo(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            if let Some(v) = s
                .get(i + 1..i + 4)
                .and_then(|o| u8::from_str_radix(o, 8).ok())
            {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses the cgroup mounts out of `/proc/self/mountinfo` text.
pub fn parse_mountinfo(text: &str) -> Vec<Hierarchy> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some((left, right)) = line.split_once(" - ") else {
            continue;
        };
        let l: Vec<&str> = left.split(' ').collect();
        let r: Vec<&str> = right.split(' ').collect();
        if l.len() < 5 || r.len() < 3 {
            continue;
        }
        let (root, mount_point) = (unescape_mountinfo(l[3]), unescape_mountinfo(l[4]));
        let version = match r[0] {
            "cgroup" => CgroupVersion::V1,
            "cgroup2" => CgroupVersion::V2,
            _ => continue,
        };
        let controllers = match version {
            CgroupVersion::V2 => Vec::new(),
            CgroupVersion::V1 => r[2]
                .split(',')
                .filter(|o| {
                    // Super options mix flags with controller names; keep the names.
                    !matches!(*o, "rw" | "ro" | "relatime" | "noexec" | "nosuid" | "nodev")
                        && !o.contains('=')
                        || o.starts_with("name=")
                })
                .map(String::from)
                .collect(),
        };
        out.push(Hierarchy {
            version,
            mount_point: PathBuf::from(mount_point),
            mount_root: root,
            controllers,
        });
    }
    out
}

/// Parses `/proc/<pid>/cgroup` text.
pub fn parse_proc_cgroup(text: &str) -> Vec<ProcCgroup> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ':');
            let id = parts.next()?.parse().ok()?;
            let ctl = parts.next()?;
            let path = parts.next()?;
            Some(ProcCgroup {
                hierarchy_id: id,
                controllers: ctl
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect(),
                path: path.to_string(),
            })
        })
        .collect()
}

/// The container cgroup's path relative to the cgroup it is created in.
pub fn container_relative_path(version: CgroupVersion, layout: CgroupLayout, id: &str) -> PathBuf {
    match (version, layout) {
        (CgroupVersion::V2, CgroupLayout::Systemd) => {
            PathBuf::from(format!("system.slice/docker-{id}.scope"))
        }
        _ => PathBuf::from(format!("docker/{id}")),
    }
}

/// Directory of the cgroup `cgroup_path` (as in `/proc/self/cgroup`) in hierarchy `h`.
pub fn cgroup_dir(h: &Hierarchy, cgroup_path: &str) -> PathBuf {
    // Inside a cgroup namespace mount_root and cgroup_path are both relative
    // to the namespace root; outside, strip the mount root from the path.
    let rel = if h.mount_root != "/" {
        cgroup_path
            .strip_prefix(h.mount_root.as_str())
            .unwrap_or(cgroup_path)
    } else {
        cgroup_path
    };
    let rel = rel.trim_start_matches('/');
    if rel.is_empty() {
        h.mount_point.clone()
    } else {
        h.mount_point.join(rel)
    }
}

/// Works out where the container cgroup goes in each hierarchy: the v2
/// hierarchy and the [`V1_CONTROLLERS`] that are mounted.
pub fn plan(
    mountinfo: &str,
    proc_cgroup: &str,
    layout: CgroupLayout,
    id: &str,
) -> Result<Vec<Placement>> {
    let mounts = parse_mountinfo(mountinfo);
    let cgroups = parse_proc_cgroup(proc_cgroup);
    let mut out = Vec::new();
    if let Some(h) = mounts.iter().find(|h| h.version == CgroupVersion::V2) {
        if let Some(cg) = cgroups.iter().find(|c| c.hierarchy_id == 0) {
            let original = cgroup_dir(h, &cg.path);
            let target = original.join(container_relative_path(h.version, layout, id));
            out.push(Placement {
                version: h.version,
                original,
                target,
            });
        }
    }
    for ctl in V1_CONTROLLERS {
        let has = |list: &[String]| list.iter().any(|c| c == ctl);
        let Some(h) = mounts
            .iter()
            .find(|h| h.version == CgroupVersion::V1 && has(&h.controllers))
        else {
            continue;
        };
        let Some(cg) = cgroups
            .iter()
            .find(|c| c.hierarchy_id != 0 && has(&c.controllers))
        else {
            continue;
        };
        let original = cgroup_dir(h, &cg.path);
        if out.iter().any(|p| p.original == original) {
            continue; // co-mounted controllers (cpu,cpuacct) share a directory
        }
        let target = original.join(container_relative_path(h.version, layout, id));
        out.push(Placement {
            version: h.version,
            original,
            target,
        });
    }
    if out.is_empty() {
        return Err(Error::Failed(
            "no cgroup v2 or v1 pids/cpu/memory hierarchy is mounted".into(),
        ));
    }
    Ok(out)
}

fn write_pid(dir: &Path, pid: u32) -> Result<()> {
    let procs = dir.join("cgroup.procs");
    fs::write(&procs, format!("{pid}\n"))
        .map_err(|e| Error::io(format!("writing pid {pid} to {}", procs.display()), e))
}

/// A process moved into docker-named cgroups. Dropping it (or [`leave`])
/// moves the process back and removes the cgroups it created.
///
/// [`leave`]: ContainerCgroup::leave
#[derive(Debug)]
pub struct ContainerCgroup {
    pub id: String,
    pub placements: Vec<Placement>,
    created: Vec<PathBuf>,
    pid: u32,
    left: bool,
}

impl ContainerCgroup {
    /// Creates the container cgroups and moves the current process into them.
    pub fn enter(id: &str, layout: CgroupLayout) -> Result<Self> {
        let mountinfo = fs::read_to_string("/proc/self/mountinfo")
            .map_err(|e| Error::io("reading /proc/self/mountinfo", e))?;
        let proc_cgroup = fs::read_to_string("/proc/self/cgroup")
            .map_err(|e| Error::io("reading /proc/self/cgroup", e))?;
        let placements = plan(&mountinfo, &proc_cgroup, layout, id)?;
        let mut cg = ContainerCgroup {
            id: id.to_string(),
            placements,
            created: Vec::new(),
            pid: std::process::id(),
            left: false,
        };
        // On error `cg` is dropped, which undoes what was done so far.
        for i in 0..cg.placements.len() {
            let target = cg.placements[i].target.clone();
            cg.create_dirs(&target)?;
            write_pid(&target, cg.pid)?;
        }
        Ok(cg)
    }

    /// mkdir -p, remembering what was created; retries because a concurrent
    /// run may remove a shared `docker` parent between our two mkdirs.
    fn create_dirs(&mut self, target: &Path) -> Result<()> {
        let mut missing = Vec::new();
        let mut p = target;
        while !p.exists() {
            missing.push(p.to_path_buf());
            match p.parent() {
                Some(parent) => p = parent,
                None => break,
            }
        }
        for attempt in 0..5 {
            let mut retry = false;
            for dir in missing.iter().rev() {
                match fs::create_dir(dir) {
                    Ok(()) => self.created.push(dir.clone()),
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                    Err(e) if e.kind() == ErrorKind::NotFound && attempt < 4 => {
                        retry = true;
                        break;
                    }
                    Err(e) => {
                        return Err(Error::io(format!("creating cgroup {}", dir.display()), e))
                    }
                }
            }
            if !retry {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The cgroup lines of `/proc/self/cgroup`, to show where we are.
    pub fn current() -> Result<Vec<String>> {
        let text = fs::read_to_string("/proc/self/cgroup")
            .map_err(|e| Error::io("reading /proc/self/cgroup", e))?;
        Ok(text.lines().map(String::from).collect())
    }

    /// Moves the process back and removes the created cgroups.
    pub fn leave(mut self) -> Result<()> {
        self.undo()
    }

    fn undo(&mut self) -> Result<()> {
        if self.left {
            return Ok(());
        }
        self.left = true;
        let mut first_err = None;
        for p in &self.placements {
            if let Err(e) = write_pid(&p.original, self.pid) {
                first_err.get_or_insert(e);
            }
        }
        for dir in self.created.iter().rev() {
            if let Err(e) = rmdir_retry(dir) {
                first_err.get_or_insert(e);
            }
        }
        first_err.map_or(Ok(()), Err)
    }
}

/// rmdir, retrying while the kernel still counts exiting tasks (EBUSY).
/// A shared parent that another run still uses (ENOTEMPTY) is left alone.
fn rmdir_retry(dir: &Path) -> Result<()> {
    for _ in 0..200 {
        match fs::remove_dir(dir) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::ENOTEMPTY) => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => return Err(Error::io(format!("removing cgroup {}", dir.display()), e)),
        }
    }
    Err(Error::Failed(format!(
        "cgroup {} stayed busy; remove it by hand",
        dir.display()
    )))
}

impl Drop for ContainerCgroup {
    fn drop(&mut self) {
        if let Err(e) = self.undo() {
            eprintln!("yagura-eventgen: cgroup cleanup: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    // Shapes from this test machine (v1 + v2 at unified) and a systemd v2-only host.
    const MOUNTINFO_HYBRID: &str = "\
30 25 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:27 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
32 30 0:28 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
33 30 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
34 30 0:30 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
35 30 0:31 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
36 30 0:32 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";
    const CGROUP_HYBRID: &str = "\
9:name=systemd:/
8:pids:/
4:memory:/process_api/a2a6
2:cpuacct:/
1:cpu:/
0::/
";
    const MOUNTINFO_V2: &str =
        "25 20 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
    const CGROUP_V2: &str = "0::/user.slice/user-0.slice/session-3.scope\n";

    #[test]
    fn parses_hierarchies() {
        let m = parse_mountinfo(MOUNTINFO_HYBRID);
        assert_eq!(m.len(), 6, "{m:?}");
        assert_eq!(m[0].controllers, vec!["cpu"]);
        assert_eq!(m[4].controllers, vec!["name=systemd"]);
        assert_eq!(m[5].version, CgroupVersion::V2);
        assert_eq!(m[5].mount_point, PathBuf::from("/sys/fs/cgroup/unified"));
        let c = parse_proc_cgroup(CGROUP_HYBRID);
        assert_eq!(c[2].controllers, vec!["memory"]);
        assert_eq!(c[2].path, "/process_api/a2a6");
        assert_eq!(c[5].hierarchy_id, 0);
        assert!(c[5].controllers.is_empty());
    }

    #[test]
    fn plans_hybrid_docker_layout() {
        let p = plan(MOUNTINFO_HYBRID, CGROUP_HYBRID, CgroupLayout::Docker, ID).unwrap();
        let targets: Vec<_> = p.iter().map(|p| p.target.clone()).collect();
        assert_eq!(
            targets,
            vec![
                PathBuf::from(format!("/sys/fs/cgroup/unified/docker/{ID}")),
                PathBuf::from(format!("/sys/fs/cgroup/pids/docker/{ID}")),
                PathBuf::from(format!("/sys/fs/cgroup/cpu/docker/{ID}")),
                PathBuf::from(format!(
                    "/sys/fs/cgroup/memory/process_api/a2a6/docker/{ID}"
                )),
            ]
        );
        assert_eq!(
            p[3].original,
            PathBuf::from("/sys/fs/cgroup/memory/process_api/a2a6")
        );
    }

    #[test]
    fn plans_v2_systemd_layout() {
        let p = plan(MOUNTINFO_V2, CGROUP_V2, CgroupLayout::Systemd, ID).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].target,
            PathBuf::from(format!(
                "/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope/system.slice/docker-{ID}.scope"
            ))
        );
        // v1 keeps docker/<id> whatever the layout.
        assert_eq!(
            container_relative_path(CgroupVersion::V1, CgroupLayout::Systemd, ID),
            PathBuf::from(format!("docker/{ID}"))
        );
    }

    #[test]
    fn handles_namespaced_mount_root_and_no_cgroups() {
        let h = Hierarchy {
            version: CgroupVersion::V2,
            mount_point: "/sys/fs/cgroup".into(),
            mount_root: "/kubepods/pod1".into(),
            controllers: vec![],
        };
        assert_eq!(
            cgroup_dir(&h, "/kubepods/pod1/c1"),
            PathBuf::from("/sys/fs/cgroup/c1")
        );
        assert_eq!(cgroup_dir(&h, "/"), PathBuf::from("/sys/fs/cgroup"));
        assert!(plan("", CGROUP_V2, CgroupLayout::Docker, ID).is_err());
        assert_eq!(unescape_mountinfo(r"/mnt/a\040b"), "/mnt/a b");
    }
}
