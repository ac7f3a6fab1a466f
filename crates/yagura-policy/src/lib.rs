//! User policies in Rego, evaluated in-process (regorus) over the same normalized
//! resource documents the built-in checks read.
//!
//! A policy file declares its metadata in an OPA `# METADATA` annotation before
//! its `package` line, and a `deny` set of messages:
//!
//! ```rego
//! # METADATA
//! # title: S3 buckets carry an owner tag
//! # description: Untagged buckets have nobody to answer for them.
//! # custom:
//! #   code: ACME-S3-001
//! #   severity: medium
//! #   kinds: [aws.s3.bucket]
//! #   frameworks: ["acme-baseline:TAG-1"]
//! #   remediation: Add an `owner` tag.
//! package acme.s3_owner_tag
//!
//! deny contains msg if {
//!     not input.tags.owner
//!     msg := sprintf("bucket %s has no owner tag", [input.name])
//! }
//! ```
//!
//! For every resource of a listed kind (all kinds when `kinds` is absent) the policy
//! yields FAIL with the messages of `deny`, or PASS when `deny` is empty. A policy
//! that does not load, or fails at run time, is reported with its file and line and
//! never stops the scan.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use yagura_model::{Outcome, Resource, Severity};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{file}: cannot read: {message}")]
    Read { file: String, message: String },
    #[error("{file}:{line}: METADATA annotation: {message}")]
    Metadata {
        file: String,
        line: usize,
        message: String,
    },
    /// regorus' message already carries `file:line:column`.
    #[error("{message}")]
    Parse { file: String, message: String },
    #[error("{file}: evaluating `{rule}` on {resource}: {message}")]
    Eval {
        file: String,
        rule: String,
        resource: String,
        message: String,
    },
}

#[derive(Debug, Default, Deserialize)]
struct RawMeta {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    custom: RawCustom,
}

#[derive(Debug, Default, Deserialize)]
struct RawCustom {
    code: Option<String>,
    severity: Option<String>,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    frameworks: Vec<String>,
    remediation: Option<String>,
}

/// A policy's metadata, from its annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyMeta {
    pub code: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub kinds: Vec<String>,
    pub frameworks: Vec<String>,
    pub remediation: String,
}

/// One loaded policy file.
pub struct Policy {
    pub file: String,
    pub package: String,
    pub meta: PolicyMeta,
    engine: regorus::Engine,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("file", &self.file)
            .field("package", &self.package)
            .field("meta", &self.meta)
            .finish()
    }
}

/// Finds the `# METADATA` block that precedes the `package` line.
fn parse_metadata(file: &str, text: &str) -> Result<(RawMeta, usize), PolicyError> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.trim() == "# METADATA") else {
        return Err(PolicyError::Metadata {
            file: file.into(),
            line: 1,
            message:
                "no `# METADATA` annotation; custom.code, custom.severity and title are required"
                    .into(),
        });
    };
    let mut yaml = String::new();
    for l in &lines[start + 1..] {
        let t = l.trim_start();
        let Some(rest) = t.strip_prefix('#') else {
            break;
        };
        yaml.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        yaml.push('\n');
    }
    let meta: RawMeta = serde_yaml::from_str(&yaml).map_err(|e| PolicyError::Metadata {
        file: file.into(),
        line: start + 1 + e.location().map(|l| l.line()).unwrap_or(1),
        message: e.to_string(),
    })?;
    Ok((meta, start + 1))
}

fn build_meta(file: &str, raw: RawMeta, line: usize) -> Result<PolicyMeta, PolicyError> {
    let err = |message: String| PolicyError::Metadata {
        file: file.into(),
        line,
        message,
    };
    let code = raw
        .custom
        .code
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| err("custom.code is required".into()))?;
    let title = raw.title.ok_or_else(|| err("title is required".into()))?;
    let severity = raw
        .custom
        .severity
        .as_deref()
        .unwrap_or("medium")
        .parse::<Severity>()
        .map_err(|e| err(e.to_string()))?;
    Ok(PolicyMeta {
        code,
        title,
        description: raw.description.unwrap_or_default(),
        severity,
        kinds: raw.custom.kinds,
        frameworks: raw.custom.frameworks,
        remediation: raw.custom.remediation.unwrap_or_default(),
    })
}

