//! Loading Falco rule YAML and compiling rules into expression trees.

use std::collections::{BTreeSet, HashMap};

use serde_yaml::Value as Yaml;

use crate::condition::{parse_condition, CmpOp, Expr, FieldRef, Operand, Value};

/// A rule file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: invalid YAML: {message}")]
    Yaml { file: String, message: String },
    #[error("{file}:{line}: item {index} ({name}): {message}")]
    Item {
        file: String,
        /// 1-based line of the item (`- rule: ...`), 0 when unknown.
        line: usize,
        index: usize,
        name: String,
        message: String,
    },
    /// A rule or macro condition that does not parse.
    #[error("{}", .0)]
    Condition(InvalidItem),
}

/// What to do with items whose condition does not parse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Load the rest and record the bad items in [`RuleSet::invalid`]
    /// (Falco's `--skip-invalid-rules`); by default loading fails.
    pub skip_invalid: bool,
}

/// A rule or macro whose condition does not parse, with where.
///
/// The line is exact for the item and for plain, folded (`>`) and literal (`|`)
/// condition scalars; inside quoted scalars with escapes the column is approximate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidItem {
    /// `rule` or `macro`.
    pub kind: &'static str,
    pub name: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for InvalidItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} {:?}: invalid condition: {}",
            self.file, self.line, self.column, self.kind, self.name, self.message
        )
    }
}

/// Our extension: what the sensor does when a rule matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Response {
    /// Report only (Falco's behaviour).
    #[default]
    Log,
    /// Kill the offending thread group (from the kernel where possible).
    Kill,
    /// Kill the process after the fact, from user space.
    KillProcess,
}

impl Response {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "log" => Self::Log,
            "kill" => Self::Kill,
            "kill-process" => Self::KillProcess,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Log => "log",
            Self::Kill => "kill",
            Self::KillProcess => "kill-process",
        }
    }
}

/// A rule exception as written in YAML; turned into `and not (...)` at compile time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exception {
    pub name: String,
    /// Several fields (tuple form) or one field (`single` is then true).
    pub fields: Vec<String>,
    pub single: bool,
    pub comps: Vec<String>,
    /// Each entry is one tuple (or, in single form, one value).
    pub values: Vec<Yaml>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub condition: String,
    pub output: String,
    pub desc: String,
    pub priority: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub source: String,
    pub exceptions: Vec<Exception>,
    pub response: Response,
    pub file: String,
    /// 1-based line of `- rule:` in `file` (0 when unknown).
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Macro {
    pub name: String,
    pub condition: String,
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub name: String,
    pub items: Vec<String>,
    pub file: String,
}

/// Rules, macros and lists in definition order, after appends and overrides.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub macros: Vec<Macro>,
    pub lists: Vec<List>,
    pub required_engine_version: Option<String>,
    /// Items dropped because their condition does not parse
    /// (only with [`LoadOptions::skip_invalid`]).
    pub invalid: Vec<InvalidItem>,
}

/// Load a single rule file.
pub fn load_rules(yaml_text: &str, file: &str) -> Result<RuleSet, LoadError> {
    let mut set = RuleSet::default();
    set.load(yaml_text, file)?;
    Ok(set)
}

/// Load several files in order; later files append to or override earlier ones.
pub fn load_rules_files<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<RuleSet, LoadError> {
    load_rules_files_with(files, &LoadOptions::default())
}

/// [`load_rules_files`] with options.
pub fn load_rules_files_with<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    opts: &LoadOptions,
) -> Result<RuleSet, LoadError> {
    let mut set = RuleSet::default();
    for (text, file) in files {
        set.load_with(text, file, opts)?;
    }
    Ok(set)
}

/// 1-based line of each top-level sequence item (`- ` in column 0), in order.
/// serde_yaml keeps no spans, and top-level items of a rule file always start
/// in column 0 (block scalars inside them are indented), so a text scan is exact.
fn item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1)
        .collect()
}

