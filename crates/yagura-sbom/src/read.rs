//! Reading CycloneDX and SPDX documents made by other tools (Trivy, Syft,
//! cdxgen, cyclonedx-py, GitHub's dependency graph, yagura itself) into
//! packages that the matcher can use.

use crate::license::normalize_license;
use crate::purl::{distro_from_qualifier, osv_distro_ecosystem, parse_purl, Purl};
use crate::Error;
use serde_json::{Map, Value};
use std::collections::HashSet;
use yagura_model::package::{
    Distro, InventoryIssue, LayerRef, Package, PackageSource, SourcePackage,
};

/// Which kind of SBOM a document was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SbomFormat {
    CycloneDx {
        spec_version: String,
    },
    /// `version` without the `SPDX-` prefix: `2.3`.
    Spdx {
        version: String,
    },
}

/// What an SBOM document lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSbom {
    pub format: SbomFormat,
    /// The operating system of the described target, from an
    /// operating-system component or, failing that, a `distro` qualifier.
    pub distro: Option<Distro>,
    pub packages: Vec<Package>,
    /// Components that could not become packages (no package URL, a purl
    /// type without OSV ecosystem), so that nothing is dropped silently.
    pub issues: Vec<InventoryIssue>,
}

/// Reads a CycloneDX JSON (1.2–1.6) or SPDX 2.x (JSON or tag-value) document.
/// `label` names the document in packages' `path`, issues and errors. A
/// package's `path` is `label`, or `label!file` when the document records the
/// file the package came from (Trivy's `aquasecurity:trivy:FilePath`, Syft's
/// `syft:location:0:path`, yagura's `yagura:package:path`).
pub fn read(bytes: &[u8], label: &str) -> Result<ReadSbom, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = bytes.get(start..).unwrap_or_default();
    if head.is_empty() {
        return Err(Error::document(label, "empty document"));
    }
    if head.starts_with(b"<") {
        return Err(Error::document(
            label,
            "XML SBOMs are not supported; use the JSON form of CycloneDX or SPDX",
        ));
    }
    if head.starts_with(b"SPDXVersion:")
        || head.starts_with(b"##")
        || head.starts_with(b"DataLicense:")
    {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| Error::document(label, format!("not UTF-8: {e}")))?;
        let doc = tag_value_to_json(text, label)?;
        return read_spdx(&doc, label);
    }
    let doc: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::document(label, format!("not valid JSON: {e}")))?;
    let obj = doc
        .as_object()
        .ok_or_else(|| Error::document(label, "the document is not a JSON object"))?;
    if let Some(format) = obj.get("bomFormat") {
        return match format.as_str() {
            Some("CycloneDX") => read_cyclonedx(obj, label),
            _ => Err(Error::document(
                label,
                format!("bomFormat is {format}, not \"CycloneDX\""),
            )),
        };
    }
    if obj.contains_key("spdxVersion") {
        return read_spdx(&doc, label);
    }
    Err(Error::document(
        label,
        "neither a CycloneDX document (no bomFormat) nor an SPDX 2 document (no spdxVersion)",
    ))
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Collects packages and issues, and works out the distribution.
struct Collector<'a> {
    label: &'a str,
    distro: Option<Distro>,
    /// A distribution seen only in an OS package's `distro` qualifier.
    qualifier_distro: Option<Distro>,
    packages: Vec<(Package, bool)>,
    issues: Vec<InventoryIssue>,
}

/// Extra facts some producers record in properties.
#[derive(Default)]
struct Extras {
    file: Option<String>,
    source_name: Option<String>,
    source_version: Option<String>,
    layer: Option<LayerRef>,
    line: Option<u32>,
    dev: bool,
}

impl<'a> Collector<'a> {
    fn new(label: &'a str) -> Self {
        Collector {
            label,
            distro: None,
            qualifier_distro: None,
            packages: Vec::new(),
            issues: Vec::new(),
        }
    }

    fn issue(&mut self, entry: &str, message: impl Into<String>) {
        self.issues.push(InventoryIssue {
            path: self.label.to_string(),
            entry: Some(entry.to_string()),
            message: message.into(),
        });
    }

    fn set_distro(&mut self, name: &str, version: &str, pretty: Option<&str>) {
        if self.distro.is_some() {
            return;
        }
        let id = name.trim().to_ascii_lowercase();
        // Producers name the OS `debian`, `Debian GNU/Linux` or `alpine`.
        let id = id.split_whitespace().next().unwrap_or("").to_string();
        self.distro = Some(Distro {
            osv_ecosystem: osv_distro_ecosystem(&id, version),
            id,
            version_id: version.to_string(),
            version_codename: None,
            pretty_name: pretty.map(str::to_string),
            path: self.label.to_string(),
        });
    }

