use crate::{Finding, NotAssessedTarget};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One completed (or partly completed) scan: what was looked at, what could not
/// be, and every finding. This is what the store keeps and every report renders.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanReport {
    pub id: String,
    /// What was scanned, stable across runs so scans can be compared:
    /// `aws:123456789012`, `aws-config:/path/to/snapshots`, …
    pub scope: String,
    /// The scan command: `aws`, `aws-config`, …
    pub kind: String,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub tool_version: String,
    /// Accounts, regions, files … that were scanned.
    #[serde(default)]
    pub targets: Vec<String>,
    /// What could not be seen, and why.
    #[serde(default)]
    pub not_assessed: Vec<NotAssessedTarget>,
    /// Errors that did not stop the scan (a broken policy, a malformed file).
    #[serde(default)]
    pub errors: Vec<String>,
    /// Things the user should know that are not errors, e.g. expired suppressions
    /// that re-opened their findings.
    #[serde(default)]
    pub notices: Vec<String>,
    pub resource_count: usize,
    pub findings: Vec<Finding>,
}
