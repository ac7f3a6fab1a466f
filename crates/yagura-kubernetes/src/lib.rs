//! Kubernetes manifests (YAML/JSON, List kinds, Helm output) into normalized k8s resources.
//!
//! Every object becomes one [`Resource`] whose attributes are the manifest object
//! verbatim, plus, for workloads, `podTemplate: {metadata, spec}` so pod-security
//! checks read one shape whatever the controller. The kinds and ids are described
//! in `docs/resource-model-kubernetes.md`.
//!
//! A manifest is what will be applied, so a field it does not write is the
//! Kubernetes default, not "unknown": checks treat absence inside
//! `podTemplate.spec` as observed. Only a missing `podTemplate.spec` (no pod
//! spec at all) leaves them NOT_ASSESSED.

mod convert;
mod spans;
mod split;

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use yagura_model::iac::ParseIssue;
use yagura_model::{Location, Resource, SourceKind};

/// `List` documents may contain `List`s; deeper nesting than this is ignored.
const MAX_LIST_DEPTH: usize = 4;

/// Resources read from one manifest file, and the parts that could not be read.
#[derive(Debug, Default, Clone)]
pub struct Output {
    pub resources: Vec<Resource>,
    pub issues: Vec<ParseIssue>,
}

/// A cheap test of whether `text` holds Kubernetes objects (YAML or JSON with
/// top-level `apiVersion` and `kind`), and is not an unrendered Helm template.
pub fn looks_like_kubernetes(text: &str) -> bool {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return trimmed.contains("\"apiVersion\"") && trimmed.contains("\"kind\"");
    }
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}');
        if is_helm_template_line(line) {
            return false;
        }
        api |= line.starts_with("apiVersion:");
        kind |= line.starts_with("kind:");
    }
    api && kind
}

/// Go-template actions at the start of a line, or ones that read Helm's
/// built-in objects, only appear in chart sources, never in rendered output.
fn is_helm_template_line(line: &str) -> bool {
    if line.starts_with("{{") {
        return true;
    }
    let Some(pos) = line.find("{{") else {
        return false;
    };
    let action = &line[pos..];
    [
        ".Values",
        ".Release.",
        ".Chart.",
        ".Capabilities.",
        ".Files.",
        "include \"",
    ]
    .iter()
    .any(|m| action.contains(m))
}

/// Reads every Kubernetes object in `text`. `file_label` names the file (or
/// `-` for stdin) in locations, ids and issues. Never fails: what cannot be read
/// is reported in [`Output::issues`] and the other documents still load.
pub fn load(file_label: &str, text: &str) -> Output {
    let mut out = Output::default();
    if let Some(line) =
        yagura_model::iac::flow_depth_exceeded(text, yagura_model::iac::MAX_FLOW_DEPTH)
    {
        out.issues.push(ParseIssue {
            file: file_label.to_string(),
            line: Some(line),
            message: format!(
                "nesting deeper than {} levels; the file is not read",
                yagura_model::iac::MAX_FLOW_DEPTH
            ),
        });
        return out;
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        if let Err(issue) = load_json(file_label, text, &mut out) {
            // A YAML flow mapping (`{apiVersion: v1, ...}`) also starts with `{`.
            // YAML accepts much broken JSON (`"kind": }` is a null), so the YAML
            // reading wins only when it cleanly yields objects.
            let yaml = load_yaml(file_label, text);
            if yaml.issues.is_empty() && !yaml.resources.is_empty() {
                return yaml;
            }
            out.issues.push(issue);
        }
        return out;
    }
    load_yaml(file_label, text)
}

fn load_yaml(file_label: &str, text: &str) -> Output {
    let mut out = Output::default();
    for chunk in split::split_documents(text) {
        load_chunk(file_label, &chunk, &mut out);
    }
    out
}

fn last_content_line(text: &str) -> u32 {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(k, _)| k as u32 + 1)
        .last()
        .unwrap_or(1)
}

fn first_content_line(text: &str) -> u32 {
    text.lines()
        .position(|l| !l.trim().trim_start_matches('\u{feff}').is_empty())
        .map(|k| k as u32 + 1)
        .unwrap_or(1)
}