/// Line and column (1-based) of byte `offset` of the condition of the item starting
/// at `item_line`. Plain and folded scalars join their lines with single spaces and
/// literal ones with newlines, so walking the trimmed source lines maps the offset.
fn condition_position(text: &str, item_line: usize, offset: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let start = item_line.saturating_sub(1);
    let mut cond_line = None;
    for (i, l) in lines.iter().enumerate().skip(start) {
        if i > start && (l.starts_with("- ") || *l == "-") {
            break;
        }
        let t = l.trim_start().trim_start_matches("- ");
        if t.starts_with("condition:") {
            cond_line = Some(i);
            break;
        }
    }
    let Some(ci) = cond_line else {
        return (item_line, 1);
    };
    let l = lines[ci];
    let key = l.find("condition:").unwrap_or(0) + "condition:".len();
    let inline = &l[key..];
    let inline_trim = inline.trim_start();
    let mut remaining = offset;
    // Inline value (not a block indicator): the condition starts on this line.
    let mut rows: Vec<(usize, usize, &str)> = Vec::new();
    let is_block = inline_trim.starts_with('>') || inline_trim.starts_with('|');
    if !is_block && !inline_trim.is_empty() {
        let col0 = key + (inline.len() - inline_trim.len());
        let mut content = inline_trim.trim_end();
        let mut col = col0;
        if content.starts_with('"') || content.starts_with('\'') {
            content = &content[1..];
            col += 1;
        }
        rows.push((ci, col, content));
    }
    for (i, l) in lines.iter().enumerate().skip(ci + 1) {
        let indent = l.len() - l.trim_start().len();
        if !l.trim().is_empty() && indent <= key - "condition:".len() {
            break;
        }
        rows.push((i, indent, l.trim()));
    }
    for (i, col, content) in &rows {
        if remaining <= content.len() {
            return (i + 1, col + remaining + 1);
        }
        remaining -= content.len() + 1;
    }
    match rows.last() {
        Some((i, col, content)) => (i + 1, col + content.len() + 1),
        None => (ci + 1, key + 1),
    }
}