    fn add(
        &mut self,
        entry: &str,
        purl_text: &str,
        fallback_version: Option<&str>,
        licenses: Vec<String>,
        extras: Extras,
    ) {
        let (ecosystem, name, version) = match parse_purl(purl_text) {
            Ok(t) => t,
            Err(e) => {
                self.issue(entry, format!("{e}; not matched against advisories"));
                return;
            }
        };
        let Ok(u) = Purl::parse(purl_text) else {
            return;
        };
        let is_os = matches!(u.ty.as_str(), "deb" | "apk" | "rpm");
        if is_os && self.qualifier_distro.is_none() {
            if let Some((id, v)) = u
                .qualifier("distro")
                .and_then(|q| distro_from_qualifier(u.namespace.as_deref().unwrap_or(""), q))
            {
                self.qualifier_distro = Some(Distro {
                    osv_ecosystem: osv_distro_ecosystem(&id, &v),
                    id,
                    version_id: v,
                    version_codename: None,
                    pretty_name: None,
                    path: self.label.to_string(),
                });
            }
        }
        let version = if version.is_empty() {
            fallback_version.unwrap_or("").to_string()
        } else {
            version
        };
        let path = match &extras.file {
            Some(f) => format!("{}!{}", self.label, f),
            None => self.label.to_string(),
        };
        let mut p = Package::new(ecosystem, name, version, PackageSource::Sbom, path);
        p.licenses = licenses;
        p.arch = u.qualifier("arch").map(str::to_string);
        p.purl = Some(purl_text.trim().to_string());
        p.layer = extras.layer;
        p.line = extras.line;
        p.dev = extras.dev;
        let upstream = u.qualifier("upstream").map(|q| match q.split_once('@') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (q.to_string(), p.version.clone()),
        });
        let source = match (extras.source_name, extras.source_version) {
            (Some(n), v) => Some((n, v.unwrap_or_else(|| p.version.clone()))),
            (None, _) => upstream,
        };
        p.source_package = source.map(|(name, version)| SourcePackage { name, version });
        self.packages.push((p, is_os));
    }

    fn finish(self, format: SbomFormat) -> ReadSbom {
        let distro = self.distro.or(self.qualifier_distro);
        let packages = self
            .packages
            .into_iter()
            .map(|(mut p, is_os)| {
                // `pkg:deb/debian/x` without a distro qualifier gives `Debian`;
                // the release comes from the document's OS component.
                if is_os && !p.ecosystem.contains(':') {
                    if let Some(eco) = distro.as_ref().and_then(|d| d.osv_ecosystem.as_ref()) {
                        if eco.split(':').next() == Some(p.ecosystem.as_str()) {
                            p.ecosystem = eco.clone();
                        }
                    }
                }
                p
            })
            .collect();
        ReadSbom {
            format,
            distro,
            packages,
            issues: self.issues,
        }
    }
}

/// Component types that group packages rather than being one (the image,
/// an application folder, a lockfile); without a version they are skipped.
fn is_grouping_type(t: &str) -> bool {
    matches!(
        t,
        "application" | "container" | "file" | "platform" | "device" | "firmware" | "data"
    )
}

fn cdx_licenses(c: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for l in c
        .get("licenses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = str_of(l, "expression").or_else(|| {
            l.get("license")
                .and_then(|x| str_of(x, "id").or_else(|| str_of(x, "name")))
        });
        if let Some(t) = text {
            let n = normalize_license(t);
            if !n.is_empty() && !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

fn cdx_extras(c: &Value) -> Extras {
    let mut e = Extras::default();
    let mut layer_index = None;
    let mut layer_digest = None;
    for p in c
        .get("properties")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(name), Some(value)) = (str_of(p, "name"), str_of(p, "value")) else {
            continue;
        };
        match name {
            "yagura:package:path"
            | "aquasecurity:trivy:FilePath"
            | "syft:location:0:path"
            | "cdx:npm:package:path" => {
                e.file
                    .get_or_insert_with(|| value.trim_start_matches('/').to_string());
            }
            "yagura:package:source_name" | "aquasecurity:trivy:SrcName" => {
                e.source_name = Some(value.to_string())
            }
            "yagura:package:source_version" | "aquasecurity:trivy:SrcVersion" => {
                e.source_version = Some(value.to_string())
            }
            "yagura:package:line" => e.line = value.parse().ok(),
            "yagura:layer:index" => layer_index = value.parse::<usize>().ok(),
            "yagura:layer:digest" => layer_digest = Some(value.to_string()),
            "yagura:package:dev" | "cdx:npm:package:development" => e.dev = value == "true",
            _ => {}
        }
    }
    if let (Some(index), Some(digest)) = (layer_index, layer_digest) {
        e.layer = Some(LayerRef {
            index,
            digest,
            created_by: None,
        });
    }
    e
}

