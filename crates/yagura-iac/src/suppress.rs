//! Suppressions written next to the code: `# yagura:ignore CODE reason` on or
//! above a resource, and the Kubernetes annotation `yagura.io/ignore: "CODE=reason"`.
//!
//! Each one becomes a `yagura.suppression` resource as well, so the registry check
//! YAGURA-IAC-001 reports a suppression that gives no reason (such a suppression
//! mutes nothing: a mute always carries its reason).

use globset::{Glob, GlobMatcher};
use serde_json::json;
use std::collections::HashMap;
use yagura_model::{Finding, Location, Mute, Resource, SourceKind, Status};

pub const ANNOTATION: &str = "yagura.io/ignore";
const MARKER: &str = "yagura:ignore";

/// One inline suppression, attached to the resource it sits on or above.
#[derive(Debug, Clone)]
pub struct InlineSuppression {
    pub resource_id: String,
    /// A check code or a glob of codes (`K8S-POD-*`).
    pub code: String,
    pub reason: Option<String>,
    /// `file:line` of the comment, or `file:line (annotation)`.
    pub origin: String,
    pub location: Location,
}

impl InlineSuppression {
    fn matcher(&self) -> Option<GlobMatcher> {
        Glob::new(&self.code.to_ascii_uppercase())
            .ok()
            .map(|g| g.compile_matcher())
    }

    /// The `yagura.suppression` resource that YAGURA-IAC-001 evaluates.
    pub fn as_resource(&self) -> Resource {
        let mut r = Resource::new(
            "yagura.suppression",
            format!("suppression:{}:{}", self.origin, self.code),
            format!("{} at {}", self.code, self.origin),
        );
        r.source = SourceKind::SourceFile;
        r.location = Some(self.location.clone());
        r.attributes = json!({
            "code": self.code,
            "reason": self.reason,
            "target": self.resource_id,
        });
        r
    }
}

/// Parses the text after a comment marker: `yagura:ignore CODE[,CODE…] reason…`.
fn parse_comment(line: &str) -> Vec<(String, Option<String>)> {
    let Some(pos) = line.find(MARKER) else {
        return Vec::new();
    };
    let before = &line[..pos];
    if !(before.contains('#') || before.contains("//") || before.contains("/*")) {
        return Vec::new();
    }
    let rest = &line[pos + MARKER.len()..];
    // `yagura:ignore-secret` and the like belong to other tools.
    if !rest.starts_with(char::is_whitespace) {
        return Vec::new();
    }
    let rest = rest
        .trim()
        .trim_end_matches("*/")
        .trim_end_matches("-->")
        .trim();
    let (codes, reason) = match rest.split_once(char::is_whitespace) {
        Some((c, r)) => (c, r.trim()),
        None => (rest, ""),
    };
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| (c.to_string(), reason.clone()))
        .collect()
}

fn is_comment_only(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*')
}

/// Finds the comments on or above each resource of one file. `lines` is the file
/// text split into lines.
pub fn from_comments(
    resources: &[Resource],
    file_lines: &HashMap<String, Vec<String>>,
) -> Vec<InlineSuppression> {
    let mut out = Vec::new();
    for r in resources {
        let Some(loc) = &r.location else { continue };
        let (Some(start), Some(lines)) = (loc.start_line, file_lines.get(&loc.file)) else {
            continue;
        };
        let end = loc.end_line.unwrap_or(start).max(start);
        let mut numbered: Vec<u32> = (start..=end).collect();
        // The comment block directly above the resource.
        let mut above = start.saturating_sub(1);
        while above >= 1 {
            match lines.get(above as usize - 1) {
                Some(l) if is_comment_only(l) => {
                    numbered.push(above);
                    above -= 1;
                }
                _ => break,
            }
        }
        for n in numbered {
            let Some(text) = lines.get(n as usize - 1) else {
                continue;
            };
            for (code, reason) in parse_comment(text) {
                out.push(InlineSuppression {
                    resource_id: r.id.clone(),
                    code,
                    reason,
                    origin: format!("{}:{n}", loc.file),
                    location: Location::lines(loc.file.clone(), n, n),
                });
            }
        }
    }
    out
}

/// Reads `yagura.io/ignore` annotations: `CODE=reason`, several separated by `;`
/// or new lines.
pub fn from_annotations(resources: &[Resource]) -> Vec<InlineSuppression> {
    let mut out = Vec::new();
    for r in resources
        .iter()
        .filter(|r| r.source == SourceKind::Kubernetes)
    {
        let Some(text) = r
            .attributes
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(ANNOTATION))
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        let loc = r
            .location
            .clone()
            .unwrap_or_else(|| Location::lines(r.id.clone(), 1, 1));
        for entry in text
            .split([';', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let (code, reason) = match entry.split_once('=') {
                Some((c, why)) => (c.trim(), why.trim()),
                None => (entry, ""),
            };
            out.push(InlineSuppression {
                resource_id: r.id.clone(),
                code: code.to_string(),
                reason: (!reason.is_empty()).then(|| reason.to_string()),
                origin: format!("{}:{} (annotation)", loc.file, loc.start_line.unwrap_or(1)),
                location: loc.clone(),
            });
        }
    }
    out
}

