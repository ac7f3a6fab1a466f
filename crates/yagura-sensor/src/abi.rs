//! Decoding of the records the BPF programs write (layouts in `bpf/sensor.h`).
//!
//! Records are decoded field by field from bytes rather than transmuted, so a
//! short or odd-sized record is an error, never undefined behaviour.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub const PATH_LEN: usize = 256;
pub const SMALL_LEN: usize = 64;
pub const SOCKADDR_LEN: usize = 128;
pub const ARGS_LEN: usize = 1024;
pub const CGROUP_NAME_LEN: usize = 128;
pub const MAX_SYSCALLS: u32 = 512;
pub const MAX_KILL_RULES: u32 = 16;
pub const KILL_PATH_LEN: usize = 128;

pub const CONF_ENABLED: u32 = 1;
pub const CONF_KILL: u32 = 2;
pub const CONF_OPEN_FILTER: u32 = 4;
pub const CONF_OPEN_WRITE_ALL: u32 = 8;
pub const CONF_OPEN_HEADS: u32 = 16;

pub const OPEN_PREFIX_ANY: u32 = 1;
pub const OPEN_PREFIX_WRITE: u32 = 2;

pub const KILL_PATH_EXACT: u32 = 1;
pub const KILL_PATH_PREFIX: u32 = 2;
pub const KILL_COMM: u32 = 4;
pub const KILL_CONTAINER: u32 = 8;
pub const KILL_OPEN_WRITE: u32 = 16;

pub const EV_FORK: u32 = 1000;
pub const EV_EXEC: u32 = 1001;
pub const EV_EXIT: u32 = 1002;

/// `sizeof(struct sys_event)`.
pub const SYS_EVENT_SIZE: usize = 856;
/// `sizeof(struct proc_event)`.
pub const PROC_EVENT_SIZE: usize = 1952;
/// `offsetof(struct proc_event, cg)`: exit records stop there.
pub const PROC_EVENT_HEAD: usize = 96;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("record of {0} bytes is too short to hold a kind")]
    Empty(usize),
    #[error("record kind {kind} has {len} bytes, expected {expected}")]
    Size {
        kind: u32,
        len: usize,
        expected: usize,
    },
}

/// A syscall record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysRecord {
    pub nr: u32,
    pub tgid: u32,
    pub tid: u32,
    pub flags: u32,
    /// CLOCK_BOOTTIME ns.
    pub ts: u64,
    pub res: i64,
    pub args: [u64; 6],
    /// Rule id + 1 of the in-kernel kill rule that fired, or 0.
    pub killed_by: u32,
    pub sk_family: u16,
    pub sk_proto: u16,
    pub lport: u16,
    pub rport: u16,
    pub laddr: [u8; 16],
    pub raddr: [u8; 16],
    pub comm: String,
    pub sockaddr: Vec<u8>,
    pub small: String,
    pub path: String,
    pub path2: String,
}

impl SysRecord {
    pub fn local_ip(&self) -> Option<IpAddr> {
        ip_of(self.sk_family, &self.laddr)
    }
    pub fn remote_ip(&self) -> Option<IpAddr> {
        ip_of(self.sk_family, &self.raddr)
    }
}

fn ip_of(family: u16, bytes: &[u8; 16]) -> Option<IpAddr> {
    match family {
        2 => Some(IpAddr::V4(Ipv4Addr::new(
            bytes[0], bytes[1], bytes[2], bytes[3],
        ))),
        10 => Some(IpAddr::V6(Ipv6Addr::from(*bytes))),
        _ => None,
    }
}

/// A fork, exec or exit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcRecord {
    pub kind: u32,
    pub tgid: u32,
    pub tid: u32,
    pub ppid: u32,
    pub ts: u64,
    pub start_time: u64,
    pub uid: u32,
    pub gid: u32,
    pub euid: u32,
    pub egid: u32,
    pub loginuid: u32,
    /// For exec: kill rule id + 1 when an in-kernel kill rule fired.
    pub exit_code: u32,
    pub exe_ino: u64,
    pub exe_mtime: i64,
    pub exe_nlink: u32,
    pub comm: String,
    /// v2 leaf, v2 parent, v1 leaf, v1 parent.
    pub cgroups: [String; 4],
    pub filename: String,
    pub exe_name: String,
    pub argv: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Sys(Box<SysRecord>),
    Proc(Box<ProcRecord>),
}

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u16(&self, off: usize) -> u16 {
        u16::from_ne_bytes([self.0[off], self.0[off + 1]])
    }
    fn u32(&self, off: usize) -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&self.0[off..off + 4]);
        u32::from_ne_bytes(b)
    }
    fn u64(&self, off: usize) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[off..off + 8]);
        u64::from_ne_bytes(b)
    }
    fn arr16(&self, off: usize) -> [u8; 16] {
        let mut b = [0u8; 16];
        b.copy_from_slice(&self.0[off..off + 16]);
        b
    }
    fn cstr(&self, off: usize, len: usize) -> String {
        let s = &self.0[off..off + len];
        let end = s.iter().position(|&c| c == 0).unwrap_or(len);
        String::from_utf8_lossy(&s[..end]).into_owned()
    }
}