fn yaml_str(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn str_list(v: &Yaml) -> Vec<String> {
    match v {
        Yaml::Sequence(s) => s.iter().filter_map(yaml_str).collect(),
        other => yaml_str(other).into_iter().collect(),
    }
}

/// How a field of an existing item is changed by a later definition.
#[derive(Clone, Copy, PartialEq)]
enum Merge {
    Replace,
    Append,
}

impl RuleSet {
    /// Merge one more rule file into this set; a condition that does not parse fails.
    pub fn load(&mut self, yaml_text: &str, file: &str) -> Result<(), LoadError> {
        self.load_with(yaml_text, file, &LoadOptions::default())
    }

    /// Merge one more rule file into this set.
    pub fn load_with(
        &mut self,
        yaml_text: &str,
        file: &str,
        opts: &LoadOptions,
    ) -> Result<(), LoadError> {
        let lines = item_lines(yaml_text);
        let mut invalid = Vec::new();
        let r = self.load_items(yaml_text, file, opts, &lines, &mut invalid);
        self.invalid.extend(invalid);
        r
    }

    fn load_items(
        &mut self,
        yaml_text: &str,
        file: &str,
        opts: &LoadOptions,
        lines: &[usize],
        invalid: &mut Vec<InvalidItem>,
    ) -> Result<(), LoadError> {
        let doc: Yaml = serde_yaml::from_str(yaml_text).map_err(|e| LoadError::Yaml {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let items = match doc {
            Yaml::Null => return Ok(()),
            Yaml::Sequence(items) => items,
            _ => {
                return Err(LoadError::Yaml {
                    file: file.into(),
                    message: "top level must be a list of items".into(),
                })
            }
        };
        for (index, item) in items.iter().enumerate() {
            let line = lines.get(index).copied().unwrap_or(0);
            let Yaml::Mapping(map) = item else {
                return Err(LoadError::Item {
                    file: file.into(),
                    line,
                    index,
                    name: String::new(),
                    message: "item is not a mapping".into(),
                });
            };
            let get = |k: &str| map.get(Yaml::String(k.into()));
            let err = |name: &str, message: String| LoadError::Item {
                file: file.into(),
                line,
                index,
                name: name.into(),
                message,
            };
            // Ok(true): keep the item; Ok(false): skip it (recorded as invalid).
            // `own` is where this item's text starts in `cond` (after an appended-to
            // condition); errors before it point at the item itself.
            let mut validate = |kind: &'static str, name: &str, cond: &str, own: usize| {
                match parse_condition(cond) {
                    Ok(_) => Ok(true),
                    Err(e) => {
                        let (l, c) = match e.offset.checked_sub(own) {
                            Some(off) => condition_position(yaml_text, line, off),
                            None => (line, 1),
                        };
                        let bad = InvalidItem {
                            kind,
                            name: name.to_string(),
                            file: file.to_string(),
                            line: l,
                            column: c,
                            message: e.message,
                        };
                        if opts.skip_invalid {
                            invalid.push(bad);
                            Ok(false)
                        } else {
                            Err(LoadError::Condition(bad))
                        }
                    }
                }
            };
            if let Some(v) = get("required_engine_version") {
                self.required_engine_version = yaml_str(v);
                continue;
            }
            if get("required_plugin_versions").is_some() {
                continue;
            }
            let old_append = get("append").and_then(Yaml::as_bool).unwrap_or(false);
            let overrides: HashMap<String, Merge> = match get("override") {
                Some(Yaml::Mapping(m)) => m
                    .iter()
                    .filter_map(|(k, v)| {
                        let k = yaml_str(k)?;
                        let how = match yaml_str(v)?.as_str() {
                            "append" => Merge::Append,
                            "replace" => Merge::Replace,
                            _ => return None,
                        };
                        Some((k, how))
                    })
                    .collect(),
                Some(_) => return Err(err("", "override must be a mapping".into())),
                None => HashMap::new(),
            };
            let is_update = old_append || !overrides.is_empty();
            let how = |key: &str| {
                if old_append {
                    Some(Merge::Append)
                } else {
                    overrides.get(key).copied()
                }
            };
            if let Some(name) = get("rule").and_then(yaml_str) {
                let exceptions = match get("exceptions") {
                    Some(v) => parse_exceptions(v).map_err(|m| err(&name, m))?,
                    None => Vec::new(),
                };
                let response = match get("response") {
                    None => None,
                    Some(v) => match yaml_str(v).as_deref().and_then(Response::parse) {
                        Some(r) => Some(r),
                        None => {
                            return Err(err(
                                &name,
                                format!("response must be kill, kill-process or log, not {v:?}"),
                            ))
                        }
                    },
                };
                if is_update {
                    let Some(pos) = self.rules.iter().position(|r| r.name == name) else {
                        return Err(err(&name, "append/override of an undefined rule".into()));
                    };
                    let rule = &mut self.rules[pos];
                    let own = appended_offset(&rule.condition, how("condition"));
                    apply_text(&mut rule.condition, get("condition"), how("condition"));
                    if let Some(r) = response {
                        rule.response = r;
                    }
                    apply_text(&mut rule.output, get("output"), how("output"));
                    apply_text(&mut rule.desc, get("desc"), how("desc"));
                    if let Some(p) = get("priority").and_then(yaml_str) {
                        rule.priority = p;
                    }
                    if let Some(t) = get("tags") {
                        if how("tags") == Some(Merge::Append) {
                            rule.tags.extend(str_list(t));
                        } else {
                            rule.tags = str_list(t);
                        }
                    }
                    if let Some(e) = get("enabled").and_then(Yaml::as_bool) {
                        rule.enabled = e;
                    }
                    if !exceptions.is_empty() {
                        merge_exceptions(&mut rule.exceptions, exceptions, how("exceptions"));
                    }
                    if get("condition").is_some() {
                        let cond = rule.condition.clone();
                        if !validate("rule", &name, &cond, own)? {
                            self.rules.remove(pos);
                        }
                    }
                    continue;
                }
                // `- rule: x` with only `enabled:` toggles an existing rule.
                if get("condition").is_none() {
                    if let (Some(e), Some(rule)) = (
                        get("enabled").and_then(Yaml::as_bool),
                        self.rules.iter_mut().find(|r| r.name == name),
                    ) {
                        rule.enabled = e;
                        continue;
                    }
                    return Err(err(&name, "rule without condition".into()));
                }
                let rule = Rule {
                    name: name.clone(),
                    condition: get("condition").and_then(yaml_str).unwrap_or_default(),
                    output: get("output").and_then(yaml_str).unwrap_or_default(),
                    desc: get("desc").and_then(yaml_str).unwrap_or_default(),
                    priority: get("priority").and_then(yaml_str).unwrap_or_default(),
                    tags: get("tags").map(str_list).unwrap_or_default(),
                    enabled: get("enabled").and_then(Yaml::as_bool).unwrap_or(true),
                    source: get("source")
                        .and_then(yaml_str)
                        .unwrap_or_else(|| "syscall".into()),
                    exceptions,
                    response: response.unwrap_or_default(),
                    file: file.into(),
                    line,
                };
                if !validate("rule", &name, &rule.condition, 0)? {
                    continue;
                }
                match self.rules.iter_mut().find(|r| r.name == name) {
                    Some(existing) => *existing = rule,
                    None => self.rules.push(rule),
                }
            } else if let Some(name) = get("macro").and_then(yaml_str) {
                let cond = get("condition");
                if is_update {
                    let Some(pos) = self.macros.iter().position(|m| m.name == name) else {
                        return Err(err(&name, "append/override of an undefined macro".into()));
                    };
                    let own = appended_offset(&self.macros[pos].condition, how("condition"));
                    apply_text(&mut self.macros[pos].condition, cond, how("condition"));
                    let combined = self.macros[pos].condition.clone();
                    if !validate("macro", &name, &combined, own)? {
                        self.macros.remove(pos);
                    }
                    continue;
                }
                let Some(condition) = cond.and_then(yaml_str) else {
                    return Err(err(&name, "macro without condition".into()));
                };
                if !validate("macro", &name, &condition, 0)? {
                    continue;
                }
                let m = Macro {
                    name: name.clone(),
                    condition,
                    file: file.into(),
                    line,
                };
                match self.macros.iter_mut().find(|x| x.name == name) {
                    Some(existing) => *existing = m,
                    None => self.macros.push(m),
                }
            } else if let Some(name) = get("list").and_then(yaml_str) {
                let items = get("items").map(str_list).unwrap_or_default();
                if is_update {
                    let Some(l) = self.lists.iter_mut().find(|l| l.name == name) else {
                        return Err(err(&name, "append/override of an undefined list".into()));
                    };
                    if how("items") == Some(Merge::Replace) {
                        l.items = items;
                    } else {
                        l.items.extend(items);
                    }
                    continue;
                }
                let l = List {
                    name: name.clone(),
                    items,
                    file: file.into(),
                };
                match self.lists.iter_mut().find(|x| x.name == name) {
                    Some(existing) => *existing = l,
                    None => self.lists.push(l),
                }
            } else {
                return Err(err("", "unknown item kind".into()));
            }
        }
        Ok(())
    }
}

/// Where appended text will start in `current` once [`apply_text`] ran.
fn appended_offset(current: &str, how: Option<Merge>) -> usize {
    match how {
        Some(Merge::Append) => current.len() + 1,
        _ => 0,
    }
}

fn apply_text(target: &mut String, new: Option<&Yaml>, how: Option<Merge>) {
    let Some(new) = new.and_then(yaml_str) else {
        return;
    };
    match how {
        Some(Merge::Append) => {
            target.push(' ');
            target.push_str(&new);
        }
        _ => *target = new,
    }
}

fn merge_exceptions(target: &mut Vec<Exception>, new: Vec<Exception>, how: Option<Merge>) {
    if how == Some(Merge::Replace) {
        *target = new;
        return;
    }
    for e in new {
        match target.iter_mut().find(|x| x.name == e.name) {
            Some(existing) => existing.values.extend(e.values),
            None => target.push(e),
        }
    }
}

fn parse_exceptions(v: &Yaml) -> Result<Vec<Exception>, String> {
    let Yaml::Sequence(seq) = v else {
        return Err("exceptions must be a list".into());
    };
    let mut out = Vec::new();
    for e in seq {
        let Yaml::Mapping(m) = e else {
            return Err("exception must be a mapping".into());
        };
        let get = |k: &str| m.get(Yaml::String(k.into()));
        let name = get("name")
            .and_then(yaml_str)
            .ok_or("exception without name")?;
        let fields_v = get("fields");
        let single = matches!(fields_v, Some(Yaml::String(_)));
        out.push(Exception {
            name,
            fields: fields_v.map(str_list).unwrap_or_default(),
            single,
            comps: get("comps").map(str_list).unwrap_or_default(),
            values: match get("values") {
                Some(Yaml::Sequence(s)) => s.clone(),
                _ => Vec::new(),
            },
        });
    }
    Ok(out)
}

/// Why a rule was not compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    UnsupportedSource(String),
    Parse(String),
    UnknownMacro(String),
    MacroCycle(Vec<String>),
    BadException(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnsupportedSource(s) => write!(f, "unsupported source {s}"),
            Self::Parse(m) => write!(f, "parse error: {m}"),
            Self::UnknownMacro(m) => write!(f, "unknown macro {m}"),
            Self::MacroCycle(c) => write!(f, "macro cycle {}", c.join(" -> ")),
            Self::BadException(m) => write!(f, "bad exception: {m}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub name: String,
    pub priority: String,
    pub enabled: bool,
    pub output: String,
    pub tags: Vec<String>,
    pub response: Response,
    pub file: String,
    pub line: usize,
    /// Macros and lists expanded, exceptions appended.
    pub expr: Expr,
    pub fields: BTreeSet<FieldRef>,
    /// Event types the rule can match; `None` means any event type.
    pub event_types: Option<BTreeSet<String>>,
}

#[derive(Debug, Clone)]
pub struct SkippedRule {
    pub name: String,
    pub source: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Default)]
pub struct Compiled {
    pub rules: Vec<CompiledRule>,
    pub skipped: Vec<SkippedRule>,
    /// Macros that fail to expand on their own, with why.
    pub macro_errors: Vec<(String, SkipReason)>,
}

struct Expander<'a> {
    macros: HashMap<&'a str, Result<Expr, String>>,
    lists: HashMap<&'a str, Vec<String>>,
}

fn strip_quotes(s: &str) -> Value {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return Value::Quoted(s[1..s.len() - 1].to_string());
        }
    }
    Value::Bare(s.to_string())
}

