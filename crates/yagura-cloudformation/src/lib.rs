//! CloudFormation templates: parse, resolve intrinsics, map AWS resources onto
//! normalized resources.
//!
//! [`load_template`] reads a JSON or YAML template (short-form tags included),
//! evaluates parameters, mappings, conditions and intrinsic functions, and returns
//! one [`RawResource`] per emitted resource with the line range of its entry under
//! `Resources`. [`adapt`] maps the `AWS::*` ones onto the normalized resources the
//! live AWS collector produces, so the AWS checks run on templates unchanged.
//!
//! Values unknown before deploy stay unknown (see `yagura_model::iac`). Nested
//! stacks (`AWS::CloudFormation::Stack`) and transforms (SAM, macros) are not
//! expanded.

mod adapt;
mod eval;
mod parse;

pub use adapt::adapt;

use serde_json::{Map, Value};
use std::collections::HashMap;
use yagura_model::iac::{ParseIssue, RawResource};
use yagura_model::{Location, SourceKind};

/// Evaluation settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Parameter values that replace the template's defaults (`Name`, `value`).
    pub parameters: Vec<(String, String)>,
}

/// What [`load_template`] read from one template.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub resources: Vec<RawResource>,
    /// Parse errors and problems that stopped part of the template being read.
    pub issues: Vec<ParseIssue>,
}

/// Whether `text` is a CloudFormation template: it declares
/// `AWSTemplateFormatVersion`, or its `Resources` have `AWS::` types.
pub fn is_template(text: &str) -> bool {
    if !text.contains("AWSTemplateFormatVersion") && !text.contains("AWS::") {
        return false;
    }
    match parse::parse(text) {
        Ok(doc) => {
            let Some(root) = doc.root.as_object() else {
                return false;
            };
            root.contains_key("AWSTemplateFormatVersion")
                || root
                    .get("Resources")
                    .and_then(Value::as_object)
                    .is_some_and(|r| {
                        r.values().any(|d| {
                            d.get("Type")
                                .and_then(Value::as_str)
                                .is_some_and(|t| t.starts_with("AWS::"))
                        })
                    })
        }
        // A broken template is still a template, so its error gets reported.
        Err(_) => text.lines().any(|l| {
            let l = l.trim_start_matches(['{', ' ', '\t', '"', '\u{feff}']);
            l.starts_with("AWSTemplateFormatVersion")
        }),
    }
}

/// The address of a resource: unique within a scan, and the `$ref` of values
/// derived from it.
pub fn address(file_label: &str, logical_id: &str) -> String {
    format!("{file_label}#{logical_id}")
}

/// Reads a template and evaluates its resources. Never panics; problems are
/// returned as issues and the rest of the template is still read.
pub fn load_template(file_label: &str, text: &str, opts: &Options) -> Output {
    let mut out = Output::default();
    let doc = match parse::parse(text) {
        Ok(d) => d,
        Err(e) => {
            out.issues.push(ParseIssue {
                file: file_label.to_string(),
                line: e.line,
                message: e.message,
            });
            return out;
        }
    };
    let issue = |line: Option<u32>, message: String| ParseIssue {
        file: file_label.to_string(),
        line,
        message,
    };
    let Some(root) = doc.root.as_object() else {
        out.issues
            .push(issue(Some(1), "the template is not a mapping".into()));
        return out;
    };
    let resources: Map<String, Value> = match root.get("Resources") {
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            out.issues
                .push(issue(None, "`Resources` is not a mapping".into()));
            return out;
        }
        None => {
            out.issues.push(issue(
                None,
                "the template has no `Resources` section".into(),
            ));
            return out;
        }
    };
    let index: HashMap<String, (String, String)> = resources
        .iter()
        .map(|(id, d)| {
            let t = d
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            (id.clone(), (t, address(file_label, id)))
        })
        .collect();
    // Macros (SAM included) rewrite the template in the service; what they would
    // produce is not scanned, only the resources as written.
    if let Some(t) = root.get("Transform") {
        let names: Vec<String> = match t {
            Value::Array(a) => a.iter().map(|x| x.to_string()).collect(),
            other => vec![other.to_string()],
        };
        out.issues.push(issue(
            None,
            format!(
                "Transform {} is not expanded: resources it would generate are not scanned",
                names.join(", ")
            ),
        ));
    }
    let mut ev = eval::Evaluator::new(file_label, &doc.root, &opts.parameters, index);
    for (id, def) in &resources {
        let span = doc.spans.get(id).copied();
        let line = span.map(|s| s.0);
        ev.current = id.clone();
        let Some(type_name) = def.get("Type").and_then(Value::as_str) else {
            out.issues
                .push(issue(line, format!("resource {id} has no `Type`")));
            continue;
        };
        if let Some(c) = def.get("Condition") {
            let name = c.as_str().unwrap_or("");
            if ev.condition(name, 0) == Some(false) {
                continue;
            }
        }
        let attributes = match def.get("Properties") {
            None | Some(Value::Null) => Map::new(),
            Some(p) => match ev.eval(p, 0) {
                Some(Value::Object(m)) => m,
                Some(v) if yagura_model::iac::is_unknown(&v) => {
                    out.issues.push(issue(
                        line,
                        format!("resource {id}: its properties are unknown until deploy"),
                    ));
                    Map::new()
                }
                _ => {
                    out.issues.push(issue(
                        line,
                        format!("resource {id}: `Properties` is not a mapping"),
                    ));
                    Map::new()
                }
            },
        };
        let (start, end) = span.unwrap_or((1, 1));
        out.resources.push(RawResource {
            source: SourceKind::CloudFormation,
            type_name: type_name.to_string(),
            name: id.clone(),
            address: address(file_label, id),
            attributes,
            location: Location::lines(file_label, start, end),
            region: None,
            account: None,
        });
    }
    // Give evaluation problems the line of the resource they were found in.
    for mut i in ev.issues {
        if i.line.is_none() {
            i.line = i
                .message
                .strip_prefix("resource ")
                .and_then(|m| m.split(':').next())
                .and_then(|id| doc.spans.get(id))
                .map(|s| s.0);
        }
        out.issues.push(i);
    }
    out
}

#[cfg(test)]
mod tests;
