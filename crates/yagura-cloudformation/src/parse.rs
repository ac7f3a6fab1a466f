//! Reading a template: JSON or YAML into one JSON tree (short-form YAML tags become
//! their long `Fn::` forms), plus the line range of every entry under `Resources`,
//! which the YAML and JSON libraries do not report, so a small scanner finds them.

use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// Deeper than any real template; a bound so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 200;

/// A parse failure: the 1-based line when the parser knows it, and its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub line: Option<u32>,
    pub message: String,
}

pub(crate) struct Doc {
    pub root: Value,
    /// Logical id → (first line, last line), 1-based, inclusive.
    pub spans: HashMap<String, (u32, u32)>,
}

pub(crate) fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

pub(crate) fn parse(text: &str) -> Result<Doc, ParseError> {
    let text = text.trim_start_matches('\u{feff}');
    let limit = yagura_model::iac::MAX_FLOW_DEPTH;
    if let Some(line) = yagura_model::iac::flow_depth_exceeded(text, limit) {
        return Err(ParseError {
            line: Some(line),
            message: format!("nesting deeper than {limit} levels; the template is not read"),
        });
    }
    if looks_like_json(text) {
        let root: Value = serde_json::from_str(text).map_err(|e| ParseError {
            line: u32::try_from(e.line()).ok().filter(|l| *l > 0),
            message: e.to_string(),
        })?;
        let spans = json_spans(text);
        Ok(Doc { root, spans })
    } else {
        let y: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| ParseError {
            line: e
                .location()
                .and_then(|l| u32::try_from(l.line()).ok())
                .filter(|l| *l > 0),
            message: e.to_string(),
        })?;
        let root = yaml_to_json(&y, 0).map_err(|message| ParseError {
            line: None,
            message,
        })?;
        Ok(Doc {
            root,
            spans: yaml_spans(text),
        })
    }
}

fn key_string(k: &serde_yaml::Value) -> Result<String, String> {
    Ok(match k {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Null => "null".to_string(),
        _ => return Err("a mapping key is not a plain scalar".to_string()),
    })
}

/// YAML → JSON, turning `!Ref x` into `{"Ref": x}`, `!GetAtt a.b` into
/// `{"Fn::GetAtt": ["a", "b"]}` and any other `!Name v` into `{"Fn::Name": v}`.
fn yaml_to_json(v: &serde_yaml::Value, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("the template nests deeper than {MAX_DEPTH} levels"));
    }
    Ok(match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(*b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s.clone()),
        serde_yaml::Value::Sequence(seq) => Value::Array(
            seq.iter()
                .map(|x| yaml_to_json(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(m) => {
            let mut out = Map::new();
            for (k, val) in m {
                out.insert(key_string(k)?, yaml_to_json(val, depth + 1)?);
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let inner = yaml_to_json(&t.value, depth + 1)?;
            let (key, arg) = match name {
                "Ref" => ("Ref".to_string(), inner),
                "Condition" => ("Condition".to_string(), inner),
                "GetAtt" => {
                    let arg = match inner {
                        Value::String(s) => match s.split_once('.') {
                            Some((a, b)) => Value::Array(vec![a.into(), b.into()]),
                            None => Value::String(s),
                        },
                        other => other,
                    };
                    ("Fn::GetAtt".to_string(), arg)
                }
                other => (format!("Fn::{other}"), inner),
            };
            let mut m = Map::new();
            m.insert(key, arg);
            Value::Object(m)
        }
    })
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key of a block-mapping line (`  Name:` / `"Name": ...`), if it is one.
fn yaml_key(line: &str) -> Option<String> {
    let t = line.trim();
    let (key, rest) = if let Some(q) = t.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], &q[end + 1..])
    } else if let Some(q) = t.strip_prefix('\'') {
        let end = q.find('\'')?;
        (&q[..end], &q[end + 1..])
    } else {
        let colon = t.find(':')?;
        (&t[..colon], &t[colon..])
    };
    let rest = rest.trim_start();
    let after = rest.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with([' ', '\t'])) || key.is_empty() {
        return None;
    }
    Some(key.trim().to_string())
}

