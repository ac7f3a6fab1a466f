//! Loading, configuring and reading the BPF programs.

use std::collections::BTreeSet;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::Duration;

use aya::maps::lpm_trie::{Key, LpmTrie};
use aya::maps::{Array, MapData, PerCpuArray, RingBuf};
use aya::programs::BtfTracePoint;
use aya::{Btf, Ebpf, EbpfLoader};
use yagura_event::EventType;

use crate::abi::{self, KillRuleRaw};
use crate::syscalls;

#[derive(Debug, thiserror::Error)]
pub enum SensorError {
    #[error("the runtime sensor needs root (or CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN); running as uid {0}")]
    NotRoot(u32),
    #[error("this kernel has no BTF (/sys/kernel/btf/vmlinux is missing); the sensor needs a kernel built with CONFIG_DEBUG_INFO_BTF=y")]
    NoBtf,
    #[error("tracefs is not mounted at /sys/kernel/tracing and mounting it failed: {0}")]
    Tracefs(std::io::Error),
    #[error("loading the BPF object failed: {0}")]
    Load(String),
    #[error("BPF program {program}: {message}")]
    Program { program: String, message: String },
    #[error("BPF map {map}: {message}")]
    Map { map: String, message: String },
    #[error("reading the ring buffer failed: {0}")]
    Poll(std::io::Error),
}

/// The first four bytes of every watched prefix, as the kernel compares them
/// (native-endian u32); `None` when a prefix is shorter, so heads cannot decide.
pub fn open_heads(f: &OpenFilter) -> Option<BTreeSet<u32>> {
    let mut heads = BTreeSet::new();
    for p in f.prefixes.iter().chain(&f.write_prefixes) {
        let b = p.as_bytes();
        if b.len() < 4 {
            return None;
        }
        heads.insert(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
    }
    Some(heads)
}

/// Checks what the sensor needs before anything is loaded, mounting tracefs
/// when it is absent, so a missing requirement is named instead of surfacing
/// as a verifier or permission error.
pub fn preflight() -> Result<(), SensorError> {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    if euid != 0 {
        return Err(SensorError::NotRoot(euid));
    }
    if !Path::new("/sys/kernel/btf/vmlinux").exists() {
        return Err(SensorError::NoBtf);
    }
    let tracing = Path::new("/sys/kernel/tracing");
    if !tracing.join("events").exists() {
        std::fs::create_dir_all(tracing).map_err(SensorError::Tracefs)?;
        let src = c"nodev";
        let target = c"/sys/kernel/tracing";
        let fstype = c"tracefs";
        // SAFETY: all pointers are valid NUL-terminated strings; data is null.
        let rc = unsafe {
            libc::mount(
                src.as_ptr(),
                target.as_ptr(),
                fstype.as_ptr(),
                0,
                std::ptr::null(),
            )
        };
        if rc != 0 {
            return Err(SensorError::Tracefs(std::io::Error::last_os_error()));
        }
    }
    Ok(())
}

/// Which opens are worth sending to user space, derived from the rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenFilter {
    /// Every open for writing passes.
    pub all_writes: bool,
    /// Opens (any mode) below these prefixes pass.
    pub prefixes: BTreeSet<String>,
    /// Opens for writing below these prefixes pass.
    pub write_prefixes: BTreeSet<String>,
}

/// An in-kernel kill rule: all present conditions must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KillRule {
    /// Index of the rule in the engine; reported back with the kill.
    pub rule_id: u32,
    pub event_types: BTreeSet<EventType>,
    pub path_exact: Option<String>,
    pub path_prefix: Option<String>,
    pub comm: Option<String>,
    pub container_only: bool,
    pub open_write: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SensorConfig {
    /// Syscall event types to report (process lifecycle is always on).
    pub event_types: BTreeSet<EventType>,
    /// `None`: every open of an enabled open type is reported.
    pub open_filter: Option<OpenFilter>,
    pub kill_rules: Vec<KillRule>,
    /// Ring buffer size in bytes (a power of two, at least one page); default 16 MiB.
    pub ring_bytes: Option<u32>,
}

/// Kernel-side counters, summed over CPUs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Records lost because the ring buffer was full.
    pub ring_full: u64,
    /// Syscalls not reported because the in-flight table was full.
    pub inflight_full: u64,
    pub sent: u64,
    /// Opens dropped by the in-kernel path filter.
    pub filtered: u64,
}

pub struct Sensor {
    ebpf: Ebpf,
    ring: RingBuf<MapData>,
}

fn map_err(map: &str) -> impl Fn(aya::maps::MapError) -> SensorError + '_ {
    move |e| SensorError::Map {
        map: map.into(),
        message: e.to_string(),
    }
}

fn prog_err(program: &str) -> impl Fn(aya::programs::ProgramError) -> SensorError + '_ {
    move |e| SensorError::Program {
        program: program.into(),
        message: format!("{e}{}", source_chain(&e)),
    }
}

