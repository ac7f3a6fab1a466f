//! Secret-scanner results as findings, so they share reports, the store,
//! suppressions and `--fail-on` with every other check.
//!
//! The secret itself never reaches a finding: only the scanner's redacted form
//! and a fingerprint (a hash) that keeps the finding id stable across scans.

use yagura_model::{fingerprint, Finding, FindingSource, Location, ResourceRef, Status};
use yagura_secrets::{ScanOutput, SecretFinding};

/// Check codes of secret findings: `SECRET-<detector id>`.
pub const CODE_PREFIX: &str = "SECRET-";

const REMEDIATION: &str = "Revoke and rotate the credential first (it must be treated as leaked), \
then remove it from the code and, if it was committed, from the history; load it at run time from \
a secret manager or the environment.";

pub fn to_finding(s: &SecretFinding) -> Finding {
    let check = format!("{CODE_PREFIX}{}", s.detector_id);
    let (resource_id, file_label) = match &s.commit {
        Some(c) => (
            format!(
                "git:{}:{}#{}",
                c.id,
                s.file,
                &s.fingerprint[..s.fingerprint.len().min(16)]
            ),
            format!("{} (commit {})", s.file, &c.id[..c.id.len().min(12)]),
        ),
        None => (
            format!(
                "{}#{}",
                s.file,
                &s.fingerprint[..s.fingerprint.len().min(16)]
            ),
            s.file.clone(),
        ),
    };
    let mut message = format!("{} `{}` at line {}", s.title, s.redacted, s.line);
    if let Some(c) = &s.commit {
        message.push_str(&format!(
            ", added in commit {} by {} <{}> on {}",
            c.id, c.author, c.email, c.date
        ));
    }
    let location = Location {
        file: s.file.clone(),
        start_line: Some(s.line),
        end_line: Some(s.line),
        start_column: Some(s.column_start),
        end_column: Some(s.column_end),
    };
    Finding {
        id: fingerprint(&check, &resource_id, None, None),
        title: s.title.to_string(),
        check,
        severity: s.severity,
        status: Status::Fail,
        message,
        resource: ResourceRef {
            id: resource_id,
            kind: "source.file".into(),
            name: file_label,
            account: None,
            region: None,
            tags: Default::default(),
            location: Some(location),
        },
        frameworks: vec!["nist-800-53-r5:IA-5".into()],
        remediation: REMEDIATION.into(),
        source: FindingSource::Builtin,
        muted: None,
        first_seen: None,
        last_seen: None,
        vulnerability: None,
        malware: None,
    }
}

pub fn to_findings(out: &ScanOutput) -> Vec<Finding> {
    out.findings.iter().map(to_finding).collect()
}
