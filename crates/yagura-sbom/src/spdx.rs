//! SPDX 2.3 JSON output.

use crate::cyclonedx::bom_refs;
use crate::license::{conjunction, license_refs, LICENSE_LIST_VERSION};
use crate::purl::purl;
use crate::{content_digest, uuid_from_digest, SbomInput};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashSet};

/// An `SPDXRef-` id from free text: SPDX allows letters, digits, `.` and `-`.
fn spdx_id(prefix: &str, text: &str, used: &mut HashSet<String>) -> String {
    let mut body = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            body.push(c);
        } else if !body.ends_with('-') {
            body.push('-');
        }
    }
    let body = body.trim_matches('-');
    let base = format!("SPDXRef-{prefix}-{body}");
    let mut id = base.clone();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// The SPDX 2.3 JSON document for a scanned target.
pub fn spdx_json(input: &SbomInput) -> Value {
    let uuid = uuid_from_digest(&content_digest(input));
    let mut used = HashSet::new();
    let target_id = spdx_id("Target", input.name, &mut used);
    let mut packages = vec![json!({
        "name": input.name,
        "SPDXID": target_id,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "supplier": "NOASSERTION",
    })];
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": target_id,
    })];
    if let Some(d) = input.distro {
        let id = spdx_id(
            "OperatingSystem",
            &format!("{}-{}", d.id, d.version_id),
            &mut used,
        );
        let mut p = Map::new();
        p.insert("name".into(), json!(d.id));
        p.insert("SPDXID".into(), json!(id));
        if !d.version_id.is_empty() {
            p.insert("versionInfo".into(), json!(d.version_id));
        }
        p.insert("supplier".into(), json!("NOASSERTION"));
        p.insert("downloadLocation".into(), json!("NOASSERTION"));
        p.insert("filesAnalyzed".into(), json!(false));
        p.insert("licenseConcluded".into(), json!("NOASSERTION"));
        p.insert("licenseDeclared".into(), json!("NOASSERTION"));
        p.insert("copyrightText".into(), json!("NOASSERTION"));
        p.insert("primaryPackagePurpose".into(), json!("OPERATING-SYSTEM"));
        packages.push(Value::Object(p));
        relationships.push(json!({
            "spdxElementId": target_id,
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": id,
        }));
    }
    let mut extracted: BTreeSet<String> = BTreeSet::new();
    let refs = bom_refs(input);
    for (pkg, bom_ref) in input.packages.iter().zip(&refs) {
        // Qualifiers only lengthen the id; uniqueness comes from the suffix.
        let basis = bom_ref.trim_start_matches("pkg:");
        let id = spdx_id(
            "Package",
            basis.split('?').next().unwrap_or(basis),
            &mut used,
        );
        let mut p = Map::new();
        p.insert("name".into(), json!(pkg.name));
        p.insert("SPDXID".into(), json!(id));
        if !pkg.version.is_empty() {
            p.insert("versionInfo".into(), json!(pkg.version));
        }
        p.insert("supplier".into(), json!("NOASSERTION"));
        p.insert("downloadLocation".into(), json!("NOASSERTION"));
        p.insert("filesAnalyzed".into(), json!(false));
        p.insert("licenseConcluded".into(), json!("NOASSERTION"));
        let declared = conjunction(&pkg.licenses);
        if let Some(d) = &declared {
            extracted.extend(license_refs(d));
        }
        p.insert(
            "licenseDeclared".into(),
            json!(declared.unwrap_or_else(|| "NOASSERTION".into())),
        );
        p.insert("copyrightText".into(), json!("NOASSERTION"));
        p.insert(
            "sourceInfo".into(),
            json!(format!(
                "found by yagura ({}) in {}",
                pkg.found_by.as_str(),
                pkg.path
            )),
        );
        if let Some(u) = purl(pkg, input.distro) {
            p.insert(
                "externalRefs".into(),
                json!([{
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": u,
                }]),
            );
        }
        p.insert("primaryPackagePurpose".into(), json!("LIBRARY"));
        packages.push(Value::Object(p));
        relationships.push(json!({
            "spdxElementId": target_id,
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": id,
        }));
    }
    let namespace_name: String = input
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut doc = Map::new();
    doc.insert("spdxVersion".into(), json!("SPDX-2.3"));
    doc.insert("dataLicense".into(), json!("CC0-1.0"));
    doc.insert("SPDXID".into(), json!("SPDXRef-DOCUMENT"));
    doc.insert("name".into(), json!(input.name));
    doc.insert(
        "documentNamespace".into(),
        json!(format!(
            "https://github.com/yagura-sec/yagura/spdx/{namespace_name}-{uuid}"
        )),
    );
    doc.insert(
        "creationInfo".into(),
        json!({
            "created": input.timestamp,
            "creators": [format!("Tool: yagura-{}", input.tool_version)],
            "licenseListVersion": LICENSE_LIST_VERSION.rsplit_once('.').map(|(mm, _)| mm).unwrap_or(LICENSE_LIST_VERSION),
        }),
    );
    doc.insert("packages".into(), Value::Array(packages));
    doc.insert("relationships".into(), Value::Array(relationships));
    if !extracted.is_empty() {
        let infos: Vec<Value> = extracted
            .iter()
            .map(|r| {
                let text = r.trim_start_matches("LicenseRef-").replace('-', " ");
                json!({
                    "licenseId": r,
                    "name": text,
                    "extractedText": format!("The license was declared as \"{text}\", which is not an SPDX license identifier."),
                })
            })
            .collect();
        doc.insert("hasExtractedLicensingInfos".into(), Value::Array(infos));
    }
    Value::Object(doc)
}
