//! CycloneDX 1.6 JSON output.

use crate::license::{is_single_listed_id, normalize_license};
use crate::purl::purl;
use crate::{content_digest, uuid_from_digest, SbomInput};
use serde_json::{json, Map, Value};
use yagura_model::package::{CvssScore, Package, VulnMatch, VulnState};
use yagura_model::Severity;

const TARGET_REF: &str = "yagura:target";

/// Unique `bom-ref`s, one per package in input order: the package URL, or
/// `ecosystem:name@version` without one; a repeated package (the same library
/// in two places) gets a `package-index` qualifier so refs stay unique while
/// still reading as the package's URL.
pub(crate) fn bom_refs(input: &SbomInput) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    input
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let base = purl(p, input.distro)
                .unwrap_or_else(|| format!("{}:{}@{}", p.ecosystem, p.name, p.version));
            let r = if seen.contains(&base) {
                format!(
                    "{base}{}package-index={i}",
                    if base.contains('?') { '&' } else { '?' }
                )
            } else {
                base
            };
            seen.insert(r.clone());
            r
        })
        .collect()
}

fn os_ref(input: &SbomInput) -> Option<String> {
    input
        .distro
        .map(|d| format!("yagura:os:{}@{}", d.id, d.version_id))
}

/// CycloneDX `licenses`: ids from the SPDX list as `license.id`, other
/// `LicenseRef-`s as `license.name`, and anything compound as one
/// `expression` (the schema allows only a single expression entry).
pub(crate) fn licenses(p: &Package) -> Option<Value> {
    let mut exprs: Vec<String> = Vec::new();
    for l in &p.licenses {
        let e = normalize_license(l);
        if !e.is_empty() && !exprs.contains(&e) {
            exprs.push(e);
        }
    }
    if exprs.is_empty() {
        return None;
    }
    let simple = exprs
        .iter()
        .all(|e| is_single_listed_id(e) || (e.starts_with("LicenseRef-") && !e.contains(' ')));
    if simple {
        let items: Vec<Value> = exprs
            .iter()
            .map(|e| {
                if is_single_listed_id(e) {
                    json!({ "license": { "id": e } })
                } else {
                    json!({ "license": { "name": e } })
                }
            })
            .collect();
        return Some(Value::Array(items));
    }
    let expr = crate::license::conjunction(&exprs)?;
    Some(json!([{ "expression": expr }]))
}

fn property(name: &str, value: impl Into<String>) -> Value {
    json!({ "name": name, "value": value.into() })
}

fn component(p: &Package, bom_ref: &str, input: &SbomInput) -> Value {
    let mut c = Map::new();
    c.insert("type".into(), json!("library"));
    c.insert("bom-ref".into(), json!(bom_ref));
    match (p.ecosystem_base(), p.name.split_once(':')) {
        ("Maven", Some((group, artifact))) => {
            c.insert("group".into(), json!(group));
            c.insert("name".into(), json!(artifact));
        }
        _ => {
            c.insert("name".into(), json!(p.name));
        }
    }
    if !p.version.is_empty() {
        c.insert("version".into(), json!(p.version));
    }
    if let Some(l) = licenses(p) {
        c.insert("licenses".into(), l);
    }
    if let Some(u) = purl(p, input.distro) {
        c.insert("purl".into(), json!(u));
    }
    if p.dev {
        c.insert("scope".into(), json!("optional"));
    }
    let mut props = vec![
        property("yagura:package:ecosystem", p.ecosystem.clone()),
        property("yagura:package:found_by", p.found_by.as_str()),
        property("yagura:package:path", p.path.clone()),
    ];
    if let Some(line) = p.line {
        props.push(property("yagura:package:line", line.to_string()));
    }
    if let Some(src) = &p.source_package {
        props.push(property("yagura:package:source_name", src.name.clone()));
        props.push(property(
            "yagura:package:source_version",
            src.version.clone(),
        ));
    }
    if let Some(layer) = &p.layer {
        props.push(property("yagura:layer:index", layer.index.to_string()));
        props.push(property("yagura:layer:digest", layer.digest.clone()));
    }
    if p.dev {
        props.push(property("yagura:package:dev", "true"));
    }
    c.insert("properties".into(), Value::Array(props));
    Value::Object(c)
}

