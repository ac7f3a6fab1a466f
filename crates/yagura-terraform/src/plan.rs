//! `terraform show -json <plan>` output: values from `planned_values`, unknowns from
//! `resource_changes[].change.after_unknown`.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;
use yagura_model::iac::{unknown, ParseIssue, RawResource};
use yagura_model::{Location, SourceKind};

const MAX_MODULE_DEPTH: usize = 64;

pub fn is_plan_json(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{')
        && t.contains("\"planned_values\"")
        && (t.contains("\"format_version\"") || t.contains("\"resource_changes\""))
}

/// Marks every path that `after_unknown` flags as unknown in `v`.
fn apply_unknown(v: &mut Value, au: &Value, path: &str, depth: usize) {
    if depth > 64 {
        return;
    }
    match au {
        Value::Bool(true) => *v = unknown(path),
        Value::Object(m) => {
            if !v.is_object() {
                if m.values().any(|x| x != &Value::Bool(false)) && v.is_null() {
                    *v = Value::Object(Map::new());
                } else {
                    return;
                }
            }
            if let Value::Object(vm) = v {
                for (k, sub) in m {
                    if sub == &Value::Bool(false) {
                        continue;
                    }
                    let entry = vm.entry(k.clone()).or_insert(Value::Null);
                    apply_unknown(entry, sub, &format!("{path}.{k}"), depth + 1);
                }
            }
        }
        Value::Array(a) => {
            if let Value::Array(va) = v {
                for (i, sub) in a.iter().enumerate() {
                    if let Some(x) = va.get_mut(i) {
                        apply_unknown(x, sub, &format!("{path}[{i}]"), depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

fn walk(
    module: &Value,
    file: &str,
    unknowns: &HashMap<&str, &Value>,
    regions: &HashMap<String, String>,
    out: &mut Vec<RawResource>,
    depth: usize,
) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    if let Some(Value::Array(rs)) = module.get("resources") {
        for r in rs {
            let (Some(addr), Some(ty), Some(name)) = (
                r.get("address").and_then(Value::as_str),
                r.get("type").and_then(Value::as_str),
                r.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            let mut values = match r.get("values") {
                Some(Value::Object(m)) => Value::Object(m.clone()),
                _ => Value::Object(Map::new()),
            };
            if let Some(au) = unknowns.get(addr) {
                apply_unknown(&mut values, au, addr, 0);
            }
            let attributes = match values {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            let provider = r.get("provider_name").and_then(Value::as_str).unwrap_or("");
            let region = if provider.ends_with("/aws") {
                regions.get("aws").cloned()
            } else {
                None
            };
            out.push(RawResource {
                source: SourceKind::Terraform,
                type_name: ty.to_string(),
                name: name.to_string(),
                address: addr.to_string(),
                attributes,
                location: Location {
                    file: file.to_string(),
                    start_line: None,
                    end_line: None,
                    start_column: None,
                    end_column: None,
                },
                region,
                account: None,
            });
        }
    }
    if let Some(Value::Array(cs)) = module.get("child_modules") {
        for c in cs {
            walk(c, file, unknowns, regions, out, depth + 1);
        }
    }
}

pub fn load(path: &Path) -> crate::Output {
    let display = path.display().to_string();
    let mut out = crate::Output {
        resources: Vec::new(),
        issues: Vec::new(),
        files: vec![path.to_path_buf()],
    };
    let text = match crate::read_source(path) {
        Ok(t) => t,
        Err(i) => {
            out.issues.push(i);
            return out;
        }
    };
    let doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            out.issues.push(ParseIssue {
                file: display,
                line: Some(e.line() as u32),
                message: format!("invalid plan JSON: {e}"),
            });
            return out;
        }
    };
    let mut unknowns = HashMap::new();
    if let Some(Value::Array(rc)) = doc.get("resource_changes") {
        for c in rc {
            if let (Some(a), Some(au)) = (
                c.get("address").and_then(Value::as_str),
                c.pointer("/change/after_unknown"),
            ) {
                unknowns.insert(a, au);
            }
        }
    }
    // Literal provider regions from the configuration section.
    let mut regions = HashMap::new();
    if let Some(Value::Object(pc)) = doc.pointer("/configuration/provider_config") {
        for (k, p) in pc {
            if let Some(r) = p
                .pointer("/expressions/region/constant_value")
                .and_then(Value::as_str)
            {
                regions.insert(k.clone(), r.to_string());
            }
        }
    }
    match doc.pointer("/planned_values/root_module") {
        Some(root) => walk(root, &display, &unknowns, &regions, &mut out.resources, 0),
        None => out.issues.push(ParseIssue {
            file: display,
            line: None,
            message: "plan JSON has no planned_values.root_module".into(),
        }),
    }
    out
}
