//! OCSF 1.1.0 events, one JSON object per line: Compliance Finding (class
//! 2003) for checks, Vulnerability Finding (class 2002) for package
//! vulnerabilities.

use crate::text::{is_muted, severity_caption, split_requirement, standards_of};
use crate::ReportError;
use serde_json::{json, Map, Value};
use std::io::Write;
use yagura_model::malware::MalwareMatch;
use yagura_model::package::VulnMatch;
use yagura_model::{Finding, ScanReport, Status};

pub const OCSF_VERSION: &str = "1.1.0";
const CATEGORY_UID: u32 = 2; // Findings
const CLASS_UID: u32 = 2003; // Compliance Finding
const ACTIVITY_CREATE: u32 = 1;

/// The OCSF `compliance.status_id` and its caption. "Warning" is the schema's
/// value for a check that "did not yield a result due to missing information",
/// which is exactly yagura's NOT_ASSESSED.
pub fn compliance_status(status: Status) -> (u8, &'static str) {
    match status {
        Status::Pass => (1, "Pass"),
        Status::NotAssessed => (2, "Warning"),
        Status::Fail => (3, "Fail"),
    }
}

/// The finding lifecycle `status_id`: suppressed findings are "Suppressed", all
/// others "New" (yagura does not track triage).
fn finding_status(f: &Finding) -> (u8, &'static str) {
    if is_muted(f) {
        (3, "Suppressed")
    } else {
        (1, "New")
    }
}

fn cloud_provider(f: &Finding) -> String {
    match f.resource.provider() {
        "aws" | "" => "AWS".to_string(),
        other => other.to_ascii_uppercase(),
    }
}

pub fn event(report: &ScanReport, f: &Finding) -> Value {
    let (severity_id, severity) = (f.severity.ocsf_id(), severity_caption(f.severity));
    let (status_id, status) = finding_status(f);
    let (compliance_id, compliance_caption) = compliance_status(f.status);
    let time = f.last_seen.unwrap_or(report.finished).timestamp_millis();
    let first_seen = f.first_seen.unwrap_or(report.started).timestamp_millis();
    let check = yagura_checks::find(&f.check);
    let desc = check
        .map(|c| c.rationale.to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| f.message.clone());

    let mut requirements: Vec<&str> = Vec::new();
    for r in &f.frameworks {
        if split_requirement(r).is_some() && !requirements.contains(&r.as_str()) {
            requirements.push(r);
        }
    }

    let mut resource = Map::new();
    resource.insert("uid".into(), json!(f.resource.id));
    resource.insert("name".into(), json!(f.resource.name));
    resource.insert("type".into(), json!(f.resource.kind));
    if let Some(region) = &f.resource.region {
        resource.insert("region".into(), json!(region));
    }
    if f.resource.provider() == "aws" || f.resource.provider().is_empty() {
        resource.insert(
            "cloud_partition".into(),
            json!(crate::text::partition(&f.resource.id)),
        );
    }
    if !f.resource.tags.is_empty() {
        let labels: Vec<String> = f
            .resource
            .tags
            .iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect();
        resource.insert("labels".into(), json!(labels));
    }
    if let Some(loc) = &f.resource.location {
        resource.insert("data".into(), json!({ "location": loc }));
    }

    let mut cloud = Map::new();
    cloud.insert("provider".into(), json!(cloud_provider(f)));
    if let Some(account) = &f.resource.account {
        cloud.insert(
            "account".into(),
            json!({"uid": account, "type": "AWS Account", "type_id": 10}),
        );
    }
    if let Some(region) = &f.resource.region {
        cloud.insert("region".into(), json!(region));
    }

    let mut ev = json!({
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Compliance Finding: Create",
        "time": time,
        "start_time": first_seen,
        "end_time": time,
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "status_code": f.display_status(),
        "message": f.message,
        "metadata": {
            "version": OCSF_VERSION,
            "profiles": ["cloud"],
            "product": {
                "name": "yagura",
                "vendor_name": "yagura",
                "version": report.tool_version,
            },
            "event_code": f.check,
        },
        "finding_info": {
            "uid": f.id,
            "title": f.title,
            "desc": desc,
            "first_seen_time": first_seen,
            "last_seen_time": time,
            "types": ["Software and Configuration Checks"],
        },
        "compliance": {
            "control": f.check,
            "requirements": requirements,
            "standards": standards_of(f),
            "status": compliance_caption,
            "status_id": compliance_id,
            "status_detail": f.message,
        },
        "resources": [Value::Object(resource)],
        "cloud": Value::Object(cloud),
        "unmapped": {
            "yagura": {
                "scan_id": report.id,
                "scope": report.scope,
                "status": f.display_status(),
                "source": f.source,
            }
        },
    });
    if !f.remediation.is_empty() {
        ev["remediation"] = json!({ "desc": f.remediation });
    }
    if let Some(m) = &f.muted {
        ev["unmapped"]["yagura"]["muted"] = json!(m);
    }
    ev
}