fn walk_components(list: Option<&Value>, col: &mut Collector, depth: usize) {
    // Nesting deeper than this is not a real SBOM; stop instead of recursing
    // without bound on hostile input.
    if depth > 64 {
        return;
    }
    for (i, c) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if !c.is_object() {
            col.issue(
                &format!("components[{i}]"),
                "a component is not a JSON object",
            );
            continue;
        }
        let ty = str_of(c, "type").unwrap_or("library");
        let name = str_of(c, "name").unwrap_or("");
        let version = str_of(c, "version");
        let group = str_of(c, "group");
        let entry = match (group, version) {
            (Some(g), Some(v)) => format!("{g}/{name}@{v}"),
            (Some(g), None) => format!("{g}/{name}"),
            (None, Some(v)) => format!("{name}@{v}"),
            (None, None) if name.is_empty() => format!("components[{i}]"),
            (None, None) => name.to_string(),
        };
        if ty == "operating-system" {
            col.set_distro(name, version.unwrap_or(""), str_of(c, "description"));
        } else if let Some(u) = str_of(c, "purl") {
            col.add(&entry, u, version, cdx_licenses(c), cdx_extras(c));
        } else if !(is_grouping_type(ty) && version.is_none()) {
            col.issue(
                &entry,
                "component has no package URL (purl); not matched against advisories",
            );
        }
        walk_components(c.get("components"), col, depth + 1);
    }
}

fn read_cyclonedx(obj: &Map<String, Value>, label: &str) -> Result<ReadSbom, Error> {
    let spec_version = obj
        .get("specVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::document(label, "CycloneDX document without specVersion"))?;
    if !spec_version.starts_with("1.") {
        return Err(Error::document(
            label,
            format!("unsupported CycloneDX specVersion {spec_version}"),
        ));
    }
    if let Some(c) = obj.get("components") {
        if !c.is_array() {
            return Err(Error::document(label, "components is not an array"));
        }
    }
    let mut col = Collector::new(label);
    // An OS given as the described target (some tools do so for hosts).
    if let Some(mc) = obj.get("metadata").and_then(|m| m.get("component")) {
        if str_of(mc, "type") == Some("operating-system") {
            col.set_distro(
                str_of(mc, "name").unwrap_or(""),
                str_of(mc, "version").unwrap_or(""),
                None,
            );
        }
    }
    walk_components(obj.get("components"), &mut col, 0);
    Ok(col.finish(SbomFormat::CycloneDx {
        spec_version: spec_version.to_string(),
    }))
}

fn spdx_purl(p: &Value) -> Option<&str> {
    p.get("externalRefs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|r| {
            let cat = str_of(r, "referenceCategory")
                .unwrap_or("")
                .replace('_', "-");
            (cat == "PACKAGE-MANAGER" && str_of(r, "referenceType") == Some("purl"))
                .then(|| str_of(r, "referenceLocator"))
                .flatten()
        })
}

fn spdx_license(p: &Value) -> Vec<String> {
    let usable = |k: &str| str_of(p, k).filter(|v| *v != "NOASSERTION" && *v != "NONE");
    match usable("licenseDeclared").or_else(|| usable("licenseConcluded")) {
        Some(l) => vec![normalize_license(l)],
        None => Vec::new(),
    }
}

