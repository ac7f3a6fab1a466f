//! Terraform JSON configuration syntax (`*.tf.json`), converted to the HCL syntax tree
//! so that one evaluator serves both. Strings are templates (`"${var.x}"`).
//!
//! Without provider schemas a JSON object inside a resource is ambiguous; an object
//! (or a list of objects) is taken as nested block(s) unless its key is one of the
//! usual map arguments (`tags`, `labels`, ...), where it stays a map.

use hcl_edit::expr::{Array, Expression, Object, ObjectKey, ObjectValue};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::template::StringTemplate;
use hcl_edit::{Ident, Number};
use serde_json::Value;
use std::collections::HashMap;

/// Arguments that are maps, not blocks, when written as JSON objects.
const MAP_ARGS: &[&str] = &[
    "tags",
    "tags_all",
    "labels",
    "variables",
    "triggers",
    "annotations",
    "parameters",
    "environment_variables",
    "for_each",
    "default",
    "value",
    "providers",
    "metadata",
    "inputs",
];

type Lines = HashMap<String, (u32, u32)>;

fn expr(v: &Value, depth: usize) -> Expression {
    if depth > 128 {
        return Expression::Null(hcl_edit::Decorated::new(hcl_edit::expr::Null));
    }
    match v {
        Value::Null => Expression::Null(hcl_edit::Decorated::new(hcl_edit::expr::Null)),
        Value::Bool(b) => Expression::from(*b),
        Value::Number(n) => match n.as_f64().and_then(Number::from_f64) {
            Some(x) => Expression::from(x),
            None => Expression::Null(hcl_edit::Decorated::new(hcl_edit::expr::Null)),
        },
        Value::String(s) => string_expr(s),
        Value::Array(a) => Expression::from(Array::from(
            a.iter().map(|x| expr(x, depth + 1)).collect::<Vec<_>>(),
        )),
        Value::Object(m) => {
            let mut o = Object::new();
            for (k, x) in m {
                o.insert(
                    ObjectKey::from(Expression::from(k.as_str())),
                    ObjectValue::new(expr(x, depth + 1)),
                );
            }
            Expression::from(o)
        }
    }
}

/// A JSON string is a template when it has `${` or `%{`.
fn string_expr(s: &str) -> Expression {
    if s.contains("${") || s.contains("%{") {
        if let Ok(t) = hcl_edit::parser::parse_template(s) {
            return Expression::from(StringTemplate::from(t));
        }
    }
    Expression::from(s)
}

fn ident(k: &str) -> Option<Ident> {
    Ident::try_new(k).ok()
}

/// A resource/module/provider body.
fn body(m: &serde_json::Map<String, Value>, depth: usize) -> Body {
    let mut out: Vec<Structure> = Vec::new();
    for (k, v) in m {
        let Some(id) = ident(k) else { continue };
        if k == "dynamic" && depth < 64 {
            // {"dynamic": {"name": {"for_each": .., "content": {..}}}}
            if let Value::Object(dm) = v {
                for (name, d) in dm {
                    for spec in objects(d) {
                        let mut b = Block::new(id.clone());
                        b.labels.push(name.as_str().into());
                        b.body = body(spec, depth + 1);
                        out.push(Structure::Block(b));
                    }
                }
            }
            continue;
        }
        let is_block = !MAP_ARGS.contains(&k.as_str())
            && depth < 64
            && match v {
                Value::Object(_) => true,
                Value::Array(a) => !a.is_empty() && a.iter().all(Value::is_object),
                _ => false,
            };
        if is_block {
            for o in objects(v) {
                let mut b = Block::new(id.clone());
                b.body = body(o, depth + 1);
                out.push(Structure::Block(b));
            }
        } else {
            out.push(Structure::Attribute(Attribute::new(id, expr(v, 0))));
        }
    }
    Body::from(out)
}

fn objects(v: &Value) -> Vec<&serde_json::Map<String, Value>> {
    match v {
        Value::Object(m) => vec![m],
        Value::Array(a) => a.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// Lines of the object following the keys `path` in order (a textual search: JSON
/// parsers do not keep positions).
fn find_lines(src: &str, path: &[&str]) -> Option<(u32, u32)> {
    let mut pos = 0;
    for k in path {
        let needle = Value::String((*k).to_string()).to_string();
        pos += src.get(pos..)?.find(&needle)? + needle.len();
    }
    let start = pos;
    let open = start + src.get(start..)?.find(['{', '['])?;
    let bytes = src.as_bytes();
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut end = open;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        if in_str {
            match b {
                _ if esc => esc = false,
                b'\\' => esc = true,
                b'"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let line = |off: usize| src[..off.min(src.len())].matches('\n').count() as u32 + 1;
    let name_start = start.saturating_sub(path.last().map_or(0, |k| k.len() + 2));
    Some((line(name_start), line(end)))
}

/// Converts a `.tf.json` document; also returns the line ranges of resources and
/// data sources, keyed `resource.type.name` / `data.type.name`.
pub fn to_body(src: &str) -> Result<(Body, Lines), (Option<u32>, String)> {
    let v: Value = serde_json::from_str(src)
        .map_err(|e| (Some(e.line() as u32), format!("invalid JSON: {e}")))?;
    let Value::Object(top) = v else {
        return Err((Some(1), "Terraform JSON must be an object".into()));
    };
    let mut out: Vec<Structure> = Vec::new();
    let mut lines = Lines::new();
    for (kind, v) in &top {
        match kind.as_str() {
            "resource" | "data" => {
                for tm in objects(v) {
                    for (ty, names) in tm {
                        for nm in objects(names) {
                            for (name, b) in nm {
                                for o in objects(b) {
                                    let mut blk = Block::new(Ident::new_sanitized(kind));
                                    blk.labels.push(ty.as_str().into());
                                    blk.labels.push(name.as_str().into());
                                    blk.body = body(o, 0);
                                    out.push(Structure::Block(blk));
                                }
                                if let Some(l) = find_lines(src, &[kind, ty, name]) {
                                    lines.insert(format!("{kind}.{ty}.{name}"), l);
                                }
                            }
                        }
                    }
                }
            }
            "variable" | "output" | "module" | "provider" => {
                for m in objects(v) {
                    for (name, b) in m {
                        for o in objects(b) {
                            let mut blk = Block::new(Ident::new_sanitized(kind));
                            blk.labels.push(name.as_str().into());
                            blk.body = if kind == "variable" || kind == "output" {
                                // `default`/`value`/`type` are plain arguments here.
                                Body::from(
                                    o.iter()
                                        .filter_map(|(k, x)| {
                                            let e = if k == "type" {
                                                match x.as_str().and_then(ident) {
                                                    Some(i) => Expression::from(i),
                                                    None => expr(x, 0),
                                                }
                                            } else {
                                                expr(x, 0)
                                            };
                                            ident(k)
                                                .map(|i| Structure::Attribute(Attribute::new(i, e)))
                                        })
                                        .collect::<Vec<_>>(),
                                )
                            } else {
                                body(o, 0)
                            };
                            out.push(Structure::Block(blk));
                        }
                    }
                }
            }
            "locals" => {
                for m in objects(v) {
                    let mut blk = Block::new(Ident::new_sanitized("locals"));
                    blk.body = Body::from(
                        m.iter()
                            .filter_map(|(k, x)| {
                                ident(k)
                                    .map(|i| Structure::Attribute(Attribute::new(i, expr(x, 0))))
                            })
                            .collect::<Vec<_>>(),
                    );
                    out.push(Structure::Block(blk));
                }
            }
            _ => {}
        }
    }
    Ok((Body::from(out), lines))
}