impl<'a> Expander<'a> {
    fn new(set: &'a RuleSet) -> Self {
        let raw: HashMap<&str, &Vec<String>> = set
            .lists
            .iter()
            .map(|l| (l.name.as_str(), &l.items))
            .collect();
        let mut lists = HashMap::new();
        for l in &set.lists {
            let mut out = Vec::new();
            let mut seen = vec![l.name.as_str()];
            flatten_list(&l.items, &raw, &mut seen, &mut out);
            lists.insert(l.name.as_str(), out);
        }
        let macros = set
            .macros
            .iter()
            .map(|m| {
                (
                    m.name.as_str(),
                    parse_condition(&m.condition).map_err(|e| e.to_string()),
                )
            })
            .collect();
        Self { macros, lists }
    }

    fn expand(&self, e: &Expr, stack: &mut Vec<String>) -> Result<Expr, SkipReason> {
        Ok(match e {
            Expr::And(v) => Expr::And(
                v.iter()
                    .map(|x| self.expand(x, stack))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Or(v) => Expr::Or(
                v.iter()
                    .map(|x| self.expand(x, stack))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Not(x) => Expr::Not(Box::new(self.expand(x, stack)?)),
            Expr::Macro(name) => {
                if stack.contains(name) {
                    let mut c = stack.clone();
                    c.push(name.clone());
                    return Err(SkipReason::MacroCycle(c));
                }
                let body = match self.macros.get(name.as_str()) {
                    None => return Err(SkipReason::UnknownMacro(name.clone())),
                    Some(Err(m)) => return Err(SkipReason::Parse(format!("macro {name}: {m}"))),
                    Some(Ok(b)) => b,
                };
                stack.push(name.clone());
                let r = self.expand(body, stack);
                stack.pop();
                r?
            }
            Expr::Check { lhs, op, rhs } => Expr::Check {
                lhs: lhs.clone(),
                op: *op,
                rhs: rhs.as_ref().map(|v| self.expand_value(v)),
            },
        })
    }

    fn expand_value(&self, v: &Value) -> Value {
        match v {
            Value::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::Bare(name) if self.lists.contains_key(name.as_str()) => {
                            if let Some(l) = self.lists.get(name.as_str()) {
                                out.extend(l.iter().map(|s| strip_quotes(s)));
                            }
                        }
                        other => out.push(other.clone()),
                    }
                }
                Value::List(out)
            }
            other => other.clone(),
        }
    }
}

