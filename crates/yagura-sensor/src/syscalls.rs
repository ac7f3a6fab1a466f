//! x86_64 syscall numbers for the event types the sensor reports.

use yagura_event::EventType;

/// Syscall numbers reported as each event type (x86_64).
pub fn numbers(t: EventType) -> &'static [u32] {
    match t {
        EventType::Open => &[2],
        EventType::Openat => &[257],
        EventType::Openat2 => &[437],
        EventType::Creat => &[85],
        EventType::Rename => &[82],
        EventType::Renameat => &[264],
        EventType::Renameat2 => &[316],
        EventType::Unlink => &[87],
        EventType::Unlinkat => &[263],
        EventType::Chmod => &[90],
        EventType::Fchmod => &[91],
        EventType::Fchmodat => &[268],
        EventType::Chown => &[92],
        EventType::Fchown => &[93],
        EventType::Fchownat => &[260],
        EventType::Lchown => &[94],
        EventType::Connect => &[42],
        EventType::Accept => &[43],
        EventType::Accept4 => &[288],
        EventType::Listen => &[50],
        EventType::Bind => &[49],
        EventType::Ptrace => &[101],
        EventType::Setuid => &[105],
        EventType::Setgid => &[106],
        EventType::Setreuid => &[113],
        EventType::Setregid => &[114],
        EventType::Setresuid => &[117],
        EventType::Setresgid => &[119],
        EventType::Setns => &[308],
        EventType::Unshare => &[272],
        EventType::Mount => &[165],
        EventType::InitModule => &[175],
        EventType::FinitModule => &[313],
        EventType::MemfdCreate => &[319],
        EventType::Bpf => &[321],
        // Process lifecycle comes from the sched tracepoints, always on.
        EventType::Execve
        | EventType::Execveat
        | EventType::Clone
        | EventType::Clone3
        | EventType::Fork
        | EventType::Vfork
        | EventType::Procexit
        | EventType::Drop => &[],
    }
}

/// The event type of a syscall number, if the sensor reports it.
pub fn event_type(nr: u32) -> Option<EventType> {
    EventType::ALL
        .iter()
        .copied()
        .find(|t| numbers(*t).contains(&nr))
}

pub const NR_EXECVE: u32 = 59;

/// Open-family event types (the in-kernel path filter applies to these).
pub fn is_open(t: EventType) -> bool {
    matches!(
        t,
        EventType::Open | EventType::Openat | EventType::Openat2 | EventType::Creat
    )
}