fn read_spdx(doc: &Value, label: &str) -> Result<ReadSbom, Error> {
    let version_text = str_of(doc, "spdxVersion").unwrap_or("");
    let version = version_text.strip_prefix("SPDX-").unwrap_or(version_text);
    if !version.starts_with("2.") {
        return Err(Error::document(
            label,
            format!("unsupported SPDX version `{version_text}` (2.x is read)"),
        ));
    }
    let packages = match doc.get("packages") {
        None => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(Error::document(label, "packages is not an array")),
    };
    let mut described: HashSet<&str> = HashSet::new();
    for d in doc
        .get("documentDescribes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(s) = d.as_str() {
            described.insert(s);
        }
    }
    for r in doc
        .get("relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match (
            str_of(r, "spdxElementId"),
            str_of(r, "relationshipType"),
            str_of(r, "relatedSpdxElement"),
        ) {
            (Some("SPDXRef-DOCUMENT"), Some("DESCRIBES"), Some(t)) => {
                described.insert(t);
            }
            (Some(t), Some("DESCRIBED_BY"), Some("SPDXRef-DOCUMENT")) => {
                described.insert(t);
            }
            _ => {}
        }
    }
    let mut col = Collector::new(label);
    for (i, p) in packages.iter().enumerate() {
        if !p.is_object() {
            col.issue(&format!("packages[{i}]"), "a package is not a JSON object");
            continue;
        }
        let name = str_of(p, "name").unwrap_or("");
        let version = str_of(p, "versionInfo");
        let entry = match version {
            Some(v) => format!("{name}@{v}"),
            None if name.is_empty() => format!("packages[{i}]"),
            None => name.to_string(),
        };
        let purpose = str_of(p, "primaryPackagePurpose").unwrap_or("");
        if purpose == "OPERATING-SYSTEM" {
            col.set_distro(name, version.unwrap_or(""), None);
            continue;
        }
        let is_described = str_of(p, "SPDXID").is_some_and(|id| described.contains(id));
        match spdx_purl(p) {
            // The described target (an image, `pkg:oci/…`) is not a package
            // unless its purl is one (a document about one library).
            Some(u) if is_described && parse_purl(u).is_err() => {}
            Some(u) => col.add(&entry, u, version, spdx_license(p), Extras::default()),
            None if is_described => {}
            None if is_grouping_type(&purpose.to_ascii_lowercase()) && version.is_none() => {}
            None => col.issue(&entry, "package has no package URL (purl external reference); not matched against advisories"),
        }
    }
    Ok(col.finish(SbomFormat::Spdx {
        version: version.to_string(),
    }))
}

/// SPDX tag-value turned into the shape of SPDX JSON, so one reader serves
/// both. Only what package reading needs is kept.
fn tag_value_to_json(text: &str, label: &str) -> Result<Value, Error> {
    use serde_json::json;
    let mut doc = Map::new();
    let mut packages: Vec<Map<String, Value>> = Vec::new();
    let mut relationships = Vec::new();
    // Which section the following tags belong to.
    let mut in_package = false;
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            return Err(Error::document(
                label,
                format!("line {}: not `Tag: value`", n + 1),
            ));
        };
        let mut value = value.trim().to_string();
        // Multi-line values are wrapped in <text>…</text>.
        if let Some(rest) = value.strip_prefix("<text>") {
            let mut collected = rest.to_string();
            while !collected.contains("</text>") {
                match lines.next() {
                    Some((_, l)) => {
                        collected.push('\n');
                        collected.push_str(l);
                    }
                    None => {
                        return Err(Error::document(
                            label,
                            format!("line {}: <text> is never closed", n + 1),
                        ))
                    }
                }
            }
            value = collected.split("</text>").next().unwrap_or("").to_string();
        }
        let tag = tag.trim();
        match tag {
            "SPDXVersion" => {
                doc.insert("spdxVersion".into(), json!(value));
            }
            "PackageName" => {
                in_package = true;
                let mut p = Map::new();
                p.insert("name".into(), json!(value));
                packages.push(p);
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => in_package = false,
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [a, rel, b] = parts.as_slice() {
                    relationships.push(json!({ "spdxElementId": a, "relationshipType": rel, "relatedSpdxElement": b }));
                }
            }
            _ if in_package => {
                let Some(p) = packages.last_mut() else {
                    continue;
                };
                match tag {
                    "SPDXID" => {
                        p.insert("SPDXID".into(), json!(value));
                    }
                    "PackageVersion" => {
                        p.insert("versionInfo".into(), json!(value));
                    }
                    "PackageLicenseDeclared" => {
                        p.insert("licenseDeclared".into(), json!(value));
                    }
                    "PackageLicenseConcluded" => {
                        p.insert("licenseConcluded".into(), json!(value));
                    }
                    "PrimaryPackagePurpose" => {
                        p.insert("primaryPackagePurpose".into(), json!(value));
                    }
                    "ExternalRef" => {
                        let parts: Vec<&str> = value.split_whitespace().collect();
                        if let [cat, ty, loc] = parts.as_slice() {
                            let refs = p.entry("externalRefs").or_insert_with(|| json!([]));
                            if let Some(a) = refs.as_array_mut() {
                                a.push(json!({ "referenceCategory": cat, "referenceType": ty, "referenceLocator": loc }));
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if !doc.contains_key("spdxVersion") {
        return Err(Error::document(
            label,
            "SPDX tag-value document without SPDXVersion",
        ));
    }
    doc.insert(
        "packages".into(),
        Value::Array(packages.into_iter().map(Value::Object).collect()),
    );
    doc.insert("relationships".into(), Value::Array(relationships));
    Ok(Value::Object(doc))
}