pub fn decode(data: &[u8]) -> Result<Record, DecodeError> {
    if data.len() < 4 {
        return Err(DecodeError::Empty(data.len()));
    }
    let b = Bytes(data);
    let kind = b.u32(0);
    if kind < EV_FORK {
        if data.len() < SYS_EVENT_SIZE {
            return Err(DecodeError::Size {
                kind,
                len: data.len(),
                expected: SYS_EVENT_SIZE,
            });
        }
        let mut args = [0u64; 6];
        for (i, a) in args.iter_mut().enumerate() {
            *a = b.u64(32 + i * 8);
        }
        let sockaddr_len = (b.u32(92) as usize).min(SOCKADDR_LEN);
        return Ok(Record::Sys(Box::new(SysRecord {
            nr: kind,
            tgid: b.u32(4),
            tid: b.u32(8),
            flags: b.u32(12),
            ts: b.u64(16),
            res: b.u64(24) as i64,
            args,
            killed_by: b.u32(80),
            sk_family: b.u16(84),
            sk_proto: b.u16(86),
            lport: b.u16(88),
            rport: b.u16(90),
            laddr: b.arr16(96),
            raddr: b.arr16(112),
            comm: b.cstr(128, 16),
            sockaddr: data[144..144 + sockaddr_len].to_vec(),
            small: b.cstr(272, SMALL_LEN),
            path: b.cstr(344, PATH_LEN),
            path2: b.cstr(344 + PATH_LEN, PATH_LEN),
        })));
    }
    let expected = if kind == EV_EXIT {
        PROC_EVENT_HEAD
    } else {
        PROC_EVENT_SIZE
    };
    if data.len() < expected {
        return Err(DecodeError::Size {
            kind,
            len: data.len(),
            expected,
        });
    }
    let full = kind != EV_EXIT;
    let argv = if full {
        let n = (b.u32(76) as usize).min(ARGS_LEN);
        let raw = &data[928..928 + n];
        raw.split(|&c| c == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    } else {
        Vec::new()
    };
    let cg = |i: usize| {
        if full {
            b.cstr(96 + i * CGROUP_NAME_LEN, CGROUP_NAME_LEN)
        } else {
            String::new()
        }
    };
    Ok(Record::Proc(Box::new(ProcRecord {
        kind,
        tgid: b.u32(4),
        tid: b.u32(8),
        ppid: b.u32(12),
        ts: b.u64(16),
        start_time: b.u64(24),
        uid: b.u32(32),
        gid: b.u32(36),
        euid: b.u32(40),
        egid: b.u32(44),
        loginuid: b.u32(48),
        exit_code: b.u32(52),
        exe_ino: b.u64(56),
        exe_mtime: b.u64(64) as i64,
        exe_nlink: b.u32(72),
        comm: b.cstr(80, 16),
        cgroups: [cg(0), cg(1), cg(2), cg(3)],
        filename: if full {
            b.cstr(608, PATH_LEN)
        } else {
            String::new()
        },
        exe_name: if full {
            b.cstr(864, SMALL_LEN)
        } else {
            String::new()
        },
        argv,
    })))
}

/// `struct kill_rule` as written into the `kill_rules` map.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct KillRuleRaw {
    pub active: u32,
    pub flags: u32,
    pub rule_id: u32,
    pub path_len: u32,
    pub syscalls: [u64; 8],
    pub comm: [u8; 16],
    pub path: [u8; KILL_PATH_LEN],
}

// SAFETY: plain old data with no padding (4*4 + 8*8 + 16 + 128 bytes, 8-aligned).
unsafe impl aya::Pod for KillRuleRaw {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_records_are_errors() {
        assert_eq!(decode(&[1, 2]), Err(DecodeError::Empty(2)));
        let mut rec = vec![0u8; 100];
        rec[0] = 2;
        assert!(matches!(decode(&rec), Err(DecodeError::Size { .. })));
    }

    #[test]
    fn sys_record_fields_are_read_at_their_offsets() {
        let mut rec = vec![0u8; SYS_EVENT_SIZE];
        rec[0..4].copy_from_slice(&257u32.to_ne_bytes());
        rec[4..8].copy_from_slice(&42u32.to_ne_bytes());
        rec[24..32].copy_from_slice(&(-2i64).to_ne_bytes());
        rec[128..131].copy_from_slice(b"cat");
        rec[344..355].copy_from_slice(b"/etc/shadow");
        let Record::Sys(s) = decode(&rec).unwrap() else {
            panic!("not a syscall record")
        };
        assert_eq!((s.nr, s.tgid, s.res), (257, 42, -2));
        assert_eq!((s.comm.as_str(), s.path.as_str()), ("cat", "/etc/shadow"));
    }

    #[test]
    fn kill_rule_layout_matches_the_c_struct() {
        assert_eq!(std::mem::size_of::<KillRuleRaw>(), 16 + 64 + 16 + 128);
    }
}
