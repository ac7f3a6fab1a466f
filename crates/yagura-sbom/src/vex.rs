//! VEX: statements that a product is or is not affected by a vulnerability,
//! read from OpenVEX or CycloneDX VEX documents and applied to matches.

use crate::purl::{purl, Purl};
use crate::Error;
use serde_json::Value;
use std::collections::HashMap;
use yagura_model::package::{Distro, VulnMatch, VulnState};

/// The status a VEX statement gives, in OpenVEX terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

/// One statement: `vulnerability` (or any alias) has `status` in `products`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexStatement {
    pub vulnerability: String,
    pub aliases: Vec<String>,
    /// Package URLs (or, when a CycloneDX ref could not be resolved, the ref
    /// as written, which then matches nothing).
    pub products: Vec<String>,
    pub status: VexStatus,
    pub justification: Option<String>,
    pub statement: Option<String>,
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads OpenVEX (any 0.x version) or CycloneDX VEX JSON.
pub fn read_vex(bytes: &[u8], label: &str) -> Result<Vec<VexStatement>, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::document(label, format!("not valid JSON: {e}")))?;
    if !doc.is_object() {
        return Err(Error::document(label, "the document is not a JSON object"));
    }
    if let Some(statements) = doc.get("statements") {
        let list = statements
            .as_array()
            .ok_or_else(|| Error::document(label, "OpenVEX statements is not an array"))?;
        return list
            .iter()
            .enumerate()
            .map(|(i, s)| openvex_statement(s, i, label))
            .collect();
    }
    if doc.get("bomFormat").is_some() || doc.get("vulnerabilities").is_some() {
        return cyclonedx_vex(&doc, label);
    }
    Err(Error::document(
        label,
        "neither OpenVEX (no statements) nor CycloneDX VEX (no vulnerabilities)",
    ))
}

/// An OpenVEX product or subcomponent: a string, or an object with `@id`
/// and optionally `identifiers.purl` (preferred, being a package URL).
fn openvex_component_id(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.trim().to_string());
    }
    v.get("identifiers")
        .and_then(|i| str_of(i, "purl"))
        .or_else(|| str_of(v, "@id"))
        .map(str::to_string)
}