fn bytemuck_bytes(words: &mut [u64]) -> &mut [u8] {
    // SAFETY: u8 has no alignment or validity requirements and the length
    // covers exactly the words' memory.
    unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), words.len() * 8) }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut out = String::new();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

impl Sensor {
    /// Loads and attaches the programs. Call [`preflight`] first.
    pub fn start(config: &SensorConfig) -> Result<Sensor, SensorError> {
        let btf = Btf::from_sys_fs().map_err(|_| SensorError::NoBtf)?;
        // The ELF parser reads fields in place and needs 8-byte alignment,
        // which include_bytes! does not promise.
        let mut aligned = vec![0u64; crate::BPF_OBJECT.len().div_ceil(8)];
        let bytes: &mut [u8] = bytemuck_bytes(&mut aligned);
        bytes[..crate::BPF_OBJECT.len()].copy_from_slice(crate::BPF_OBJECT);
        let object = &bytes[..crate::BPF_OBJECT.len()];
        let mut loader = EbpfLoader::new();
        loader.btf(Some(&btf));
        if let Some(n) = config.ring_bytes {
            // SAFETY: sysconf has no preconditions.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u32;
            if !n.is_power_of_two() || n < page {
                return Err(SensorError::Load(format!(
                    "ring buffer size {n} must be a power of two of at least {page} bytes"
                )));
            }
            loader.set_max_entries("events", n);
        }
        let mut ebpf = loader
            .load(object)
            .map_err(|e| SensorError::Load(format!("{e}{}", source_chain(&e))))?;

        Self::configure(&mut ebpf, config)?;

        // Any program on sys_enter/sys_exit puts every syscall of every task
        // on the kernel's slow path, so they are attached only when a rule
        // needs a syscall event (or an in-kernel kill does).
        let needs_syscalls = config
            .event_types
            .iter()
            .any(|t| !syscalls::numbers(*t).is_empty())
            || config
                .kill_rules
                .iter()
                .any(|k| k.event_types.iter().any(|t| !t.is_process_start()));
        let mut programs = vec![
            ("yagura_fork", "sched_process_fork"),
            ("yagura_exec", "sched_process_exec"),
            ("yagura_exit", "sched_process_exit"),
        ];
        if needs_syscalls {
            programs.push(("yagura_sys_enter", "sys_enter"));
            programs.push(("yagura_sys_exit", "sys_exit"));
        }
        for (name, tp) in programs {
            let prog: &mut BtfTracePoint = ebpf
                .program_mut(name)
                .ok_or_else(|| SensorError::Load(format!("program {name} missing")))?
                .try_into()
                .map_err(prog_err(name))?;
            prog.load(tp, &btf).map_err(prog_err(name))?;
            prog.attach().map_err(prog_err(name))?;
        }
        let ring = RingBuf::try_from(
            ebpf.take_map("events")
                .ok_or_else(|| SensorError::Load("map events missing".into()))?,
        )
        .map_err(map_err("events"))?;
        Ok(Sensor { ebpf, ring })
    }