fn flatten_list<'a>(
    items: &'a [String],
    raw: &HashMap<&str, &'a Vec<String>>,
    seen: &mut Vec<&'a str>,
    out: &mut Vec<String>,
) {
    for item in items {
        match raw.get(item.as_str()) {
            Some(inner) if !seen.contains(&item.as_str()) => {
                seen.push(item.as_str());
                flatten_list(inner, raw, seen, out);
                seen.pop();
            }
            _ => out.push(item.clone()),
        }
    }
}

fn yaml_to_value(v: &Yaml) -> Result<Value, String> {
    match v {
        Yaml::Sequence(s) => Ok(Value::List(
            s.iter().map(yaml_to_value).collect::<Result<_, _>>()?,
        )),
        other => yaml_str(other)
            .map(Value::Quoted)
            .ok_or_else(|| "exception value is not a scalar or list".to_string()),
    }
}

fn parse_op(comp: &str) -> Result<CmpOp, String> {
    let probe = format!("x.y {comp} (a)");
    match parse_condition(&probe) {
        Ok(Expr::Check { op, .. }) => Ok(op),
        _ => match parse_condition(&format!("x.y {comp} a")) {
            Ok(Expr::Check { op, .. }) => Ok(op),
            _ => Err(format!("unknown comparison {comp:?}")),
        },
    }
}

fn field_operand(text: &str) -> Result<Operand, String> {
    match parse_condition(&format!("{text} exists")) {
        Ok(Expr::Check { lhs, .. }) => Ok(lhs),
        _ => Err(format!("bad exception field {text:?}")),
    }
}

