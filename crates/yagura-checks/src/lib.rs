//! The check registry. Every built-in check lives in its own file under
//! `src/<provider>/<service>/`, declares a [`Check`] with its stable code, docs,
//! compliance mappings and passing/failing fixtures, and is listed once in its
//! service's `mod.rs`. `yagura checks` output and docs are generated from here.
//!
//! Checks are pure: they read the resource and the inventory in [`Ctx`] and never
//! do I/O, so the same check serves the live API, snapshots and IaC alike.

pub mod aws;
pub mod azure;
pub mod docker;
mod docs;
mod framework;
pub mod gcp;
pub mod iac_fixtures;
pub mod k8s;
pub mod util;
pub mod yagura;

pub use docs::catalogue_markdown;
pub use framework::{framework, frameworks, Control, Framework, FrameworkError};

use chrono::{DateTime, Utc};
use yagura_model::{Inventory, Outcome, Resource, Severity};

/// What a check may read besides its own resource.
pub struct Ctx<'a> {
    pub inventory: &'a Inventory,
    /// The scan's clock: checks on credential age etc. use this, never the system clock.
    pub now: DateTime<Utc>,
}

/// A built-in check.
pub struct Check {
    /// Stable code, `PROVIDER-SERVICE-NNN`. Never reused or renumbered.
    pub code: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// The resource kind it evaluates (`aws.s3.bucket`).
    pub kind: &'static str,
    /// Why a failure matters.
    pub rationale: &'static str,
    /// How to fix a failure.
    pub remediation: &'static str,
    /// `framework-id:control-id`, e.g. `cis-aws-3.0:2.1.4`.
    pub frameworks: &'static [&'static str],
    pub eval: fn(&Resource, &Ctx) -> Outcome,
    pub fixtures: Fixtures,
    /// Test-coverage notes, e.g. when the emulator lacks the API and only
    /// snapshot fixtures cover the check.
    pub notes: &'static str,
}

/// Attribute documents (JSON) that must pass and fail. A fixture may carry other
/// resources the check reads from the inventory under the key `"$related"`:
/// `[{"kind": "...", "attributes": {...}}]`.
pub struct Fixtures {
    pub pass: &'static [&'static str],
    pub fail: &'static [&'static str],
}

impl Check {
    pub fn evaluate(&self, resource: &Resource, ctx: &Ctx) -> Outcome {
        (self.eval)(resource, ctx)
    }

    pub fn provider(&self) -> &'static str {
        self.kind.split('.').next().unwrap_or("")
    }

    pub fn service(&self) -> &'static str {
        self.kind.split('.').nth(1).unwrap_or("")
    }

    /// The IaC formats this check runs on, proven by fixtures under
    /// `fixtures/iac/<CODE>/` (embedded at build time).
    pub fn iac_formats(&self) -> &'static [&'static str] {
        IAC_SUPPORT
            .binary_search_by(|(code, _)| (*code).cmp(self.code))
            .map(|i| IAC_SUPPORT[i].1)
            .unwrap_or(&[])
    }
}

include!(concat!(env!("OUT_DIR"), "/iac_support.rs"));

/// Every built-in check, in code order.
pub fn registry() -> &'static [&'static Check] {
    static ALL: std::sync::OnceLock<Vec<&'static Check>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let providers: [&[&[&'static Check]]; 6] = [
            aws::CHECKS,
            azure::CHECKS,
            docker::CHECKS,
            gcp::CHECKS,
            k8s::CHECKS,
            yagura::CHECKS,
        ];
        let mut v: Vec<&'static Check> = providers
            .iter()
            .flat_map(|p| p.iter().flat_map(|s| s.iter().copied()))
            .collect();
        v.sort_by_key(|c| c.code);
        v
    })
}

pub fn find(code: &str) -> Option<&'static Check> {
    registry()
        .iter()
        .copied()
        .find(|c| c.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests;