/// Mutes the non-passing findings that an inline suppression with a reason covers.
/// Config-file suppressions already applied keep precedence.
pub fn apply(findings: &mut [Finding], suppressions: &[InlineSuppression]) -> usize {
    let mut by_resource: HashMap<&str, Vec<(&InlineSuppression, GlobMatcher)>> = HashMap::new();
    for s in suppressions.iter().filter(|s| s.reason.is_some()) {
        if let Some(m) = s.matcher() {
            by_resource
                .entry(s.resource_id.as_str())
                .or_default()
                .push((s, m));
        }
    }
    let mut muted = 0;
    for f in findings.iter_mut() {
        if f.muted.is_some() || f.status == Status::Pass {
            continue;
        }
        let Some(candidates) = by_resource.get(f.resource.id.as_str()) else {
            continue;
        };
        if let Some((s, _)) = candidates
            .iter()
            .find(|(_, m)| m.is_match(f.check.to_ascii_uppercase()))
        {
            f.muted = Some(Mute {
                reason: s.reason.clone().unwrap_or_default(),
                expires: None,
                rule: format!("inline {}", s.origin),
            });
            muted += 1;
        }
    }
    muted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_syntaxes() {
        assert_eq!(
            parse_comment("# yagura:ignore AWS-S3-001 public website bucket"),
            vec![("AWS-S3-001".into(), Some("public website bucket".into()))]
        );
        assert_eq!(
            parse_comment("  bucket = \"x\" // yagura:ignore AWS-S3-001,AWS-S3-002 ok */"),
            vec![
                ("AWS-S3-001".into(), Some("ok".into())),
                ("AWS-S3-002".into(), Some("ok".into()))
            ]
        );
        assert_eq!(
            parse_comment("# yagura:ignore AWS-S3-001"),
            vec![("AWS-S3-001".into(), None)]
        );
        assert!(parse_comment("# yagura:ignore-secret").is_empty());
        assert!(parse_comment("name = \"yagura:ignore X y\"").is_empty());
    }

    #[test]
    fn comments_above_and_inside_attach_to_the_resource() {
        let text = "# unrelated\n\n# yagura:ignore AWS-S3-001 website\n# yagura:ignore AWS-S3-009\nresource \"aws_s3_bucket\" \"b\" {\n  acl = \"public-read\" # yagura:ignore AWS-S3-003 legacy\n}\n";
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut r = Resource::new("aws.s3.bucket", "b", "b");
        r.location = Some(Location::lines("main.tf", 5, 7));
        let map = HashMap::from([("main.tf".to_string(), lines)]);
        let s = from_comments(&[r], &map);
        let got: Vec<(&str, Option<&str>, &str)> = s
            .iter()
            .map(|s| (s.code.as_str(), s.reason.as_deref(), s.origin.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("AWS-S3-003", Some("legacy"), "main.tf:6"),
                ("AWS-S3-009", None, "main.tf:4"),
                ("AWS-S3-001", Some("website"), "main.tf:3"),
            ]
        );
    }

    #[test]
    fn annotations_and_apply() {
        let mut r = Resource::new("k8s.workload", "k8s:x#0:Pod/default/p", "p");
        r.source = SourceKind::Kubernetes;
        r.attributes = json!({"metadata": {"annotations": {ANNOTATION: "K8S-POD-001=needs host network; K8S-POD-0*=batch job\nK8S-RBAC-001"}}});
        let s = from_annotations(std::slice::from_ref(&r));
        assert_eq!(s.len(), 3);
        assert_eq!(s[2].reason, None);
        let mk = |check: &str, status| Finding {
            id: check.into(),
            check: check.into(),
            title: String::new(),
            severity: yagura_model::Severity::High,
            status,
            message: String::new(),
            resource: (&r).into(),
            frameworks: vec![],
            remediation: String::new(),
            source: yagura_model::FindingSource::Builtin,
            muted: None,
            first_seen: None,
            last_seen: None,
            vulnerability: None,
            malware: None,
        };
        let mut fs = vec![
            mk("K8S-POD-001", Status::Fail),
            mk("K8S-POD-007", Status::Fail),
            mk("K8S-RBAC-001", Status::Fail),
            mk("K8S-POD-002", Status::Pass),
        ];
        assert_eq!(apply(&mut fs, &s), 2);
        assert_eq!(
            fs[0].muted.as_ref().map(|m| m.reason.as_str()),
            Some("needs host network")
        );
        assert_eq!(
            fs[1].muted.as_ref().map(|m| m.reason.as_str()),
            Some("batch job")
        );
        assert!(fs[2].muted.is_none(), "no reason, no mute");
        assert!(fs[3].muted.is_none());
    }
}
