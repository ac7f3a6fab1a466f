//! Dockerfile parser producing one normalized `docker.dockerfile` resource per
//! file (schema: docs/resource-model-dockerfile.md).
//!
//! The parser follows Docker's own rules where they matter for security checks:
//! parser directives (`# escape=`, `# syntax=`), line continuations with the
//! file's escape character, comments inside continuations, heredocs, exec (JSON)
//! versus shell form, flags, multi-stage builds and ARG/ENV substitution. A line
//! it cannot read becomes a [`ParseIssue`] and the rest of the file is still read.
//! Nothing here panics on bad input; values that depend on build arguments
//! without defaults stay unknown (`{"$unknown": ...}`), never guessed.

mod expand;
mod lex;

use expand::{expand, Scope, UNKNOWN_MARK};
use serde_json::{json, Map, Value};
use yagura_model::iac::unknown;
pub use yagura_model::iac::ParseIssue;
use yagura_model::{Location, Resource, SourceKind};

/// The normalized kind of a parsed Dockerfile.
pub const KIND: &str = "docker.dockerfile";

/// More issues than this in one file means it is not a Dockerfile at all (a
/// binary, say); the rest are summarised in one issue.
const MAX_ISSUES: usize = 100;

const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];
/// Instructions that take `--name[=value]` flags before their arguments.
const WITH_FLAGS: &[&str] = &["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"];
/// Instructions with a JSON (exec) form.
const WITH_EXEC_FORM: &[&str] = &["RUN", "CMD", "ENTRYPOINT", "SHELL", "ADD", "COPY", "VOLUME"];
/// Instructions whose arguments Docker itself expands with ARG/ENV values.
const EXPANDED: &[&str] = &[
    "ADD",
    "COPY",
    "ENV",
    "EXPOSE",
    "LABEL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Whether a file should be read as a Dockerfile: `Dockerfile`, `Containerfile`,
/// `*.Dockerfile`, `*.dockerfile`, and `Dockerfile.*` / `Containerfile.*` variants
/// that contain a FROM instruction (so `Dockerfile.md` notes are left alone).
pub fn looks_like_dockerfile(file_name: &str, text: &str) -> bool {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    if base == "dockerfile" || base == "containerfile" {
        return true;
    }
    if base.ends_with(".dockerfile") || base.ends_with(".containerfile") {
        return true;
    }
    let variant = base.starts_with("dockerfile.") || base.starts_with("containerfile.");
    if !variant || base.ends_with(".dockerignore") {
        return false;
    }
    text.lines().any(|l| {
        l.trim_start()
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case("from "))
    })
}

/// What [`load`] read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub resources: Vec<Resource>,
    pub issues: Vec<ParseIssue>,
}

struct Stage {
    name: Option<String>,
    base: Value,
    from_line: u32,
    end_line: u32,
    instructions: Vec<Value>,
    scope: Scope,
    /// The stage this one builds on, when its FROM names an earlier stage.
    parent: Option<usize>,
    user: Option<(Value, u32)>,
    healthcheck: Option<(bool, u32)>,
}

struct Issues {
    file: String,
    list: Vec<ParseIssue>,
    dropped: usize,
}

impl Issues {
    fn push(&mut self, line: u32, message: String) {
        if self.list.len() >= MAX_ISSUES {
            self.dropped += 1;
            return;
        }
        self.list.push(ParseIssue {
            file: self.file.clone(),
            line: Some(line),
            message,
        });
    }
}