fn openvex_statement(s: &Value, i: usize, label: &str) -> Result<VexStatement, Error> {
    let err = |m: String| Error::document(label, format!("statement {}: {m}", i + 1));
    let vuln = s
        .get("vulnerability")
        .ok_or_else(|| err("no vulnerability".into()))?;
    let (vulnerability, mut aliases) = match vuln {
        Value::String(id) => (id.trim().to_string(), Vec::new()),
        Value::Object(_) => {
            let name = str_of(vuln, "name")
                .or_else(|| str_of(vuln, "@id"))
                .ok_or_else(|| err("vulnerability has no name".into()))?;
            let mut aliases: Vec<String> = vuln
                .get("aliases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(|s| s.trim().to_string()))
                .collect();
            if let Some(id) = str_of(vuln, "@id") {
                if id != name {
                    aliases.push(id.to_string());
                }
            }
            (name.to_string(), aliases)
        }
        _ => return Err(err("vulnerability is neither a string nor an object".into())),
    };
    aliases.retain(|a| !a.is_empty());
    let statement_subs: Vec<String> = s
        .get("subcomponents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(openvex_component_id)
        .collect();
    let mut products = Vec::new();
    for p in s
        .get("products")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        // A statement about subcomponents of a product (packages in an image)
        // is about those packages, not the product itself.
        let subs: Vec<String> = p
            .get("subcomponents")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(openvex_component_id)
            .collect();
        if !subs.is_empty() {
            products.extend(subs);
        } else if statement_subs.is_empty() {
            if let Some(id) = openvex_component_id(p) {
                products.push(id);
            }
        }
    }
    products.extend(statement_subs);
    let status = match str_of(s, "status") {
        Some("not_affected") => VexStatus::NotAffected,
        Some("affected") => VexStatus::Affected,
        Some("fixed") => VexStatus::Fixed,
        Some("under_investigation") => VexStatus::UnderInvestigation,
        Some(other) => return Err(err(format!("unknown status `{other}`"))),
        None => return Err(err("no status".into())),
    };
    let statement = str_of(s, "impact_statement")
        .or_else(|| str_of(s, "status_notes"))
        .or_else(|| str_of(s, "action_statement"))
        .map(str::to_string);
    Ok(VexStatement {
        vulnerability,
        aliases,
        products,
        status,
        justification: str_of(s, "justification").map(str::to_string),
        statement,
    })
}

fn collect_bom_refs(list: Option<&Value>, map: &mut HashMap<String, String>, depth: usize) {
    if depth > 64 {
        return;
    }
    for c in list.and_then(Value::as_array).into_iter().flatten() {
        if let (Some(r), Some(p)) = (str_of(c, "bom-ref"), str_of(c, "purl")) {
            map.insert(r.to_string(), p.to_string());
        }
        collect_bom_refs(c.get("components"), map, depth + 1);
    }
}

fn cyclonedx_vex(doc: &Value, label: &str) -> Result<Vec<VexStatement>, Error> {
    let vulns = doc
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::document(label, "CycloneDX VEX without a vulnerabilities array"))?;
    let mut refs = HashMap::new();
    collect_bom_refs(doc.get("components"), &mut refs, 0);
    if let Some(mc) = doc.get("metadata").and_then(|m| m.get("component")) {
        if let (Some(r), Some(p)) = (str_of(mc, "bom-ref"), str_of(mc, "purl")) {
            refs.insert(r.to_string(), p.to_string());
        }
    }
    let mut out = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let id = str_of(v, "id")
            .ok_or_else(|| Error::document(label, format!("vulnerabilities[{i}] has no id")))?
            .to_string();
        let aliases: Vec<String> = v
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| str_of(r, "id").map(str::to_string))
            .collect();
        let analysis = v.get("analysis");
        let state = analysis.and_then(|a| str_of(a, "state"));
        let detail = analysis
            .and_then(|a| str_of(a, "detail"))
            .map(str::to_string);
        let (status, statement) = match state {
            None | Some("exploitable") => (VexStatus::Affected, detail),
            Some("not_affected") => (VexStatus::NotAffected, detail),
            Some("false_positive") => (
                VexStatus::NotAffected,
                Some(detail.map_or("false positive".to_string(), |d| {
                    format!("false positive: {d}")
                })),
            ),
            Some("resolved") | Some("resolved_with_pedigree") => (VexStatus::Fixed, detail),
            Some("in_triage") => (VexStatus::UnderInvestigation, detail),
            Some(other) => {
                return Err(Error::document(
                    label,
                    format!("vulnerabilities[{i}] ({id}): unknown analysis state `{other}`"),
                ))
            }
        };
        let products: Vec<String> = v
            .get("affects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| str_of(a, "ref"))
            .map(|r| {
                if r.starts_with("pkg:") {
                    return r.to_string();
                }
                // A BOM-Link (`urn:cdx:serial/version#bom-ref`) names a ref in
                // this or another BOM; the fragment is the ref.
                let key = if r.starts_with("urn:cdx:") {
                    r.rsplit_once('#').map_or(r, |(_, f)| f)
                } else {
                    r
                };
                refs.get(key).cloned().unwrap_or_else(|| r.to_string())
            })
            .collect();
        out.push(VexStatement {
            vulnerability: id,
            aliases,
            products,
            status,
            justification: analysis
                .and_then(|a| str_of(a, "justification"))
                .map(str::to_string),
            statement,
        });
    }
    Ok(out)
}

fn names_vuln(s: &VexStatement, m: &VulnMatch) -> bool {
    let ours = std::iter::once(&m.id).chain(&m.aliases);
    let theirs: Vec<&String> = std::iter::once(&s.vulnerability)
        .chain(&s.aliases)
        .collect();
    ours.into_iter()
        .any(|a| theirs.iter().any(|b| a.eq_ignore_ascii_case(b)))
}

/// Sets matches' state from the statements that name their vulnerability (by
/// ID or any alias) and whose product is the matched package (package URLs
/// compared without qualifiers; a product without version means every
/// version). Statements apply in document order, so a later one wins.
pub fn apply_vex(statements: &[VexStatement], matches: &mut [VulnMatch], distro: Option<&Distro>) {
    let parsed: Vec<Vec<Purl>> = statements
        .iter()
        .map(|s| {
            s.products
                .iter()
                .filter_map(|p| Purl::parse(p).ok())
                .collect()
        })
        .collect();
    for m in matches.iter_mut() {
        let Some(pkg_purl) = purl(&m.package, distro).and_then(|u| Purl::parse(&u).ok()) else {
            continue;
        };
        for (s, products) in statements.iter().zip(&parsed) {
            if !names_vuln(s, m)
                || !products
                    .iter()
                    .any(|p| p.matches_ignoring_qualifiers(&pkg_purl))
            {
                continue;
            }
            match s.status {
                VexStatus::NotAffected => {
                    m.state = VulnState::NotAffected {
                        justification: s.justification.clone(),
                        statement: s.statement.clone(),
                    }
                }
                VexStatus::Fixed => {
                    m.state = VulnState::Fixed {
                        statement: s.statement.clone(),
                    }
                }
                // Only undo what an earlier statement did; a version that
                // could not be compared stays not assessed.
                VexStatus::Affected => {
                    if matches!(
                        m.state,
                        VulnState::NotAffected { .. } | VulnState::Fixed { .. }
                    ) {
                        m.state = VulnState::Affected;
                    }
                }
                VexStatus::UnderInvestigation => {}
            }
        }
    }
}
