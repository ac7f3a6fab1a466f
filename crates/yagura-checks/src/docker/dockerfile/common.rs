//! Reading the `docker.dockerfile` resource (schema in
//! docs/resource-model-dockerfile.md) for the Dockerfile checks.

use super::shell::base_name;
use serde_json::Value;
use yagura_model::iac::{is_unknown, unknown_reason};
use yagura_model::{Outcome, Resource};

pub(crate) const KIND: &str = "docker.dockerfile";

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// The build stages; NOT_ASSESSED when unobserved or when the file has no FROM.
pub(crate) fn stages(r: &Resource) -> Result<&[Value], Outcome> {
    let s = r.attr("stages").array().map_err(Outcome::from)?;
    if s.is_empty() {
        return Err(Outcome::NotAssessed(
            "the Dockerfile has no FROM instruction, so it builds no image".into(),
        ));
    }
    Ok(s)
}

/// One instruction of a stage (FROM lines are the stages themselves).
pub(crate) struct Instr<'a> {
    pub v: &'a Value,
}

impl<'a> Instr<'a> {
    pub fn keyword(&self) -> &'a str {
        self.v
            .get("instruction")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn line(&self) -> u64 {
        self.v
            .get("start_line")
            .and_then(Value::as_u64)
            .unwrap_or(0)
    }

    pub fn arguments(&self) -> &'a str {
        self.v
            .get("arguments")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The arguments after ARG/ENV substitution; `Err` names the expression
    /// when it depends on a build argument without a default.
    pub fn expanded(&self) -> Result<&'a str, String> {
        match self.v.get("expanded") {
            Some(v) if is_unknown(v) => Err(unknown_reason(v).unwrap_or("?").to_string()),
            Some(Value::String(s)) => Ok(s),
            _ => Ok(self.arguments()),
        }
    }

    pub fn exec_form(&self) -> Option<Vec<&'a str>> {
        self.v
            .get("exec_form")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
    }

    /// The values of flag `--name` (a flag given without a value reads as "").
    pub fn flag(&self, name: &str) -> Vec<&'a str> {
        let one = |v: &'a Value| match v {
            Value::String(s) => Some(s.as_str()),
            Value::Bool(true) => Some(""),
            _ => None,
        };
        match self.v.get("flags").and_then(|f| f.get(name)) {
            Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
            Some(v) => one(v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// The shell text a RUN executes: its command line and any heredoc bodies.
    pub fn script(&self) -> String {
        let mut s = match self.exec_form() {
            // `["/bin/sh", "-c", "script"]` runs the script through a shell.
            Some(words)
                if words.len() >= 3
                    && SHELLS.contains(&base_name(words[0]))
                    && words[1] == "-c" =>
            {
                words[2..].join(" ")
            }
            Some(words) => words.join(" "),
            None => self.arguments().to_string(),
        };
        for doc in self
            .v
            .get("heredocs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            s.push('\n');
            s.push_str(doc.get("body").and_then(Value::as_str).unwrap_or(""));
        }
        s
    }

    /// ENV/ARG `(name, value)` pairs; `None` is an ARG without a default.
    pub fn vars(&self) -> Vec<(&'a str, Option<&'a str>)> {
        self.v
            .get("vars")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?;
                Some((name, p.get("value").and_then(Value::as_str)))
            })
            .collect()
    }
}

/// Every instruction of every stage, in file order.
pub(crate) fn instructions(r: &Resource) -> Result<Vec<Instr<'_>>, Outcome> {
    Ok(stages(r)?
        .iter()
        .flat_map(|s| {
            s.get("instructions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .map(|v| Instr { v })
        .collect())
}

/// The instructions with keyword `kw`.
pub(crate) fn of_keyword<'a>(r: &'a Resource, kw: &str) -> Result<Vec<Instr<'a>>, Outcome> {
    Ok(instructions(r)?
        .into_iter()
        .filter(|i| i.keyword() == kw)
        .collect())
}

/// FAIL with every problem found; else NOT_ASSESSED if some part could not be
/// judged; else PASS.
pub(crate) fn verdict(fails: Vec<String>, unknown: Vec<String>, pass: &str) -> Outcome {
    if !fails.is_empty() {
        Outcome::Fail(fails.join("; "))
    } else if !unknown.is_empty() {
        Outcome::NotAssessed(unknown.join("; "))
    } else {
        Outcome::Pass(pass.to_string())
    }
}

/// The base images pulled from a registry: `(from_line, base)` for every stage
/// that is neither `scratch` nor built on an earlier stage.
static NULL: Value = Value::Null;

pub(crate) fn external_bases(stages: &[Value]) -> Vec<(u64, &Value)> {
    stages
        .iter()
        .filter_map(|s| {
            // An unobserved base stays in the list, so checks report it unknown.
            let base = s.get("base").unwrap_or(&NULL);
            let is_stage = base.get("stage").is_some_and(|v| !v.is_null());
            let scratch = base.get("scratch").and_then(Value::as_bool) == Some(true);
            if is_stage || scratch {
                return None;
            }
            let line = s.get("from_line").and_then(Value::as_u64).unwrap_or(0);
            Some((line, base))
        })
        .collect()
}

/// The image reference as written in FROM, for messages.
pub(crate) fn reference(base: &Value) -> &str {
    base.get("reference").and_then(Value::as_str).unwrap_or("?")
}

/// "line N (FROM image)" for the last stage, the one that becomes the image.
pub(crate) fn final_stage(stages: &[Value]) -> String {
    let Some(last) = stages.last() else {
        return "the final stage".into();
    };
    let line = last.get("from_line").and_then(Value::as_u64).unwrap_or(0);
    match last.get("base") {
        Some(b) => format!("line {line} (FROM {})", reference(b)),
        None => format!("line {line}"),
    }
}