/// One exception as Falco builds it: an `or` of tuple matches.
fn exception_expr(e: &Exception) -> Result<Option<Expr>, String> {
    if e.values.is_empty() {
        return Ok(None);
    }
    if e.single {
        let field = e.fields.first().ok_or("exception without fields")?;
        let comp = e.comps.first().map(String::as_str).unwrap_or("in");
        let op = parse_op(comp)?;
        let values: Vec<Value> = e
            .values
            .iter()
            .map(yaml_to_value)
            .collect::<Result<_, _>>()?;
        return Ok(Some(Expr::Check {
            lhs: field_operand(field)?,
            op,
            rhs: Some(if op.takes_list() {
                Value::List(values)
            } else {
                values
                    .into_iter()
                    .next()
                    .unwrap_or(Value::Quoted(String::new()))
            }),
        }));
    }
    let mut alternatives = Vec::new();
    for tuple in &e.values {
        let Yaml::Sequence(vals) = tuple else {
            return Err(format!("exception {}: value is not a tuple", e.name));
        };
        if vals.len() != e.fields.len() {
            return Err(format!(
                "exception {}: tuple size differs from fields",
                e.name
            ));
        }
        let mut terms = Vec::new();
        for (i, (field, v)) in e.fields.iter().zip(vals).enumerate() {
            let comp = e.comps.get(i).map(String::as_str).unwrap_or("=");
            let op = parse_op(comp)?;
            let mut value = yaml_to_value(v)?;
            if op.takes_list() && !matches!(value, Value::List(_)) {
                // A bare list name in a tuple refers to a Falco list.
                if let Value::Quoted(s) = value {
                    value = Value::List(vec![Value::Bare(s)]);
                }
            }
            terms.push(Expr::Check {
                lhs: field_operand(field)?,
                op,
                rhs: Some(value),
            });
        }
        alternatives.push(Expr::And(terms));
    }
    Ok(Some(Expr::Or(alternatives)))
}

fn collect_fields(e: &Expr, out: &mut BTreeSet<FieldRef>) {
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| collect_fields(x, out)),
        Expr::Not(x) => collect_fields(x, out),
        Expr::Macro(_) => {}
        Expr::Check { lhs, rhs, .. } => {
            out.insert(lhs.field().clone());
            if let Some(Value::FieldValue(f)) = rhs {
                out.insert(f.field().clone());
            }
        }
    }
}

/// Event types a (macro-expanded) expression is limited to; `None` = unrestricted.
/// Negations are treated as unrestricted, which is safe (never misses events).
pub fn event_types(e: &Expr) -> Option<BTreeSet<String>> {
    match e {
        Expr::And(v) => {
            let mut acc: Option<BTreeSet<String>> = None;
            for s in v.iter().filter_map(event_types) {
                acc = Some(match acc {
                    None => s,
                    Some(a) => a.intersection(&s).cloned().collect(),
                });
            }
            acc
        }
        Expr::Or(v) => {
            let mut acc = BTreeSet::new();
            for x in v {
                acc.extend(event_types(x)?);
            }
            Some(acc)
        }
        Expr::Check {
            lhs: Operand::Field(f),
            op,
            rhs: Some(rhs),
        } if f.name == "evt.type" && f.arg.is_none() => match (op, rhs) {
            (CmpOp::Eq, v) => v.as_text().map(|s| BTreeSet::from([s.to_string()])),
            (CmpOp::In, Value::List(items)) => items
                .iter()
                .map(|i| i.as_text().map(str::to_string))
                .collect(),
            _ => None,
        },
        _ => None,
    }
}

