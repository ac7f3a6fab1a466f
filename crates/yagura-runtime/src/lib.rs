//! Runtime threat detection and response.
//!
//! ```text
//! sensor (eBPF) ──records──► process table ──events──► engine ──matches──► alerts ──► outputs
//!                                                │                            └──► response (kill)
//!                                                └──► recording (--record)
//! ```
//! [`agent::run`] is the live loop; [`replay::replay`] evaluates a recording
//! offline with the same engine and outputs.

pub mod agent;
pub mod alert;
pub mod filter;
pub mod findings;
pub mod metrics;
pub mod outputs;
pub mod replay;
pub mod rulesrc;

pub use alert::{Alert, ResponseRecord};
pub use rulesrc::{load, LoadedRules, RuleSources, RuntimeError};
