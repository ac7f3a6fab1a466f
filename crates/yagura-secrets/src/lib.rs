//! Secret scanner: provider detectors, keyword prefilter, entropy, gitleaks rule
//! files, git history.
//!
//! ```no_run
//! use yagura_secrets::{Config, Scanner};
//! let scanner = Scanner::new(Config::builtin()).unwrap();
//! let out = scanner.scan_path(std::path::Path::new("."));
//! for f in &out.findings {
//!     println!("{}:{} {} {}", f.file, f.line, f.detector_id, f.redacted);
//! }
//! ```
//!
//! Pipeline per file: one case-insensitive Aho-Corasick pass finds rule keywords;
//! each rule's regex runs only on the lines (or, for PEM blocks, the following
//! bytes) around its keywords; candidates then pass entropy, stopword, allowlist
//! and inline `gitleaks:allow` / `yagura:ignore-secret` checks. Findings carry a
//! redacted form and a fingerprint, never the secret.

mod builtin;
mod config;
mod detector;
mod git;
mod scanner;
mod util;

use serde::Serialize;
use yagura_model::Severity;

pub use config::{
    default_allowlist, Allowlist, Condition, Config, PathPattern, RegexSyntax, RegexTarget, Rule,
    DEFAULT_MAX_FILE_SIZE,
};
pub use detector::{Detector, DetectorAllowlist, Part, Sample, SampleKind};
pub use scanner::Scanner;
pub use util::{fingerprint, redact, shannon_entropy};

/// The built-in detectors, provider-specific first, generic last.
pub fn builtin_detectors() -> &'static [Detector] {
    builtin::BUILTIN
}

/// Errors of configuration loading and scanning setup.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
    #[error("invalid secrets configuration {path}: {message}")]
    Config { path: String, message: String },
    #[error("secret rule {id:?}: {message}")]
    Rule { id: String, message: String },
    #[error("git: {0}")]
    Git(String),
}

/// The commit that introduced a finding (git history scans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    pub id: String,
    pub author: String,
    pub email: String,
    /// Author date, RFC 3339.
    pub date: String,
}

/// One detected secret. Holds a redacted form and a fingerprint, never the value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretFinding {
    pub detector_id: String,
    pub title: String,
    pub severity: Severity,
    pub file: String,
    /// 1-based line of the secret's first byte.
    pub line: u32,
    /// 1-based line of the secret's last byte (differs for PEM blocks).
    pub end_line: u32,
    /// 1-based byte column of the first byte of the secret on `line`.
    pub column_start: u32,
    /// 1-based byte column just past the secret on `end_line` (exclusive, as SARIF).
    pub column_end: u32,
    /// At most 4 characters kept at each end.
    pub redacted: String,
    /// Hex SHA-256 of detector id and secret.
    pub fingerprint: String,
    /// Shannon entropy of the secret in bits per byte.
    pub entropy: Option<f32>,
    pub commit: Option<CommitInfo>,
}

/// Result of a tree or history scan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanOutput {
    pub findings: Vec<SecretFinding>,
    /// Files or objects that could not be read: (path, reason).
    pub errors: Vec<(String, String)>,
    /// Files left out on purpose (over the size cap): (path, reason).
    pub skipped: Vec<(String, String)>,
    pub files_scanned: u64,
    /// Binary or oversized files not scanned.
    pub files_skipped: u64,
    pub bytes_scanned: u64,
    /// Git history scans only.
    pub commits_scanned: u64,
}