/// Expand macros and lists and precompute per-rule metadata.
pub fn compile(set: &RuleSet) -> Compiled {
    let ex = Expander::new(set);
    let mut out = Compiled::default();
    for m in &set.macros {
        if let Err(r) = ex.expand(&Expr::Macro(m.name.clone()), &mut Vec::new()) {
            out.macro_errors.push((m.name.clone(), r));
        }
    }
    for rule in &set.rules {
        let skip = |reason| SkippedRule {
            name: rule.name.clone(),
            source: rule.source.clone(),
            reason,
        };
        if rule.source != "syscall" {
            out.skipped
                .push(skip(SkipReason::UnsupportedSource(rule.source.clone())));
            continue;
        }
        let parsed = match parse_condition(&rule.condition) {
            Ok(p) => p,
            Err(e) => {
                out.skipped.push(skip(SkipReason::Parse(e.to_string())));
                continue;
            }
        };
        let mut expr = match ex.expand(&parsed, &mut Vec::new()) {
            Ok(e) => e,
            Err(r) => {
                out.skipped.push(skip(r));
                continue;
            }
        };
        let mut exc_terms = Vec::new();
        let mut bad = None;
        for e in &rule.exceptions {
            match exception_expr(e) {
                Ok(Some(x)) => exc_terms.push(Expr::Not(Box::new(
                    ex.expand(&x, &mut Vec::new()).unwrap_or(x),
                ))),
                Ok(None) => {}
                Err(m) => bad = Some(m),
            }
        }
        if let Some(m) = bad {
            out.skipped.push(skip(SkipReason::BadException(m)));
            continue;
        }
        let event_types = event_types(&expr);
        if !exc_terms.is_empty() {
            let mut terms = vec![expr];
            terms.extend(exc_terms);
            expr = Expr::And(terms);
        }
        let mut fields = BTreeSet::new();
        collect_fields(&expr, &mut fields);
        out.rules.push(CompiledRule {
            name: rule.name.clone(),
            priority: rule.priority.clone(),
            enabled: rule.enabled,
            output: rule.output.clone(),
            tags: rule.tags.clone(),
            response: rule.response,
            file: rule.file.clone(),
            line: rule.line,
            expr,
            fields,
            event_types,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
- required_engine_version: 0.1.0
- list: shells
  items: [sh, bash]
- list: more_shells
  items: [shells, zsh]
- macro: spawned
  condition: evt.type in (execve, execveat) and evt.dir=<
- macro: is_shell
  condition: proc.name in (more_shells)
- rule: Shell
  desc: d
  condition: spawned and is_shell
  output: "shell %proc.name"
  priority: WARNING
  tags: [a]
  exceptions:
    - name: known
      fields: [proc.pname, fd.name]
      comps: [=, startswith]
      values:
        - [cron, /tmp]
- rule: K8s
  condition: ka.verb = create
  output: x
  priority: INFO
  source: k8s_audit
"#;

    #[test]
    fn loads_expands_and_indexes() {
        let set = load_rules(BASE, "base.yaml").unwrap();
        assert_eq!(set.required_engine_version.as_deref(), Some("0.1.0"));
        let c = compile(&set);
        assert!(c.macro_errors.is_empty());
        assert_eq!(c.rules.len(), 1);
        assert_eq!(c.skipped.len(), 1);
        assert_eq!(
            c.skipped[0].reason,
            SkipReason::UnsupportedSource("k8s_audit".into())
        );
        let r = &c.rules[0];
        assert_eq!(
            r.event_types,
            Some(BTreeSet::from(["execve".into(), "execveat".into()]))
        );
        assert!(r.fields.iter().any(|f| f.name == "proc.pname"));
        let dbg = format!("{:?}", r.expr);
        assert!(dbg.contains("zsh") && dbg.contains("\"bash\""), "{dbg}");
        assert!(dbg.contains("StartsWith"));
    }

    #[test]
    fn append_and_override() {
        let extra = r#"
- list: shells
  items: [fish]
  append: true
- macro: is_shell
  condition: or proc.name = ksh
  override:
    condition: append
- rule: Shell
  condition: spawned
  override:
    condition: replace
- rule: Shell
  enabled: false
"#;
        let set = load_rules_files([(BASE, "a"), (extra, "b")]).unwrap();
        assert_eq!(set.lists[0].items, vec!["sh", "bash", "fish"]);
        assert!(set.macros[1].condition.ends_with("or proc.name = ksh"));
        assert_eq!(set.rules[0].condition, "spawned");
        assert!(!set.rules[0].enabled);
        let bad = "- rule: Nope\n  condition: a\n  append: true\n";
        let e = load_rules(bad, "bad.yaml").unwrap_err().to_string();
        assert!(e.contains("bad.yaml") && e.contains("Nope"), "{e}");
    }

    #[test]
    fn unknown_macro_and_cycle() {
        let y = r#"
- macro: a
  condition: b
- macro: b
  condition: a
- rule: R1
  condition: a
  output: o
  priority: INFO
- rule: R2
  condition: missing
  output: o
  priority: INFO
"#;
        let c = compile(&load_rules(y, "x").unwrap());
        assert_eq!(c.macro_errors.len(), 2);
        assert!(matches!(c.skipped[0].reason, SkipReason::MacroCycle(_)));
        assert_eq!(
            c.skipped[1].reason,
            SkipReason::UnknownMacro("missing".into())
        );
    }

    const BAD: &str = "- list: l\n  items: [a]\n\n- rule: Good\n  condition: proc.name = a\n  output: o\n  priority: INFO\n- rule: Bad\n  desc: x\n  condition: >\n    proc.name = a and\n      (fd.name = b or\n  output: o\n  priority: INFO\n- macro: m\n  condition: proc.name in (a b)\n";

    #[test]
    fn invalid_conditions_name_file_line_column() {
        let e = load_rules(BAD, "bad.yaml").unwrap_err();
        let LoadError::Condition(item) = &e else {
            panic!("{e}")
        };
        // The error is at the end of the folded condition (line 12).
        assert_eq!(
            (item.line, item.kind, item.name.as_str()),
            (12, "rule", "Bad")
        );
        assert_eq!(item.column, 22, "{e}");
        assert!(
            e.to_string().starts_with("bad.yaml:12:22: rule \"Bad\""),
            "{e}"
        );

        let set = load_rules_files_with([(BAD, "bad.yaml")], &LoadOptions { skip_invalid: true })
            .unwrap();
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].name, "Good");
        assert_eq!(set.rules[0].line, 4);
        assert_eq!(set.invalid.len(), 2);
        let m = &set.invalid[1];
        // `proc.name in (a b)`: the `b` is at column 30 of line 16.
        assert_eq!((m.kind, m.line, m.column), ("macro", 16, 30), "{m}");
        assert!(m.message.contains("expected ','"), "{m}");
    }

    #[test]
    fn appended_condition_errors_point_into_the_fragment() {
        let base = "- macro: m\n  condition: proc.name = a\n";
        let extra =
            "- macro: m\n  condition: or proc.name in (a b)\n  override:\n    condition: append\n";
        let e = load_rules_files([(base, "a.yaml"), (extra, "b.yaml")]).unwrap_err();
        let LoadError::Condition(i) = e else { panic!() };
        assert_eq!(
            (i.file.as_str(), i.line, i.column),
            ("b.yaml", 2, 33),
            "{i}"
        );
        let set = load_rules_files_with(
            [(base, "a.yaml"), (extra, "b.yaml")],
            &LoadOptions { skip_invalid: true },
        )
        .unwrap();
        assert!(set.macros.is_empty());
        assert_eq!(set.invalid.len(), 1);
    }

    #[test]
    fn plain_and_quoted_condition_positions() {
        let y = "- rule: P\n  condition: proc.name = a and\n    proc.name in (a b)\n  output: o\n  priority: INFO\n";
        let LoadError::Condition(i) = load_rules(y, "p.yaml").unwrap_err() else {
            panic!()
        };
        assert_eq!((i.line, i.column), (3, 21), "{i}");
        let y = "\n# c\n- rule: Q\n  condition: \"proc.name = (x\"\n";
        let LoadError::Condition(i) = load_rules(y, "q.yaml").unwrap_err() else {
            panic!()
        };
        // `(` at byte 12 of the condition; the quote shifts it one column right.
        assert_eq!((i.line, i.column), (4, 27), "{i}");
    }

    #[test]
    fn response_extension() {
        let y = "- rule: R\n  condition: proc.name = a\n  output: o\n  priority: INFO\n  response: kill\n- rule: S\n  condition: proc.name = b\n  output: o\n  priority: INFO\n";
        let set = load_rules(y, "r").unwrap();
        assert_eq!(set.rules[0].response, Response::Kill);
        assert_eq!(set.rules[1].response, Response::Log);
        let o = "- rule: S\n  response: kill-process\n  override:\n    response: replace\n";
        let set = load_rules_files([(y, "r"), (o, "o")]).unwrap();
        assert_eq!(set.rules[1].response, Response::KillProcess);
        let c = compile(&set);
        assert_eq!(c.rules[1].response, Response::KillProcess);
        let bad = "- rule: R\n  condition: a\n  response: explode\n";
        let e = load_rules(bad, "b.yaml").unwrap_err().to_string();
        assert!(e.starts_with("b.yaml:1:") && e.contains("explode"), "{e}");
    }

    #[test]
    fn exceptions_become_and_not_terms() {
        let y = r#"
- list: trusted
  items: [cron, systemd]
- rule: R
  condition: evt.type = open and proc.name = x
  output: o
  priority: INFO
  exceptions:
    - name: by_parent
      fields: proc.pname
      values: [trusted, sshd]
    - name: by_pair
      fields: [proc.pname, fd.name]
      comps: [in, glob]
      values: []
- rule: R
  exceptions:
    - name: by_pair
      values:
        - [trusted, "/etc/*"]
  append: true
"#;
        let c = compile(&load_rules(y, "x").unwrap());
        assert!(c.skipped.is_empty(), "{:?}", c.skipped);
        let r = &c.rules[0];
        assert_eq!(r.event_types, Some(BTreeSet::from(["open".into()])));
        let Expr::And(terms) = &r.expr else {
            panic!("{:?}", r.expr)
        };
        assert_eq!(terms.len(), 3);
        assert!(matches!(&terms[1], Expr::Not(_)));
        let dbg = format!("{:?}", terms[2]);
        assert!(dbg.contains("systemd") && dbg.contains("Glob"), "{dbg}");
        assert!(r.fields.iter().any(|f| f.name == "fd.name"));
    }

    #[test]
    fn event_type_sets() {
        let t = |s: &str| event_types(&parse_condition(s).unwrap());
        assert_eq!(t("evt.type = open"), Some(BTreeSet::from(["open".into()])));
        assert_eq!(
            t("evt.type in (open, openat) and evt.type = open"),
            Some(BTreeSet::from(["open".into()]))
        );
        assert_eq!(t("evt.type = open or proc.name = x"), None);
        assert_eq!(t("not evt.type = open"), None);
        assert_eq!(
            t("(evt.type = a or evt.type = b) and proc.name = x"),
            Some(BTreeSet::from(["a".into(), "b".into()]))
        );
    }
}