/// Line ranges of the entries of the top-level `Resources` block mapping.
fn yaml_spans(text: &str) -> HashMap<String, (u32, u32)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut spans = HashMap::new();
    let Some(start) = lines
        .iter()
        .position(|l| indent_of(l) == 0 && yaml_key(l).as_deref() == Some("Resources"))
    else {
        return spans;
    };
    let mut child_indent: Option<usize> = None;
    let mut current: Option<(String, usize)> = None;
    let mut last_content = start;
    let mut close = |cur: &mut Option<(String, usize)>, last: usize| {
        if let Some((name, first)) = cur.take() {
            spans.insert(name, (first as u32 + 1, last.max(first) as u32 + 1));
        }
    };
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        // A document marker ends the first document, and so the block.
        if indent_of(line) == 0 && matches!(line.trim(), "---" | "...") {
            break;
        }
        if is_blank_or_comment(line) {
            continue;
        }
        let ind = indent_of(line);
        if ind == 0 {
            break;
        }
        let ci = *child_indent.get_or_insert(ind);
        if ind == ci {
            if let Some(k) = yaml_key(line) {
                close(&mut current, last_content);
                current = Some((k, i));
            }
        } else if ind < ci {
            break;
        }
        last_content = i;
    }
    close(&mut current, last_content);
    spans
}

/// A scanner over already-validated JSON that finds `Resources` entry spans.
struct JsonScan<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
}

impl JsonScan<'_> {
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn string(&mut self) -> String {
        let mut out = Vec::new();
        self.i += 1; // opening quote
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    if let Some(&n) = self.b.get(self.i) {
                        out.push(n);
                        self.i += 1;
                    }
                }
                b'\n' => {
                    self.line += 1;
                    out.push(c)
                }
                _ => out.push(c),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    /// Skips one value without recursion (depth is counted, not stacked).
    fn skip_value(&mut self) {
        match self.peek() {
            Some(b'"') => {
                self.string();
            }
            Some(b'{') | Some(b'[') => {
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'"' => {
                            self.string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.i += 1;
                                return;
                            }
                        }
                        b'\n' => self.line += 1,
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
            }
        }
    }
    /// Walks the members of the object at the cursor, calling `f` with each key
    /// (cursor on its value); `f` must consume the value.
    fn members(&mut self, mut f: impl FnMut(&mut Self, String, u32)) {
        self.ws();
        if self.peek() != Some(b'{') {
            self.skip_value();
            return;
        }
        self.i += 1;
        loop {
            self.ws();
            match self.peek() {
                Some(b'"') => {
                    let key_line = self.line;
                    let key = self.string();
                    self.ws();
                    if self.peek() == Some(b':') {
                        self.i += 1;
                    }
                    self.ws();
                    f(self, key, key_line);
                    self.ws();
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    }
                }
                Some(b'}') => {
                    self.i += 1;
                    return;
                }
                None => return,
                // Malformed (cannot happen after validation): stop rather than loop.
                Some(_) => return,
            }
        }
    }
}

fn json_spans(text: &str) -> HashMap<String, (u32, u32)> {
    let mut spans = HashMap::new();
    let mut s = JsonScan {
        b: text.as_bytes(),
        i: 0,
        line: 1,
    };
    s.members(|s, key, _| {
        if key == "Resources" {
            s.members(|s, id, first| {
                s.skip_value();
                spans.insert(id, (first, s.line.max(first)));
            });
        } else {
            s.skip_value();
        }
    });
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_entry_spans_skip_comments_between_entries() {
        let t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::S3::Bucket\n\n  # yagura:ignore X y\n  \"B\":\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q\nOutputs: {}\n";
        let s = yaml_spans(t);
        assert_eq!(s["A"], (3, 4));
        assert_eq!(s["B"], (7, 10));
    }

    #[test]
    fn json_entry_spans() {
        let t = "{\n \"Resources\": {\n  \"A\": {\n   \"Type\": \"x\"\n  },\n  \"B\": {\"Type\": \"y\"}\n },\n \"Outputs\": {\"Resources\": {\"C\": 1}}\n}";
        let s = json_spans(t);
        assert_eq!(s["A"], (3, 5));
        assert_eq!(s["B"], (6, 6));
        assert!(!s.contains_key("C"));
    }

    #[test]
    fn short_tags_become_long_forms() {
        let d = parse("Resources:\n  A:\n    Type: T\n    Properties:\n      X: !GetAtt B.Arn\n      Y: !Sub '${B}'\n      Z: !Ref P\n").unwrap();
        let p = &d.root["Resources"]["A"]["Properties"];
        assert_eq!(p["X"], serde_json::json!({"Fn::GetAtt": ["B", "Arn"]}));
        assert_eq!(p["Y"], serde_json::json!({"Fn::Sub": "${B}"}));
        assert_eq!(p["Z"], serde_json::json!({"Ref": "P"}));
    }
}
