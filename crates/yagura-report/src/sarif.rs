//! SARIF 2.1.0, for code-scanning dashboards: one run, a rule per check that has
//! a result, a result per failing finding (muted ones carry a suppression).

use crate::text::{is_muted, rfc3339, standards_of};
use crate::ReportError;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use yagura_model::{Finding, ScanReport, Severity, Status};

pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/yagura-sec/yagura";

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning ranks alerts by this 0–10 score.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// Percent-encodes what may not appear raw in a URI reference, keeping `/` so
/// relative paths stay paths. Windows separators become `/`.
pub fn file_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether a finding becomes a SARIF result: failures, suppressed or not.
fn reported(f: &Finding) -> bool {
    f.status == Status::Fail
}

fn rule(f: &Finding) -> Value {
    let check = yagura_checks::find(&f.check);
    let title = check.map(|c| c.title).unwrap_or(f.title.as_str());
    let rationale = check
        .map(|c| c.rationale)
        .filter(|r| !r.is_empty())
        .unwrap_or(title);
    let remediation = check
        .map(|c| c.remediation)
        .filter(|r| !r.is_empty())
        .unwrap_or(f.remediation.as_str());
    let severity = check.map(|c| c.severity).unwrap_or(f.severity);
    let frameworks: Vec<&str> = match check {
        Some(c) => c.frameworks.to_vec(),
        None => f.frameworks.iter().map(String::as_str).collect(),
    };
    let mut tags = vec!["security".to_string()];
    tags.extend(standards_of(f));
    let mut r = json!({
        "id": f.check,
        "name": f.check,
        "shortDescription": { "text": title },
        "fullDescription": { "text": rationale },
        "defaultConfiguration": { "level": level(severity) },
        "properties": {
            "severity": severity.as_str(),
            "security-severity": security_severity(severity),
            "frameworks": frameworks,
            "tags": tags,
        },
    });
    if !remediation.is_empty() {
        r["help"] = json!({ "text": remediation });
    }
    r
}

fn location(f: &Finding) -> Value {
    if let Some(loc) = f.resource.location.as_ref().filter(|l| !l.file.is_empty()) {
        let mut physical = Map::new();
        physical.insert(
            "artifactLocation".into(),
            json!({ "uri": file_uri(&loc.file) }),
        );
        if let Some(start) = loc.start_line.filter(|l| *l >= 1) {
            let mut region = Map::new();
            region.insert("startLine".into(), json!(start));
            if let Some(end) = loc.end_line.filter(|e| *e >= start) {
                region.insert("endLine".into(), json!(end));
            }
            // Columns let code-scanning UIs underline the exact span (secrets).
            if let Some(col) = loc.start_column.filter(|c| *c >= 1) {
                region.insert("startColumn".into(), json!(col));
                if let Some(end_col) = loc
                    .end_column
                    .filter(|e| *e > col || loc.end_line > Some(start))
                {
                    region.insert("endColumn".into(), json!(end_col));
                }
            }
            physical.insert("region".into(), Value::Object(region));
        }
        json!({
            "physicalLocation": Value::Object(physical),
            "logicalLocations": [logical(f)],
        })
    } else {
        json!({ "logicalLocations": [logical(f)] })
    }
}

fn logical(f: &Finding) -> Value {
    json!({
        "name": crate::text::resource_label(f),
        "fullyQualifiedName": f.resource.id,
        "kind": "resource",
    })
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let mut props = Map::new();
    props.insert("severity".into(), json!(f.severity.as_str()));
    props.insert("resourceKind".into(), json!(f.resource.kind));
    if let Some(a) = &f.resource.account {
        props.insert("account".into(), json!(a));
    }
    if let Some(r) = &f.resource.region {
        props.insert("region".into(), json!(r));
    }
    let text = if f.message.trim().is_empty() {
        &f.title
    } else {
        &f.message
    };
    let mut r = json!({
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [location(f)],
        "partialFingerprints": { "yaguraFindingId": f.id },
        "properties": Value::Object(props),
    });
    if let Some(m) = f.muted.as_ref().filter(|_| is_muted(f)) {
        let mut justification = m.reason.clone();
        if let Some(exp) = m.expires {
            justification.push_str(&format!(" (until {exp})"));
        }
        r["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": justification,
            "properties": { "rule": m.rule },
        }]);
    }
    r
}

pub fn document(report: &ScanReport) -> Value {
    let mut failing: Vec<&Finding> = report.findings.iter().filter(|f| reported(f)).collect();
    failing.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.resource.id.cmp(&b.resource.id))
    });

    // Rules in code order; each result points at its rule by index.
    let mut first_by_check: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in &failing {
        first_by_check.entry(f.check.as_str()).or_insert(f);
    }
    let index: BTreeMap<&str, usize> = first_by_check
        .keys()
        .enumerate()
        .map(|(i, k)| (*k, i))
        .collect();
    let rules: Vec<Value> = first_by_check.values().map(|f| rule(f)).collect();
    let results: Vec<Value> = failing
        .iter()
        .map(|f| result(f, index.get(f.check.as_str()).copied().unwrap_or(0)))
        .collect();

    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({ "level": "error", "message": { "text": e } }))
        .chain(
            report
                .notices
                .iter()
                .map(|n| json!({ "level": "note", "message": { "text": n } })),
        )
        .chain(report.not_assessed.iter().map(|t| {
            json!({
                "level": "warning",
                "message": { "text": format!("not assessed: {}: {}", t.target, t.reason) },
            })
        }))
        .collect();
    let mut invocation = json!({
        "executionSuccessful": true,
        "startTimeUtc": rfc3339(report.started),
        "endTimeUtc": rfc3339(report.finished),
    });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notifications);
    }

    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "yagura",
                    "version": report.tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "automationDetails": { "id": format!("yagura/{}/{}", report.kind, report.id) },
            "invocations": [invocation],
            "results": results,
            "properties": {
                "scanId": report.id,
                "scope": report.scope,
                "resourceCount": report.resource_count,
            },
        }],
    })
}

pub fn render(report: &ScanReport, out: &mut dyn Write) -> Result<(), ReportError> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(file_uri("infra/main.tf"), "infra/main.tf");
        assert_eq!(file_uri("my dir\\a#b.tf"), "my%20dir/a%23b.tf");
        assert_eq!(file_uri("é.tf"), "%C3%A9.tf");
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Info), "note");
    }
}