    fn configure(ebpf: &mut Ebpf, config: &SensorConfig) -> Result<(), SensorError> {
        let mut conf = vec![0u32; abi::MAX_SYSCALLS as usize];
        for t in &config.event_types {
            for &nr in syscalls::numbers(*t) {
                conf[nr as usize] |= abi::CONF_ENABLED;
                if syscalls::is_open(*t) {
                    if let Some(f) = &config.open_filter {
                        conf[nr as usize] |= abi::CONF_OPEN_FILTER;
                        if f.all_writes {
                            conf[nr as usize] |= abi::CONF_OPEN_WRITE_ALL;
                        }
                        if open_heads(f).is_some() {
                            conf[nr as usize] |= abi::CONF_OPEN_HEADS;
                        }
                    }
                }
            }
        }
        let mut kill_raw = Vec::new();
        for rule in config.kill_rules.iter().take(abi::MAX_KILL_RULES as usize) {
            let mut raw = KillRuleRaw {
                active: 1,
                flags: 0,
                rule_id: rule.rule_id,
                path_len: 0,
                syscalls: [0; 8],
                comm: [0; 16],
                path: [0; abi::KILL_PATH_LEN],
            };
            for t in &rule.event_types {
                let nrs: &[u32] = if t.is_process_start() {
                    &[syscalls::NR_EXECVE]
                } else {
                    syscalls::numbers(*t)
                };
                for &nr in nrs {
                    raw.syscalls[(nr >> 6) as usize & 7] |= 1u64 << (nr & 63);
                    conf[nr as usize] |= abi::CONF_KILL;
                }
            }
            if let Some(p) = rule.path_exact.as_ref().or(rule.path_prefix.as_ref()) {
                let bytes = p.as_bytes();
                let n = bytes.len().min(abi::KILL_PATH_LEN);
                raw.path[..n].copy_from_slice(&bytes[..n]);
                raw.path_len = n as u32;
                raw.flags |= if rule.path_exact.is_some() {
                    abi::KILL_PATH_EXACT
                } else {
                    abi::KILL_PATH_PREFIX
                };
            }
            if let Some(c) = &rule.comm {
                let bytes = c.as_bytes();
                let n = bytes.len().min(15);
                raw.comm[..n].copy_from_slice(&bytes[..n]);
                raw.flags |= abi::KILL_COMM;
            }
            if rule.container_only {
                raw.flags |= abi::KILL_CONTAINER;
            }
            if rule.open_write {
                raw.flags |= abi::KILL_OPEN_WRITE;
            }
            kill_raw.push(raw);
        }

        {
            let mut map: Array<_, u32> = Array::try_from(
                ebpf.map_mut("syscall_conf")
                    .ok_or_else(|| SensorError::Load("map syscall_conf missing".into()))?,
            )
            .map_err(map_err("syscall_conf"))?;
            for (nr, v) in conf.iter().enumerate() {
                if *v != 0 {
                    map.set(nr as u32, *v, 0).map_err(map_err("syscall_conf"))?;
                }
            }
        }
        {
            let mut map: Array<_, u32> = Array::try_from(
                ebpf.map_mut("config")
                    .ok_or_else(|| SensorError::Load("map config missing".into()))?,
            )
            .map_err(map_err("config"))?;
            map.set(0, std::process::id(), 0)
                .map_err(map_err("config"))?;
        }
        {
            let mut map: Array<_, KillRuleRaw> = Array::try_from(
                ebpf.map_mut("kill_rules")
                    .ok_or_else(|| SensorError::Load("map kill_rules missing".into()))?,
            )
            .map_err(map_err("kill_rules"))?;
            for (i, raw) in kill_raw.iter().enumerate() {
                map.set(i as u32, *raw, 0).map_err(map_err("kill_rules"))?;
            }
        }
        if let Some(f) = &config.open_filter {
            let mut entries: std::collections::BTreeMap<&str, u32> = Default::default();
            for p in &f.prefixes {
                *entries.entry(p).or_default() |= abi::OPEN_PREFIX_ANY;
            }
            for p in &f.write_prefixes {
                *entries.entry(p).or_default() |= abi::OPEN_PREFIX_WRITE;
            }
            if let Some(heads) = open_heads(f) {
                let mut map: aya::maps::HashMap<_, u32, u8> = aya::maps::HashMap::try_from(
                    ebpf.map_mut("open_heads")
                        .ok_or_else(|| SensorError::Load("map open_heads missing".into()))?,
                )
                .map_err(map_err("open_heads"))?;
                for h in heads {
                    map.insert(h, 1, 0).map_err(map_err("open_heads"))?;
                }
            }
            let mut map: LpmTrie<_, [u8; abi::PATH_LEN], u32> = LpmTrie::try_from(
                ebpf.map_mut("open_prefixes")
                    .ok_or_else(|| SensorError::Load("map open_prefixes missing".into()))?,
            )
            .map_err(map_err("open_prefixes"))?;
            for (p, v) in entries {
                let bytes = p.as_bytes();
                if bytes.is_empty() || bytes.len() >= abi::PATH_LEN {
                    continue;
                }
                let mut data = [0u8; abi::PATH_LEN];
                data[..bytes.len()].copy_from_slice(bytes);
                let key = Key::new((bytes.len() * 8) as u32, data);
                map.insert(&key, v, 0).map_err(map_err("open_prefixes"))?;
            }
        }
        Ok(())
    }

    /// Waits up to `timeout` for records, then hands each to `f`. Returns how
    /// many were read.
    pub fn poll(
        &mut self,
        timeout: Duration,
        mut f: impl FnMut(&[u8]),
    ) -> Result<usize, SensorError> {
        let mut n = 0;
        while let Some(item) = self.ring.next() {
            f(&item);
            n += 1;
            if n >= 4096 {
                return Ok(n);
            }
        }
        let mut pfd = libc::pollfd {
            fd: self.ring.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: pfd is a valid pollfd for the duration of the call.
        let rc = unsafe { libc::poll(&mut pfd, 1, ms) };
        if rc < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(SensorError::Poll(e));
            }
        }
        while let Some(item) = self.ring.next() {
            f(&item);
            n += 1;
            if n >= 4096 {
                break;
            }
        }
        Ok(n)
    }

    pub fn counters(&self) -> Result<Counters, SensorError> {
        let map: PerCpuArray<_, u64> = PerCpuArray::try_from(
            self.ebpf
                .map("counters")
                .ok_or_else(|| SensorError::Load("map counters missing".into()))?,
        )
        .map_err(map_err("counters"))?;
        let sum = |i: u32| -> Result<u64, SensorError> {
            Ok(map.get(&i, 0).map_err(map_err("counters"))?.iter().sum())
        };
        Ok(Counters {
            ring_full: sum(0)?,
            inflight_full: sum(1)?,
            sent: sum(2)?,
            filtered: sum(3)?,
        })
    }
}