/// Parses one Dockerfile. `file_label` is the path shown in findings.
pub fn load(file_label: &str, text: &str) -> Output {
    let lexed = lex::lex(text);
    let escape = lexed.escape;
    let mut issues = Issues {
        file: file_label.to_string(),
        list: Vec::new(),
        dropped: 0,
    };
    for (line, msg) in &lexed.issues {
        issues.push(*line, msg.clone());
    }

    let mut global = Scope::default();
    let mut global_args: Vec<Value> = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();

    for logical in &lexed.logical {
        let line = logical.start_line;
        let text = logical.text.trim();
        let (word, rest) = split_word(text);
        let kw = word.to_ascii_uppercase();
        if !INSTRUCTIONS.contains(&kw.as_str()) {
            issues.push(line, format!("unknown instruction `{}`", shorten(word)));
            continue;
        }
        let (flags, rest) = if WITH_FLAGS.contains(&kw.as_str()) {
            parse_flags(rest)
        } else {
            (Map::new(), rest.trim())
        };
        if rest.is_empty() {
            issues.push(line, format!("{kw} has no arguments"));
            continue;
        }

        if kw == "FROM" {
            let stage = new_stage(rest, &flags, logical, &global, &stages, escape, &mut issues);
            stages.push(stage);
            continue;
        }
        let Some(stage) = stages.last_mut() else {
            if kw == "ARG" {
                match parse_vars(&kw, rest, escape) {
                    Ok(vars) => {
                        for (name, value) in vars {
                            let known = value.as_deref().and_then(|v| known(v, &global, escape));
                            global_args.push(json!({"name": name, "value": value}));
                            global.args.insert(name, known);
                        }
                    }
                    Err(e) => issues.push(line, e),
                }
            } else {
                issues.push(line, format!("{kw} before the first FROM"));
            }
            continue;
        };

        let mut instr = Map::new();
        instr.insert("instruction".into(), json!(kw));
        instr.insert("arguments".into(), json!(rest));
        let exec_form = if WITH_EXEC_FORM.contains(&kw.as_str()) && rest.starts_with('[') {
            // Invalid JSON falls back to the shell form, as in Docker.
            serde_json::from_str::<Vec<String>>(rest).ok()
        } else {
            None
        };
        instr.insert("exec_form".into(), json!(exec_form));
        instr.insert("flags".into(), Value::Object(flags));
        instr.insert("start_line".into(), json!(line));
        instr.insert("end_line".into(), json!(logical.end_line));
        if !logical.heredocs.is_empty() {
            let docs: Vec<Value> = logical
                .heredocs
                .iter()
                .map(|h| {
                    json!({"name": h.name, "body": h.body,
                        "start_line": h.start_line, "end_line": h.end_line})
                })
                .collect();
            instr.insert("heredocs".into(), Value::Array(docs));
        }
        if EXPANDED.contains(&kw.as_str()) && rest.contains('$') {
            let e = expand(rest, &stage.scope, escape);
            if e != rest {
                let v = if e.contains(UNKNOWN_MARK) {
                    unknown(rest)
                } else {
                    json!(e)
                };
                instr.insert("expanded".into(), v);
            }
        }
        match kw.as_str() {
            "ENV" | "ARG" => match parse_vars(&kw, rest, escape) {
                Ok(vars) => {
                    let mut list = Vec::new();
                    for (name, value) in vars {
                        list.push(json!({"name": name, "value": value}));
                        if kw == "ENV" {
                            let k = value
                                .as_deref()
                                .and_then(|v| known(v, &stage.scope, escape));
                            stage.scope.env.insert(name, k);
                        } else {
                            // A bare `ARG X` in a stage brings in the global default.
                            let k = match value.as_deref() {
                                Some(v) => known(v, &stage.scope, escape),
                                None => global.args.get(&name).cloned().flatten(),
                            };
                            stage.scope.args.insert(name, k);
                        }
                    }
                    instr.insert("vars".into(), Value::Array(list));
                }
                Err(e) => issues.push(line, e),
            },
            "USER" => {
                let e = expand(rest, &stage.scope, escape);
                let v = if e.contains(UNKNOWN_MARK) {
                    unknown(rest)
                } else {
                    json!(e.trim())
                };
                stage.user = Some((v, line));
            }
            "HEALTHCHECK" => {
                let (first, _) = split_word(rest);
                let first = first.to_ascii_uppercase();
                if first != "NONE" && first != "CMD" {
                    issues.push(line, "HEALTHCHECK must be followed by CMD or NONE".into());
                }
                stage.healthcheck = Some((first == "NONE", line));
            }
            _ => {}
        }
        stage.end_line = logical.end_line;
        stage.instructions.push(Value::Object(instr));
    }

    if stages.is_empty() {
        // Said even past the cap: it is why nothing in the file was checked.
        issues.list.push(ParseIssue {
            file: file_label.to_string(),
            line: None,
            message: "no FROM instruction: this is not a complete Dockerfile".into(),
        });
    }
    if issues.dropped > 0 {
        let n = issues.dropped;
        issues.list.push(ParseIssue {
            file: file_label.to_string(),
            line: None,
            message: format!("{n} further problems not listed"),
        });
    }

    let last = stages.len().checked_sub(1);
    let user = last
        .and_then(|i| inherited(&stages, i, |s| s.user.clone()))
        .map(|((name, line), stage)| json!({"name": name, "line": line, "stage": stage}));
    let healthcheck = last
        .and_then(|i| inherited(&stages, i, |s| s.healthcheck))
        .map(
            |((disabled, line), stage)| json!({"disabled": disabled, "line": line, "stage": stage}),
        );
    let stage_docs: Vec<Value> = stages
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "index": i,
                "name": s.name,
                "base": s.base,
                "from_line": s.from_line,
                "end_line": s.end_line,
                "instructions": s.instructions,
            })
        })
        .collect();
    let attributes = json!({
        "syntax": lexed.syntax,
        "escape": lexed.escape.to_string(),
        "global_args": global_args,
        "stages": stage_docs,
        "user": user,
        "healthcheck": healthcheck,
        "parse_issues": issues.list.len(),
    });

    let mut r = Resource::new(KIND, format!("dockerfile:{file_label}"), file_label);
    r.source = SourceKind::Dockerfile;
    r.location = Some(Location::lines(file_label, 1, lexed.line_count.max(1)));
    r.attributes = attributes;
    Output {
        resources: vec![r],
        issues: issues.list,
    }
}

