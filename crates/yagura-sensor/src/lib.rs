//! The eBPF runtime sensor.
//!
//! Loads the committed BPF object (`bpf/sensor.bpf.o`, built from
//! `bpf/sensor.bpf.c` by `scripts/gen-bpf.sh`; no clang needed here), enables
//! the syscalls the loaded rules use, and reads records from the ring buffer.
//! [`proctable::ProcessTable`] turns records into [`yagura_event::Event`]s.

pub mod abi;
pub mod kernel;
pub mod proctable;
pub mod syscalls;

pub use kernel::{preflight, Counters, KillRule, OpenFilter, Sensor, SensorConfig, SensorError};

/// The BPF object, compiled by `scripts/gen-bpf.sh` and committed.
pub static BPF_OBJECT: &[u8] = include_bytes!("../bpf/sensor.bpf.o");
