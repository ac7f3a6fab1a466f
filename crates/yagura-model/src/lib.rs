//! The shared vocabulary of yagura: normalized [`Resource`]s that every collector
//! produces, and [`Finding`]s that every check, policy and scanner emits.
//!
//! Invariant: nothing in this crate does I/O. Collectors (cloud APIs, snapshots,
//! IaC) turn their input into resources; evaluation turns resources into findings.

mod finding;
pub mod iac;
pub mod malware;
pub mod package;
mod resource;
mod scan;
mod severity;

pub use finding::{fingerprint, Finding, FindingSource, Mute, Outcome, ResourceRef, Status};
pub use resource::{Attr, Inventory, Location, Missing, NotAssessedTarget, Resource, SourceKind};
pub use scan::ScanReport;
pub use severity::{ParseSeverityError, Severity};