/// Severity by the CVSS qualitative scale (the same for v2, v3 and v4).
pub(crate) fn cvss_severity(score: f64) -> &'static str {
    if score >= 9.0 {
        "critical"
    } else if score >= 7.0 {
        "high"
    } else if score >= 4.0 {
        "medium"
    } else if score > 0.0 {
        "low"
    } else {
        "none"
    }
}

fn cvss_method(c: &CvssScore) -> &'static str {
    match c.version.as_str() {
        "2.0" | "2" => "CVSSv2",
        "3.0" | "3" => "CVSSv3",
        "3.1" => "CVSSv31",
        "4.0" | "4" => "CVSSv4",
        _ => "other",
    }
}

/// The database an advisory ID belongs to, with its page.
pub(crate) fn advisory_source(id: &str) -> (&'static str, String) {
    if id.starts_with("CVE-") {
        ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}"))
    } else if id.starts_with("GHSA-") {
        ("GitHub", format!("https://github.com/advisories/{id}"))
    } else {
        ("OSV", format!("https://osv.dev/vulnerability/{id}"))
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

/// OpenVEX justifications in CycloneDX terms; CycloneDX ones pass through.
pub(crate) fn cdx_justification(j: &str) -> Option<&'static str> {
    Some(match j {
        "component_not_present" | "vulnerable_code_not_present" | "code_not_present" => {
            "code_not_present"
        }
        "vulnerable_code_not_in_execute_path" | "code_not_reachable" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" | "requires_environment" => {
            "requires_environment"
        }
        "inline_mitigations_already_exist" | "protected_by_mitigating_control" => {
            "protected_by_mitigating_control"
        }
        "requires_configuration" => "requires_configuration",
        "requires_dependency" => "requires_dependency",
        "protected_by_compiler" => "protected_by_compiler",
        "protected_at_runtime" => "protected_at_runtime",
        "protected_at_perimeter" => "protected_at_perimeter",
        _ => return None,
    })
}

fn analysis(state: &VulnState) -> Option<Value> {
    match state {
        VulnState::Affected => None,
        VulnState::NotAssessed { reason } => {
            Some(json!({ "state": "in_triage", "detail": reason }))
        }
        VulnState::NotAffected {
            justification,
            statement,
        } => {
            let mut a = Map::new();
            a.insert("state".into(), json!("not_affected"));
            let mapped = justification.as_deref().and_then(cdx_justification);
            if let Some(j) = mapped {
                a.insert("justification".into(), json!(j));
            }
            // An unmapped justification is kept in the detail rather than lost.
            let detail = match (justification.as_deref(), mapped, statement) {
                (Some(j), None, Some(s)) => Some(format!("{j}: {s}")),
                (Some(j), None, None) => Some(j.to_string()),
                (_, _, s) => s.clone(),
            };
            if let Some(d) = detail {
                a.insert("detail".into(), json!(d));
            }
            Some(Value::Object(a))
        }
        VulnState::Fixed { statement } => {
            let mut a = Map::new();
            a.insert("state".into(), json!("resolved"));
            if let Some(s) = statement {
                a.insert("detail".into(), json!(s));
            }
            Some(Value::Object(a))
        }
    }
}