impl Policy {
    /// Parses one policy from its text; `file` names it in errors.
    pub fn from_source(file: &str, text: &str) -> Result<Policy, PolicyError> {
        let (raw, line) = parse_metadata(file, text)?;
        let meta = build_meta(file, raw, line)?;
        let mut engine = regorus::Engine::new();
        let package = engine
            .add_policy(file.to_string(), text.to_string())
            .map_err(|e| PolicyError::Parse {
                file: file.into(),
                message: e.to_string(),
            })?;
        Ok(Policy {
            file: file.into(),
            package,
            meta,
            engine,
        })
    }

    pub fn applies_to(&self, kind: &str) -> bool {
        self.meta.kinds.is_empty() || self.meta.kinds.iter().any(|k| k == kind)
    }

    /// Evaluates `deny` with `input_json` (the resource serialised) as input.
    pub fn evaluate_json(
        &mut self,
        resource_id: &str,
        input_json: &str,
    ) -> Result<Outcome, PolicyError> {
        let rule = format!("{}.deny", self.package);
        let err = |message: String| PolicyError::Eval {
            file: self.file.clone(),
            rule: rule.clone(),
            resource: resource_id.into(),
            message,
        };
        self.engine
            .set_input_json(input_json)
            .map_err(|e| err(e.to_string()))?;
        let value = self
            .engine
            .eval_rule(rule.clone())
            .map_err(|e| err(e.to_string()))?;
        let json = value.to_json_str().map_err(|e| err(e.to_string()))?;
        let parsed: serde_json::Value =
            serde_json::from_str(&json).map_err(|e| err(e.to_string()))?;
        let messages: Vec<String> = match parsed {
            serde_json::Value::Array(items) => items.into_iter().map(message_of).collect(),
            // An undefined `deny` (no rule body matched) means nothing is denied.
            serde_json::Value::String(s) if s == "<undefined>" => vec![],
            serde_json::Value::Null => vec![],
            other => {
                return Err(err(format!(
                    "`deny` must be a set of messages, got {other}"
                )))
            }
        };
        Ok(if messages.is_empty() {
            Outcome::Pass(format!("{}: no violation", self.meta.title))
        } else {
            Outcome::Fail(messages.join("; "))
        })
    }

    pub fn evaluate(&mut self, r: &Resource) -> Result<Outcome, PolicyError> {
        let json = serde_json::to_string(r).map_err(|e| PolicyError::Eval {
            file: self.file.clone(),
            rule: "deny".into(),
            resource: r.id.clone(),
            message: e.to_string(),
        })?;
        self.evaluate_json(&r.id, &json)
    }
}

fn message_of(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Object(m) => m
            .get("msg")
            .and_then(|x| x.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| serde_json::Value::Object(m).to_string()),
        other => other.to_string(),
    }
}

/// Loads every `*.rego` file below `dir` (recursively, in path order). Files that
/// fail to load are returned as errors next to the policies that did.
pub fn load_dir(dir: &Path) -> (Vec<Policy>, Vec<PolicyError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    collect_rego(dir, &mut files, &mut errors);
    files.sort();
    let mut policies = Vec::new();
    for f in files {
        let name = f.display().to_string();
        match std::fs::read_to_string(&f) {
            Ok(text) => match Policy::from_source(&name, &text) {
                Ok(p) => policies.push(p),
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(PolicyError::Read {
                file: name,
                message: e.to_string(),
            }),
        }
    }
    (policies, errors)
}

fn collect_rego(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<PolicyError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(PolicyError::Read {
                file: dir.display().to_string(),
                message: e.to_string(),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_rego(&p, files, errors);
        } else if p.extension().is_some_and(|e| e == "rego")
            && !p.to_string_lossy().ends_with("_test.rego")
        {
            files.push(p);
        }
    }
}

#[cfg(test)]
mod tests;