fn load_json(file_label: &str, text: &str, out: &mut Output) -> Result<(), ParseIssue> {
    let text = text.trim_start_matches('\u{feff}');
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(ParseIssue {
                file: file_label.to_string(),
                line: Some(e.line() as u32),
                message: format!("invalid JSON (column {}): {}", e.column(), json_message(&e)),
            });
        }
    };
    let doc = Doc {
        file: file_label.to_string(),
        file_label,
        index: 0,
        span: (first_content_line(text), last_content_line(text)),
        item_spans: None,
    };
    let item_spans = spans::json_items(text);
    emit(
        &Doc {
            item_spans: item_spans.as_deref(),
            ..doc
        },
        value,
        out,
    );
    Ok(())
}

/// serde_json's message without its trailing position (which we report apart).
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(p) => s[..p].to_string(),
        None => s,
    }
}

fn load_chunk(file_label: &str, chunk: &split::Chunk, out: &mut Output) {
    let Some(span) = chunk.span else {
        return;
    };
    let file = match &chunk.helm_source {
        Some(src) => format!("{file_label}:{src}"),
        None => file_label.to_string(),
    };
    let mut yaml: serde_yaml::Value = match serde_yaml::from_str(&chunk.text) {
        Ok(v) => v,
        Err(e) => {
            let (line, column) = match e.location() {
                Some(l) => (
                    (chunk.first_line + l.line() as u32).saturating_sub(1),
                    Some(l.column()),
                ),
                None => (span.0, None),
            };
            let msg = e.to_string();
            let msg = match msg.find(" at line ") {
                Some(p) => msg[..p].to_string(),
                None => msg,
            };
            out.issues.push(ParseIssue {
                file,
                line: Some(line),
                message: match column {
                    Some(c) => format!("invalid YAML document (column {c}): {msg}"),
                    None => format!("invalid YAML document: {msg}"),
                },
            });
            return;
        }
    };
    // Kubernetes' YAML reader applies `<<` merge keys; so must we, or a security
    // context written through an anchor would look empty.
    if let Err(e) = yaml.apply_merge() {
        out.issues.push(ParseIssue {
            file,
            line: Some(span.0),
            message: format!("invalid YAML merge key: {e}"),
        });
        return;
    }
    let value = match convert::to_json(&yaml, 0) {
        Ok(v) => v,
        Err(e) => {
            out.issues.push(ParseIssue {
                file,
                line: Some(span.0),
                message: e.to_string(),
            });
            return;
        }
    };
    let item_spans = spans::yaml_items(&chunk.text, chunk.first_line);
    let doc = Doc {
        file,
        file_label,
        index: chunk.index,
        span,
        item_spans: item_spans.as_deref(),
    };
    emit(&doc, value, out);
}

/// Where a document came from.
struct Doc<'a> {
    /// The location file (with the Helm source appended when there is one).
    file: String,
    file_label: &'a str,
    index: usize,
    span: (u32, u32),
    /// The line ranges of a List's items, when the layout gave them.
    item_spans: Option<&'a [(u32, u32)]>,
}

fn object_parts(v: &Value) -> Option<(&str, &str)> {
    let api = v.get("apiVersion")?.as_str()?;
    let kind = v.get("kind")?.as_str()?;
    (!api.is_empty() && !kind.is_empty()).then_some((api, kind))
}

fn emit(doc: &Doc, value: Value, out: &mut Output) {
    let Some((_, kind)) = object_parts(&value) else {
        // Not a Kubernetes object (values files, kustomize patches without a
        // kind, ...): skipped silently.
        return;
    };
    if is_list_kind(kind, &value) {
        emit_list(doc, value, "", doc.span, 0, out);
    } else {
        out.resources
            .push(build(doc, value, &doc.index.to_string(), doc.span));
    }
}

fn is_list_kind(kind: &str, v: &Value) -> bool {
    kind.ends_with("List") && v.get("items").is_some_and(Value::is_array)
}

fn emit_list(
    doc: &Doc,
    list: Value,
    prefix: &str,
    fallback: (u32, u32),
    depth: usize,
    out: &mut Output,
) {
    if depth >= MAX_LIST_DEPTH {
        return;
    }
    let Value::Object(mut m) = list else {
        return;
    };
    let Some(Value::Array(items)) = m.remove("items") else {
        return;
    };
    // Item ranges only for the outermost list, and only when the layout scan
    // found exactly one range per item.
    let spans = doc
        .item_spans
        .filter(|s| depth == 0 && s.len() == items.len());
    for (i, item) in items.into_iter().enumerate() {
        let span = spans.map(|s| s[i]).unwrap_or(fallback);
        let pos = format!("{prefix}.{i}");
        let Some((_, kind)) = object_parts(&item) else {
            continue;
        };
        if is_list_kind(kind, &item) {
            emit_list(doc, item, &pos, span, depth + 1, out);
        } else {
            let index = format!("{}{pos}", doc.index);
            out.resources.push(build(doc, item, &index, span));
        }
    }
}