fn vulnerability(v: &VulnMatch, affects_ref: &str) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(v.id));
    let (name, url) = advisory_source(&v.id);
    o.insert("source".into(), json!({ "name": name, "url": url }));
    if !v.aliases.is_empty() {
        let refs: Vec<Value> = v
            .aliases
            .iter()
            .map(|a| {
                let (name, url) = advisory_source(a);
                json!({ "id": a, "source": { "name": name, "url": url } })
            })
            .collect();
        o.insert("references".into(), Value::Array(refs));
    }
    let mut ratings: Vec<Value> = v
        .cvss
        .iter()
        .map(|c| {
            json!({
                "score": c.base_score,
                "severity": cvss_severity(c.base_score),
                "method": cvss_method(c),
                "vector": c.vector,
            })
        })
        .collect();
    if ratings.is_empty() {
        ratings.push(json!({
            "severity": severity_word(v.severity),
            "method": "other",
            "justification": v.severity_source,
        }));
    }
    o.insert("ratings".into(), Value::Array(ratings));
    if let Some(s) = &v.summary {
        o.insert("description".into(), json!(s));
    }
    if !v.fixed_versions.is_empty() {
        o.insert(
            "recommendation".into(),
            json!(format!(
                "Upgrade {} to a fixed version: {}",
                v.package.name,
                v.fixed_versions.join(", ")
            )),
        );
    }
    if !v.references.is_empty() {
        let adv: Vec<Value> = v.references.iter().map(|r| json!({ "url": r })).collect();
        o.insert("advisories".into(), Value::Array(adv));
    }
    if let Some(p) = &v.published {
        o.insert("published".into(), json!(p));
    }
    if let Some(m) = &v.modified {
        o.insert("updated".into(), json!(m));
    }
    if let Some(a) = analysis(&v.state) {
        o.insert("analysis".into(), a);
    }
    let status = match v.state {
        VulnState::Affected => "affected",
        VulnState::NotAssessed { .. } => "unknown",
        VulnState::NotAffected { .. } | VulnState::Fixed { .. } => "unaffected",
    };
    let mut affected = Map::new();
    affected.insert("ref".into(), json!(affects_ref));
    if !v.package.version.is_empty() {
        affected.insert(
            "versions".into(),
            json!([{ "version": v.package.version, "status": status }]),
        );
    }
    o.insert("affects".into(), json!([Value::Object(affected)]));
    Value::Object(o)
}

/// The CycloneDX 1.6 JSON document for a scanned target.
pub fn cyclonedx_json(input: &SbomInput) -> Value {
    let refs = bom_refs(input);
    let serial = format!("urn:uuid:{}", uuid_from_digest(&content_digest(input)));
    let mut components = Vec::new();
    let os = os_ref(input);
    if let (Some(d), Some(r)) = (input.distro, &os) {
        let mut c = Map::new();
        c.insert("type".into(), json!("operating-system"));
        c.insert("bom-ref".into(), json!(r));
        c.insert("name".into(), json!(d.id));
        if !d.version_id.is_empty() {
            c.insert("version".into(), json!(d.version_id));
        }
        if let Some(pn) = &d.pretty_name {
            c.insert("description".into(), json!(pn));
        }
        components.push(Value::Object(c));
    }
    let mut os_children = Vec::new();
    let mut top_children: Vec<String> = os.iter().cloned().collect();
    for (p, r) in input.packages.iter().zip(&refs) {
        components.push(component(p, r, input));
        if p.found_by.is_os() && os.is_some() {
            os_children.push(r.clone());
        } else {
            top_children.push(r.clone());
        }
    }
    let mut dependencies = vec![json!({ "ref": TARGET_REF, "dependsOn": top_children })];
    if let Some(r) = &os {
        dependencies.push(json!({ "ref": r, "dependsOn": os_children }));
    }
    let mut doc = Map::new();
    doc.insert(
        "$schema".into(),
        json!("http://cyclonedx.org/schema/bom-1.6.schema.json"),
    );
    doc.insert("bomFormat".into(), json!("CycloneDX"));
    doc.insert("specVersion".into(), json!("1.6"));
    doc.insert("serialNumber".into(), json!(serial));
    doc.insert("version".into(), json!(1));
    doc.insert(
        "metadata".into(),
        json!({
            "timestamp": input.timestamp,
            "tools": { "components": [{
                "type": "application",
                "group": "yagura-sec",
                "name": "yagura",
                "version": input.tool_version,
            }]},
            "component": { "type": "application", "bom-ref": TARGET_REF, "name": input.name },
        }),
    );
    doc.insert("components".into(), Value::Array(components));
    doc.insert("dependencies".into(), Value::Array(dependencies));
    if !input.vulnerabilities.is_empty() {
        let vulns: Vec<Value> = input
            .vulnerabilities
            .iter()
            .map(|v| {
                let r = input
                    .packages
                    .iter()
                    .position(|p| *p == v.package)
                    .and_then(|i| refs.get(i).cloned())
                    .or_else(|| purl(&v.package, input.distro))
                    .unwrap_or_else(|| {
                        format!(
                            "{}:{}@{}",
                            v.package.ecosystem, v.package.name, v.package.version
                        )
                    });
                vulnerability(v, &r)
            })
            .collect();
        doc.insert("vulnerabilities".into(), Value::Array(vulns));
    }
    Value::Object(doc)
}