/// A stage's own setting, else the one of the stage it builds on.
fn inherited<T>(
    stages: &[Stage],
    mut idx: usize,
    get: impl Fn(&Stage) -> Option<T>,
) -> Option<(T, usize)> {
    loop {
        let s = stages.get(idx)?;
        if let Some(v) = get(s) {
            return Some((v, idx));
        }
        // Parents are always earlier stages, so this ends.
        idx = s.parent?;
    }
}

fn new_stage(
    rest: &str,
    flags: &Map<String, Value>,
    logical: &lex::Logical,
    global: &Scope,
    stages: &[Stage],
    escape: char,
    issues: &mut Issues,
) -> Stage {
    let line = logical.start_line;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let raw = words.first().copied().unwrap_or("");
    let name = match words.as_slice() {
        [_] => None,
        [_, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
        _ => {
            issues.push(
                line,
                format!(
                    "malformed FROM `{}` (expected `FROM image [AS name]`)",
                    shorten(rest)
                ),
            );
            None
        }
    };
    if let Some(n) = &name {
        if stages.iter().any(|s| s.name.as_ref() == Some(n)) {
            issues.push(line, format!("duplicate stage name `{}`", shorten(n)));
        }
    }
    let expanded = expand(raw, global, escape);
    let lower = expanded.to_ascii_lowercase();
    let parent = stages
        .iter()
        .position(|s| s.name.as_deref() == Some(lower.as_str()));
    let platform = flags.get("platform").cloned().unwrap_or(Value::Null);
    let base = match parent {
        Some(_) => json!({"reference": raw, "image": lower, "tag": null, "digest": null,
            "platform": platform, "stage": lower, "scratch": false}),
        None => {
            let (image, tag, digest) = split_reference(&expanded, raw);
            json!({"reference": raw, "image": image, "tag": tag, "digest": digest,
                "platform": platform, "stage": null, "scratch": lower == "scratch"})
        }
    };
    let scope = Scope {
        args: Default::default(),
        // ENV carries over to stages built on this one; ARG does not.
        env: parent
            .and_then(|p| stages.get(p))
            .map(|p| p.scope.env.clone())
            .unwrap_or_default(),
    };
    Stage {
        name,
        base,
        from_line: line,
        end_line: logical.end_line,
        instructions: Vec::new(),
        scope,
        parent,
        user: None,
        healthcheck: None,
    }
}

/// `[registry/]path[:tag][@digest]` into image, tag and digest. Parts built from
/// unknown variables are unknown; so is a missing tag or digest when a variable
/// in the last path component could have supplied one.
fn split_reference(expanded: &str, raw: &str) -> (Value, Value, Value) {
    let marked = |s: &str| s.contains(UNKNOWN_MARK);
    let (name_tag, digest) = match expanded.split_once('@') {
        Some((a, d)) => (a, Some(d)),
        None => (expanded, None),
    };
    let tail_start = name_tag.rfind('/').map(|i| i + 1).unwrap_or(0);
    let tail = &name_tag[tail_start..];
    let tail_unknown = marked(tail);
    let (image, tag) = match tail.rfind(':') {
        Some(j) => (
            &name_tag[..tail_start + j],
            Some(&name_tag[tail_start + j + 1..]),
        ),
        None => (name_tag, None),
    };
    let part = |p: Option<&str>, may_hide: bool| match p {
        Some(p) if marked(p) => unknown(raw),
        Some(p) => json!(p),
        None if may_hide => unknown(raw),
        None => Value::Null,
    };
    (
        part(Some(image), false),
        part(tag, tail_unknown),
        part(digest, tail_unknown),
    )
}

/// The value of `v` after substitution, or `None` if it depends on an unknown.
fn known(v: &str, scope: &Scope, escape: char) -> Option<String> {
    let e = expand(v, scope, escape);
    (!e.contains(UNKNOWN_MARK)).then_some(e)
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

/// Leading `--name[=value]` flags. A flag given twice (`--mount`) becomes a list.
fn parse_flags(mut rest: &str) -> (Map<String, Value>, &str) {
    let mut flags = Map::new();
    loop {
        let (word, after) = split_word(rest);
        let Some(flag) = word.strip_prefix("--") else {
            break;
        };
        if flag.is_empty() {
            break;
        }
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n.to_string(), json!(v)),
            None => (flag.to_string(), json!(true)),
        };
        match flags.get_mut(&name) {
            Some(Value::Array(list)) => list.push(value),
            Some(prev) => *prev = json!([prev.clone(), value]),
            None => {
                flags.insert(name, value);
            }
        }
        rest = after;
    }
    (flags, rest.trim())
}