/// Kinds that are not namespaced, for ids.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CustomResourceDefinition",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "CertificateSigningRequest",
    "IngressClass",
    "RuntimeClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "PodSecurityPolicy",
];

/// The API group of an `apiVersion` (`""` for the core group `v1`).
fn group_of(api_version: &str) -> &str {
    match api_version.rsplit_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}

/// The normalized kind of a manifest object. Kinds are matched with their API
/// group, so a custom resource that happens to be called `Service` or `Job`
/// stays a plain object.
pub fn normalized_kind(api_version: &str, kind: &str) -> &'static str {
    let group = group_of(api_version);
    match (group, kind) {
        ("", "Pod" | "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch", "Job" | "CronJob") => "k8s.workload",
        ("rbac.authorization.k8s.io", "Role" | "ClusterRole") => "k8s.rbac.role",
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => "k8s.rbac.binding",
        ("networking.k8s.io" | "extensions", "NetworkPolicy") => "k8s.network.policy",
        ("networking.k8s.io" | "extensions", "Ingress") => "k8s.network.ingress",
        ("", "Service") => "k8s.core.service",
        ("", "ServiceAccount") => "k8s.core.service_account",
        ("", "Namespace") => "k8s.core.namespace",
        _ => "k8s.core.object",
    }
}

/// The pod template of a workload object: `{metadata, spec}` from the pod
/// itself, `spec.template` or `spec.jobTemplate.spec.template`. `None` when the
/// object has no template at all; the result has no `spec` when the template
/// has none, so checks stay NOT_ASSESSED.
pub fn pod_template(obj: &Map<String, Value>) -> Option<Value> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let (meta, spec) = if kind == "Pod" {
        (obj.get("metadata"), obj.get("spec"))
    } else {
        let template = if kind == "CronJob" {
            obj.get("spec")?
                .get("jobTemplate")?
                .get("spec")?
                .get("template")?
        } else {
            obj.get("spec")?.get("template")?
        };
        if !template.is_object() {
            return None;
        }
        (template.get("metadata"), template.get("spec"))
    };
    let mut t = Map::new();
    t.insert(
        "metadata".into(),
        match meta {
            Some(m @ Value::Object(_)) => m.clone(),
            _ => Value::Object(Map::new()),
        },
    );
    if let Some(s) = spec {
        t.insert("spec".into(), s.clone());
    }
    Some(Value::Object(t))
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    let Some(Value::Object(m)) = v else {
        return BTreeMap::new();
    };
    m.iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), s)
        })
        .collect()
}

fn build(doc: &Doc, value: Value, index: &str, span: (u32, u32)) -> Resource {
    let Value::Object(mut obj) = value else {
        // `object_parts` only accepts objects; keep a total function anyway.
        let mut r = Resource::new(
            "k8s.core.object",
            format!("k8s:{}#{index}", doc.file_label),
            "",
        );
        r.source = SourceKind::Kubernetes;
        return r;
    };
    let api = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind_name = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let kind = normalized_kind(api, &kind_name);
    let meta = obj.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            meta.and_then(|m| m.get("generateName"))
                .and_then(Value::as_str)
                .map(|g| format!("{g}*"))
        })
        .unwrap_or_else(|| "_unnamed".to_string());
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            if CLUSTER_SCOPED.contains(&kind_name.as_str()) {
                "_cluster".to_string()
            } else {
                // Namespaced, but the namespace is chosen at apply time.
                "_unset".to_string()
            }
        });
    let tags = string_map(meta.and_then(|m| m.get("labels")));
    if kind == "k8s.workload" {
        if let Some(t) = pod_template(&obj) {
            obj.insert("podTemplate".into(), t);
        }
    }
    let mut r = Resource::new(
        kind,
        format!(
            "k8s:{}#{index}:{kind_name}/{namespace}/{name}",
            doc.file_label
        ),
        name,
    );
    r.source = SourceKind::Kubernetes;
    r.tags = tags;
    r.location = Some(Location::lines(doc.file.clone(), span.0, span.1));
    r.attributes = Value::Object(obj);
    r
}

#[cfg(test)]
mod tests;