/// The fields every OCSF finding class shares (Vulnerability, Detection):
/// class and type, times, severity, status, metadata, `finding_info` and the
/// resource, whose class-specific details go in `resource_data`.
fn finding_envelope(
    report: &ScanReport,
    f: &Finding,
    class_uid: u32,
    class_name: &str,
    finding_type: &str,
    resource_data: Value,
) -> Value {
    let (status_id, status) = finding_status(f);
    let time = f.last_seen.unwrap_or(report.finished).timestamp_millis();
    let first_seen = f.first_seen.unwrap_or(report.started).timestamp_millis();
    let mut ev = json!({
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": class_uid,
        "class_name": class_name,
        "type_uid": class_uid * 100 + ACTIVITY_CREATE,
        "type_name": format!("{class_name}: Create"),
        "time": time,
        "start_time": first_seen,
        "end_time": time,
        "severity_id": f.severity.ocsf_id(),
        "severity": severity_caption(f.severity),
        "status_id": status_id,
        "status": status,
        "status_code": f.display_status(),
        "message": f.message,
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "yagura", "vendor_name": "yagura", "version": report.tool_version},
            "event_code": f.check,
        },
        "finding_info": {
            "uid": f.id,
            "title": f.title,
            "desc": f.message,
            "first_seen_time": first_seen,
            "last_seen_time": time,
            "types": [finding_type],
        },
        "resources": [{
            "uid": f.resource.id,
            "name": f.resource.name,
            "type": f.resource.kind,
            "data": resource_data,
        }],
        "unmapped": {"yagura": {"scan_id": report.id, "scope": report.scope, "status": f.display_status()}},
    });
    if let Some(m) = &f.muted {
        ev["unmapped"]["yagura"]["muted"] = json!(m);
    }
    ev
}

/// OCSF Vulnerability Finding (class 2002) for a package vulnerability.
pub fn vulnerability_event(report: &ScanReport, f: &Finding, v: &VulnMatch) -> Value {
    const VULN_CLASS_UID: u32 = 2002;
    let p = &v.package;
    let cvss: Vec<Value> = v
        .cvss
        .iter()
        .map(|c| json!({"version": c.version, "vector_string": c.vector, "base_score": c.base_score}))
        .collect();
    let mut package = json!({
        "name": p.name,
        "version": p.version,
        "package_manager": p.found_by.as_str(),
        "path": p.path,
    });
    if let Some(purl) = &p.purl {
        package["purl"] = json!(purl);
    }
    if let Some(fixed) = v.fixed_versions.first() {
        package["fixed_in_version"] = json!(fixed);
    }
    let cve = if v.id.starts_with("CVE-") {
        json!({"uid": v.id, "cvss": cvss})
    } else {
        json!({"uid": v.aliases.iter().find(|a| a.starts_with("CVE-")).unwrap_or(&v.id), "cvss": cvss})
    };
    let mut vuln = json!({
        "title": f.title,
        "desc": v.summary.clone().unwrap_or_else(|| f.message.clone()),
        "severity": severity_caption(v.severity),
        "cve": cve,
        "related_vulnerabilities": v.aliases,
        "references": v.references,
        "affected_packages": [package],
        "fix_available": !v.fixed_versions.is_empty(),
        "vendor_name": "OSV",
    });
    if !f.remediation.is_empty() {
        vuln["remediation"] = json!({"desc": f.remediation});
    }
    let mut ev = finding_envelope(
        report,
        f,
        VULN_CLASS_UID,
        "Vulnerability Finding",
        "Vulnerability",
        json!({"path": p.path, "layer": p.layer, "ecosystem": p.ecosystem}),
    );
    ev["vulnerabilities"] = json!([vuln]);
    ev["unmapped"]["yagura"]["severity_source"] = json!(v.severity_source);
    ev
}

/// OCSF malware classification ids (STIX malware types) for yagura's categories.
fn malware_classification(category: &str) -> (u8, &'static str) {
    match category {
        "webshell" => (20, "Webshell"),
        "miner" => (13, "Resource-Exploitation"),
        "reverse-shell" => (2, "Backdoor"),
        "malware" => (0, "Unknown"),
        _ => (99, "Other"),
    }
}

/// OCSF Detection Finding (class 2004) with its malware object, for a
/// signature match on a file.
pub fn detection_event(report: &ScanReport, f: &Finding, m: &MalwareMatch) -> Value {
    const DETECTION_CLASS_UID: u32 = 2004;
    let (class_id, class_name) = malware_classification(&m.category);
    let mut malware = json!({
        "name": m.signature,
        "uid": m.signature,
        "path": m.path,
        "provider": "yagura",
        "classification_ids": [class_id],
        "classifications": [if class_id == 99 { m.category.as_str() } else { class_name }],
    });
    if !m.description.is_empty() {
        malware["desc"] = json!(m.description);
    }
    let file_name = m.path.rsplit(['/', '!']).next().unwrap_or(&m.path);
    let mut file = json!({
        "name": file_name,
        "path": m.path,
        "size": m.size,
        "type_id": 1,
        "type": "Regular File",
    });
    if !m.sha256.is_empty() {
        // OCSF fingerprint algorithm_id 3 = SHA-256.
        file["hashes"] = json!([{"algorithm_id": 3, "algorithm": "SHA-256", "value": m.sha256}]);
    }
    let mut ev = finding_envelope(
        report,
        f,
        DETECTION_CLASS_UID,
        "Detection Finding",
        "Malware",
        json!({"layer": m.layer, "visible_in_image": m.visible_in_image, "engine": m.engine, "patterns": m.patterns}),
    );
    ev["malware"] = json!([malware]);
    ev["evidences"] = json!([{"file": file}]);
    if !f.remediation.is_empty() {
        ev["remediation"] = json!({"desc": f.remediation});
    }
    ev
}

pub fn render(report: &ScanReport, out: &mut dyn Write) -> Result<(), ReportError> {
    for f in &report.findings {
        let ev = match (&f.vulnerability, &f.malware) {
            (Some(v), _) => vulnerability_event(report, f, v),
            (None, Some(m)) => detection_event(report, f, m),
            (None, None) => event(report, f),
        };
        serde_json::to_writer(&mut *out, &ev)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