/// The `NAME=value` pairs of ENV and ARG (and the legacy `ENV NAME value`).
/// Quotes are removed; `None` is an ARG without a default.
fn parse_vars(kw: &str, rest: &str, escape: char) -> Result<Vec<(String, Option<String>)>, String> {
    let (first, after) = split_word(rest);
    if kw == "ENV" && !first.contains('=') {
        if after.is_empty() {
            return Err(format!("ENV {} has no value", shorten(first)));
        }
        let value = shell_words(after, escape).join(" ");
        return Ok(vec![(first.to_string(), Some(value))]);
    }
    let mut out = Vec::new();
    for word in shell_words(rest, escape) {
        match word.split_once('=') {
            Some(("", _)) => return Err(format!("{kw} `{}` has no name", shorten(&word))),
            Some((name, value)) => out.push((name.to_string(), Some(value.to_string()))),
            None if kw == "ARG" => out.push((word, None)),
            None => return Err(format!("ENV `{}` has no value", shorten(&word))),
        }
    }
    Ok(out)
}

/// Splits on unquoted whitespace and removes quotes. The escape character keeps
/// the next character literally, except before `$` where it stays so that
/// substitution later still sees an escaped dollar.
fn shell_words(s: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('\'') => cur.push(c),
            _ if c == escape => {
                if let Some(&n) = chars.peek() {
                    if n == '$' {
                        cur.push(c);
                    }
                    cur.push(n);
                    chars.next();
                }
                in_word = true;
            }
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Echoed source text is cut short so a binary file cannot flood the issues.
fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}
