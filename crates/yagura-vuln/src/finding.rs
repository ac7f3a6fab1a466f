//! A vulnerability match as a [`Finding`], so vulnerabilities share the store,
//! suppressions, reports and exit codes with every other scanner.

use yagura_model::package::{VulnMatch, VulnState};
use yagura_model::{fingerprint, Finding, FindingSource, Location, Mute, ResourceRef, Status};

/// The resource ID of a package: where it was found and what it is, so the
/// same package in two places (two lockfiles, two layers' copies) stays apart.
pub fn package_resource_id(m: &VulnMatch) -> String {
    let p = &m.package;
    format!("{}#{}/{}@{}", p.path, p.ecosystem, p.name, p.version)
}

/// Stable across scans for the same vulnerability in the same package.
pub fn finding_id(m: &VulnMatch) -> String {
    fingerprint(&m.id, &package_resource_id(m), None, None)
}

/// Converts a match. `scope` prefixes the resource ID (e.g. the image or
/// folder scanned) so findings from different targets do not collide.
pub fn finding_for(m: &VulnMatch, scope: &str) -> Finding {
    let p = &m.package;
    let resource_id = if scope.is_empty() {
        package_resource_id(m)
    } else {
        format!("{scope}:{}", package_resource_id(m))
    };
    let fixed = if m.fixed_versions.is_empty() {
        "no fixed version yet".to_string()
    } else {
        format!("fixed in {}", m.fixed_versions.join(", "))
    };
    let layer = p
        .layer
        .as_ref()
        .map(|l| format!(" (layer {} {})", l.index, short(&l.digest)))
        .unwrap_or_default();
    let (status, message, muted) = match &m.state {
        VulnState::Affected => (
            Status::Fail,
            format!(
                "{} {} is vulnerable to {}: {fixed}; found in {}{layer}",
                p.name, p.version, m.id, p.path
            ),
            None,
        ),
        VulnState::NotAssessed { reason } => (Status::NotAssessed, reason.clone(), None),
        VulnState::NotAffected {
            justification,
            statement,
        } => (
            Status::Fail,
            format!(
                "{} {} matches {}, but a VEX statement says it is not affected",
                p.name, p.version, m.id
            ),
            Some(Mute {
                reason: format!(
                    "VEX: not_affected{}{}",
                    justification
                        .as_ref()
                        .map(|j| format!(" ({j})"))
                        .unwrap_or_default(),
                    statement
                        .as_ref()
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default()
                ),
                expires: None,
                rule: "vex".into(),
            }),
        ),
        VulnState::Fixed { statement } => (
            Status::Fail,
            format!(
                "{} {} matches {}, but a VEX statement says it is fixed",
                p.name, p.version, m.id
            ),
            Some(Mute {
                reason: format!(
                    "VEX: fixed{}",
                    statement
                        .as_ref()
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default()
                ),
                expires: None,
                rule: "vex".into(),
            }),
        ),
    };
    let mut remediation = match m.fixed_versions.first() {
        Some(v) => format!("Upgrade {} to {v} or later.", p.name),
        None => format!(
            "No fixed version of {} is known yet; check the advisory for mitigations.",
            p.name
        ),
    };
    if let Some(l) = &p.layer {
        if let Some(cmd) = &l.created_by {
            remediation.push_str(&format!(
                " Introduced by image layer {}: {}",
                l.index,
                cmd.trim()
            ));
        }
    }
    Finding {
        id: fingerprint(&m.id, &resource_id, None, None),
        check: m.id.clone(),
        title: m.summary.clone().unwrap_or_else(|| m.id.clone()),
        severity: m.severity,
        status,
        message,
        resource: ResourceRef {
            id: resource_id,
            kind: format!("package.{}", p.ecosystem_base().to_ascii_lowercase()),
            name: format!("{}@{}", p.name, p.version),
            account: None,
            region: None,
            tags: Default::default(),
            location: Some(Location {
                file: p.path.clone(),
                start_line: p.line,
                end_line: p.line,
                start_column: None,
                end_column: None,
            }),
        },
        frameworks: Vec::new(),
        remediation,
        source: FindingSource::Builtin,
        muted,
        first_seen: None,
        last_seen: None,
        vulnerability: Some(Box::new(m.clone())),
        malware: None,
    }
}

fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    hex.get(..12).unwrap_or(hex)
}
