//! Evaluation of compiled rules against [`yagura_event::Event`]s.
//!
//! Everything a rule needs is prepared in [`Engine::new`]: fields resolved to ids,
//! lists turned into hash sets, globs and regexes compiled, `evt.type` checks turned
//! into bit masks, rules indexed by event type. Evaluating an event only reads.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;

use regex::Regex;
use yagura_event::{Event, EventType};

use crate::condition::{CmpOp, Expr, Operand, Transformer, Value};
use crate::fields::{extract, get_bool, get_int, get_str, Ctx, Fast, Field, Kind, V};
use crate::rules::{Compiled, Response};

/// Falco priorities, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    Emergency,
    Alert,
    Critical,
    Error,
    Warning,
    Notice,
    Informational,
    Debug,
}

impl Priority {
    /// Case-insensitive, as Falco accepts it (`INFO` is `Informational`).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "emergency" => Self::Emergency,
            "alert" => Self::Alert,
            "critical" => Self::Critical,
            "error" => Self::Error,
            "warning" => Self::Warning,
            "notice" => Self::Notice,
            "informational" | "info" => Self::Informational,
            "debug" => Self::Debug,
            _ => return None,
        })
    }
}

/// Which rules an [`Engine`] keeps.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Rules less severe than this are left out.
    pub min_priority: Priority,
    /// Rules enabled by name even if their YAML says `enabled: false`.
    pub enable_rules: Vec<String>,
    /// Rules left out by name.
    pub disable_rules: Vec<String>,
    /// When non-empty, only rules with one of these tags are kept.
    pub enable_tags: Vec<String>,
    /// Rules with one of these tags are left out.
    pub disable_tags: Vec<String>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            min_priority: Priority::Debug,
            enable_rules: Vec::new(),
            disable_rules: Vec::new(),
            enable_tags: Vec::new(),
            disable_tags: Vec::new(),
        }
    }
}

/// A rule the engine left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSkip {
    pub rule: String,
    pub reason: String,
}

/// Metadata of a kept rule.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub name: String,
    pub priority: Priority,
    /// The priority as written in YAML.
    pub priority_text: String,
    pub tags: Vec<String>,
    pub output: String,
    pub response: Response,
    /// `None`: the rule is evaluated for every event type.
    pub event_types: Option<BTreeSet<EventType>>,
    pub file: String,
    pub line: usize,
}

/// FxHash-style hasher: list lookups hash short trusted strings from rule files,
/// where SipHash's DoS resistance buys nothing and costs a third of a lookup.
#[derive(Default, Clone, Copy)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// A set of strings for `in`. Most probes miss (a process name is rarely in an
/// exception list), and a mask of the lengths present rejects most of them before
/// any hashing.
#[derive(Debug, Clone)]
struct StrSet {
    /// Bit `min(len, 63)` is set for every member's byte length.
    lens: u64,
    set: FastSet<String>,
}

impl StrSet {
    fn new(items: Vec<String>) -> StrSet {
        let lens = items.iter().fold(0u64, |m, s| m | len_bit(s));
        StrSet {
            lens,
            set: items.into_iter().collect(),
        }
    }

    #[inline]
    fn contains(&self, s: &str) -> bool {
        self.lens & len_bit(s) != 0 && self.set.contains(s)
    }
}

#[inline]
fn len_bit(s: &str) -> u64 {
    1u64 << s.len().min(63)
}

/// A compiled Falco glob. Globs of literals and `*` only (nearly all of them: path
/// patterns) match by prefix, suffix and ordered substring search; the others use
/// an anchored regex behind a test of their literal prefix and suffix.
#[derive(Debug, Clone)]
enum Glob {
    /// No wildcard at all.
    Exact(String),
    /// The literal pieces between `*`s (at least two): the first must start the
    /// text, the last end it, the others appear in order in between.
    Stars(Vec<String>),
    Regex {
        prefix: String,
        suffix: String,
        re: Regex,
    },
}

impl Glob {
    fn new(g: &str) -> Result<Glob, String> {
        // Compiled even when unused so bad globs are reported the same way.
        let re = glob_regex(g)?;
        if g.contains(['?', '[']) {
            let special = |c: char| matches!(c, '*' | '?' | '[' | ']');
            let prefix = g.find(special).map_or(g, |i| &g[..i]);
            let suffix = g.rfind(special).map_or(g, |i| &g[i + 1..]);
            return Ok(Glob::Regex {
                prefix: prefix.to_string(),
                suffix: suffix.to_string(),
                re,
            });
        }
        if !g.contains('*') {
            return Ok(Glob::Exact(g.to_string()));
        }
        Ok(Glob::Stars(g.split('*').map(str::to_string).collect()))
    }

    fn needs_regex(&self) -> bool {
        matches!(self, Glob::Regex { .. })
    }

    fn is_match(&self, s: &str) -> bool {
        match self {
            Glob::Exact(x) => s == x,
            Glob::Stars(parts) => stars_match(parts, s),
            Glob::Regex { prefix, suffix, re } => {
                s.len() >= prefix.len() + suffix.len()
                    && has_prefix(s, prefix)
                    && has_suffix(s, suffix)
                    && re.is_match(s)
            }
        }
    }
}

/// Byte equality with inline word compares: the texts compared (paths, program
/// names, prefixes) are short, and calling `memcmp` for each cost more than the
/// compare itself.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n > 64 {
        return a == b;
    }
    if n < 8 {
        if n >= 4 {
            return word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4);
        }
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 < n {
        if word8(a, i) != word8(b, i) {
            return false;
        }
        i += 8;
    }
    // The last word may overlap the one before it.
    word8(a, n - 8) == word8(b, n - 8)
}

#[inline]
fn word8(s: &[u8], i: usize) -> u64 {
    s.get(i..i + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_ne_bytes)
}

#[inline]
fn word4(s: &[u8], i: usize) -> u32 {
    s.get(i..i + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, u32::from_ne_bytes)
}

#[inline]
fn has_prefix(s: &str, p: &str) -> bool {
    s.as_bytes()
        .get(..p.len())
        .is_some_and(|h| same_bytes(h, p.as_bytes()))
}

#[inline]
fn has_suffix(s: &str, p: &str) -> bool {
    s.len() >= p.len() && same_bytes(&s.as_bytes()[s.len() - p.len()..], p.as_bytes())
}

/// `parts` joined by `*` matches `s`; `*` matches any text, `/` and newlines included.
fn stars_match(parts: &[String], s: &str) -> bool {
    let (Some((first, rest)), Some(last)) = (parts.split_first(), parts.last()) else {
        return false;
    };
    let mid = rest.get(..rest.len().saturating_sub(1)).unwrap_or(&[]);
    if rest.is_empty()
        || s.len() < first.len() + last.len()
        || !has_prefix(s, first)
        || !has_suffix(s, last)
    {
        return false;
    }
    let Some(mut hay) = s.get(first.len()..s.len() - last.len()) else {
        return false;
    };
    // Leftmost matches leave the most room for the pieces after them.
    for m in mid {
        match hay.find(m.as_str()) {
            Some(i) => hay = &hay[i + m.len()..],
            None => return false,
        }
    }
    true
}

/// A left-hand side: a field and the transformers applied to it, innermost first.
#[derive(Debug, Clone)]
struct Lhs {
    field: Field,
    transforms: Vec<Transformer>,
}

/// A right-hand side prepared for the left side's kind.
#[derive(Debug, Clone)]
enum Rhs {
    Str(String),
    Int(i64),
    Bool(bool),
    Net(Net),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn parse(s: &str) -> Option<Net> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Net { addr, prefix })
    }

    fn contains(&self, ip: &IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(i)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(*i) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(i)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(*i) & mask
            }
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
enum Matcher {
    Exists,
    Cmp(CmpOp, Rhs),
    InStr(StrSet),
    InInt(FastSet<i64>),
    InNet(Vec<Net>),
    InBool(Vec<bool>),
    Contains(String),
    IContains(String),
    Bytes(CmpOp, Vec<u8>),
    StartsWith(String),
    EndsWith(String),
    /// Regexes, compiled anchored.
    Regex(Regex),
    Glob(Glob),
    PMatch(Vec<String>),
    /// `val(field)`: compare with another field of the same event.
    Field(CmpOp, Box<Lhs>),
}

#[derive(Debug, Clone)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `evt.type` membership as a bit mask of [`EventType`]s.
    Types(u64),
    Check(Box<(Lhs, Matcher)>),
    /// Checks on plain fields readable without building a [`V`] (most of them):
    /// values stay in registers instead of being moved through memory.
    Str(Box<(Field, Matcher)>),
    /// `or` of [`Node::Str`] checks of one field: the field is read once.
    StrAny(Box<(Field, Vec<Matcher>)>),
    Int(Box<(Field, Matcher)>),
    Bool(Field, Option<bool>),
    /// A check shared by every rule that contains it (macros make many rules start
    /// the same way); its result is computed once per event. (id, cost)
    Leaf(u32, u32),
}

/// One step of a [`Program`]. Jumps only go to earlier steps of the vector, so a
/// run ends and tests each step at most once.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Test leaf `leaf` (through the memo when other steps test it too) and
    /// continue at `yes` or `no`.
    Test {
        leaf: u32,
        memo: bool,
        yes: u32,
        no: u32,
    },
    /// Rule `rule` matched.
    Emit { rule: u32, next: u32 },
}

/// The rules for one event type, compiled to a flow of leaf tests: `and`, `or` and
/// `not` become jumps (`not` swaps the targets), so evaluation is one loop without
/// recursion, and a rule that fails falls through to the next one.
#[derive(Debug, Clone, Default)]
struct Program {
    steps: Vec<Step>,
    entry: u32,
}

/// Where a run of a [`Program`] stops.
const END: u32 = u32::MAX;

impl Program {
    /// `rules`: (rule index, condition folded for the type), in rule order.
    /// `None` when a condition holds a node other than `and`/`or`/`not`/leaf.
    fn new(rules: &[(u32, Node)]) -> Option<Program> {
        let mut p = Program::default();
        let mut next = END;
        for (rule, node) in rules.iter().rev() {
            let emit = p.push(Step::Emit { rule: *rule, next })?;
            next = p.flow(node, emit, next)?;
        }
        p.entry = next;
        // A leaf tested by one step only is evaluated at most once per run:
        // it needs no memo.
        let mut uses = std::collections::HashMap::<u32, u32>::new();
        for s in &p.steps {
            if let Step::Test { leaf, .. } = s {
                *uses.entry(*leaf).or_default() += 1;
            }
        }
        for s in &mut p.steps {
            if let Step::Test { leaf, memo, .. } = s {
                *memo = uses.get(leaf).is_some_and(|n| *n > 1);
            }
        }
        Some(p)
    }

    fn push(&mut self, s: Step) -> Option<u32> {
        let i = u32::try_from(self.steps.len()).ok().filter(|i| *i != END)?;
        self.steps.push(s);
        Some(i)
    }

    /// Steps testing `n`, continuing at `yes` when it holds and `no` otherwise;
    /// returns the first step.
    fn flow(&mut self, n: &Node, yes: u32, no: u32) -> Option<u32> {
        match n {
            Node::Leaf(id, _) => self.push(Step::Test {
                leaf: *id,
                memo: true,
                yes,
                no,
            }),
            Node::Not(x) => self.flow(x, no, yes),
            // Built from the last term back, so each term knows where to go next.
            Node::And(v) => v
                .iter()
                .rev()
                .try_fold(yes, |next, k| self.flow(k, next, no)),
            Node::Or(v) => v
                .iter()
                .rev()
                .try_fold(no, |next, k| self.flow(k, yes, next)),
            _ => None,
        }
    }
}

/// Distinct checks of an engine, by their source text.
#[derive(Debug, Default)]
struct Leaves {
    nodes: Vec<Node>,
    index: std::collections::HashMap<String, u32>,
    /// The key of each node, by id.
    keys: Vec<String>,
}

impl Leaves {
    fn add(&mut self, key: String, n: Node) -> Result<Node, String> {
        let c = cost(&n);
        if let Some(&id) = self.index.get(&key) {
            return Ok(Node::Leaf(id, c));
        }
        let id = u32::try_from(self.nodes.len()).map_err(|_| "too many checks")?;
        self.nodes.push(n);
        self.keys.push(key.clone());
        self.index.insert(key, id);
        Ok(Node::Leaf(id, c))
    }
}

/// Per-thread evaluation scratch: memoised check results for the current event.
/// Entries are `generation << 1 | result`, so nothing is cleared between events.
#[derive(Debug, Default)]
pub struct Scratch {
    engine: u64,
    generation: u32,
    memo: Vec<u32>,
}

impl Scratch {
    pub fn new() -> Self {
        Self::default()
    }

    fn start(&mut self, engine: &Engine) {
        if self.engine != engine.id || self.memo.len() != engine.leaves.len() {
            self.engine = engine.id;
            self.memo = vec![0; engine.leaves.len()];
            self.generation = 0;
        }
        self.generation += 1;
        if self.generation >= u32::MAX >> 1 {
            self.memo.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::new());
}

static NEXT_ENGINE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[derive(Debug, Clone)]
enum Piece {
    Lit(String),
    /// Display name and the resolved field (`None` when unknown: renders `<NA>`).
    Field(String, Option<Field>),
}

#[derive(Debug, Clone)]
struct EngineRule {
    info: RuleInfo,
    node: Node,
    output: Vec<Piece>,
}

/// The compiled, indexed rule set.
#[derive(Debug, Clone)]
pub struct Engine {
    id: u64,
    leaves: Vec<Node>,
    rules: Vec<EngineRule>,
    by_type: Vec<Vec<u32>>,
    /// Per event type, the rules that can match it compiled into one [`Program`],
    /// their conditions folded for the type. `by_type` keeps every rule indexed for
    /// the type, as [`Engine::event_types_used`] reports it.
    programs: Vec<Program>,
    /// Event types evaluated by walking the rule trees instead (see `programs`).
    tree_types: u64,
    skipped: Vec<EngineSkip>,
    filtered: Vec<EngineSkip>,
}

fn type_bit(t: EventType) -> u64 {
    1u64 << (t as u32)
}

fn bool_text(s: &str) -> Option<bool> {
    match s {
        "true" | "TRUE" | "True" | "1" => Some(true),
        "false" | "FALSE" | "False" | "0" => Some(false),
        _ => None,
    }
}

fn int_text(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix("0x") {
        return i64::from_str_radix(h, 16).ok();
    }
    s.parse::<i64>().ok().or_else(|| {
        s.parse::<u64>()
            .ok()
            .map(|u| i64::try_from(u).unwrap_or(i64::MAX))
    })
}

fn hex_bytes(s: &str) -> Result<Vec<u8>, String> {
    let h = s.trim();
    if !h.len().is_multiple_of(2) {
        return Err(format!("odd-length hex string {s:?}"));
    }
    (0..h.len())
        .step_by(2)
        .map(|i| {
            h.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(|| format!("bad hex string {s:?}"))
        })
        .collect()
}

/// Falco `glob`: `*` and `?` match any character including `/`; `[...]` classes.
fn glob_regex(g: &str) -> Result<Regex, String> {
    let mut re = String::from("(?s)^");
    let mut chars = g.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '[' => {
                let mut class = String::from("[");
                if matches!(chars.peek(), Some('!') | Some('^')) {
                    chars.next();
                    class.push('^');
                }
                let mut closed = false;
                for x in chars.by_ref() {
                    if x == ']' {
                        closed = true;
                        break;
                    }
                    if x == '\\' || x == '[' {
                        class.push('\\');
                    }
                    class.push(x);
                }
                if !closed {
                    return Err(format!("unterminated '[' in glob {g:?}"));
                }
                class.push(']');
                re.push_str(&class);
            }
            other => re.push_str(&regex::escape(other.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push('$');
    Regex::new(&re).map_err(|e| format!("glob {g:?}: {e}"))
}

fn flatten_texts(v: &Value, out: &mut Vec<String>) -> Result<(), String> {
    match v {
        Value::Quoted(s) | Value::Bare(s) => {
            out.push(s.clone());
            Ok(())
        }
        Value::List(items) => items.iter().try_for_each(|i| flatten_texts(i, out)),
        Value::FieldValue(_) => Err("val() inside a list".into()),
    }
}

fn compile_lhs(op: &Operand) -> Result<Lhs, String> {
    match op {
        Operand::Field(f) => Ok(Lhs {
            field: Field::resolve(f)?,
            transforms: Vec::new(),
        }),
        Operand::Transformed(t, inner) => {
            let mut l = compile_lhs(inner)?;
            l.transforms.push(*t);
            Ok(l)
        }
    }
}

fn lhs_kind(l: &Lhs) -> Kind {
    match l.transforms.last() {
        None => l.field.kind(),
        Some(Transformer::Len) => Kind::Int,
        Some(_) => Kind::Str,
    }
}

fn scalar_rhs(kind: Kind, text: &str, field: &str) -> Result<Rhs, String> {
    let bad = || format!("bad value {text:?} for {field}");
    Ok(match kind {
        Kind::Str => Rhs::Str(text.to_string()),
        Kind::Int => Rhs::Int(int_text(text).ok_or_else(bad)?),
        Kind::Bool => Rhs::Bool(bool_text(text).ok_or_else(bad)?),
        Kind::Ip => Rhs::Net(Net::parse(text).ok_or_else(bad)?),
    })
}

fn compile_check(lhs: &Operand, op: CmpOp, rhs: Option<&Value>) -> Result<Node, String> {
    let name = lhs.field().to_string();
    let l = compile_lhs(lhs)?;
    let kind = lhs_kind(&l);
    if op == CmpOp::Exists {
        return Ok(Node::Check(Box::new((l, Matcher::Exists))));
    }
    let rhs = rhs.ok_or_else(|| format!("{name}: missing value"))?;
    if let Value::FieldValue(other) = rhs {
        let o = compile_lhs(other)?;
        return Ok(Node::Check(Box::new((l, Matcher::Field(op, Box::new(o))))));
    }
    let mut texts = Vec::new();
    flatten_texts(rhs, &mut texts)?;
    // evt.type checks become bit masks; unsupported type names can never match.
    if l.field == Field::EvtType && l.transforms.is_empty() {
        let mask = |texts: &[String]| {
            texts
                .iter()
                .filter_map(|t| EventType::from_name(t))
                .fold(0u64, |m, t| m | type_bit(t))
        };
        match op {
            CmpOp::Eq | CmpOp::In | CmpOp::Intersects => return Ok(Node::Types(mask(&texts))),
            CmpOp::Ne => return Ok(Node::Not(Box::new(Node::Types(mask(&texts))))),
            _ => {}
        }
    }
    let one = || {
        texts
            .first()
            .cloned()
            .ok_or_else(|| format!("{name}: missing value"))
    };
    let m = match op {
        CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
            if kind == Kind::Ip && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                return Err(format!("{name}: operator {op:?} on an address"));
            }
            Matcher::Cmp(op, scalar_rhs(kind, &one()?, &name)?)
        }
        CmpOp::In | CmpOp::Intersects => match kind {
            Kind::Str => Matcher::InStr(StrSet::new(texts)),
            Kind::Int => Matcher::InInt(
                texts
                    .iter()
                    .map(|t| int_text(t).ok_or_else(|| format!("bad value {t:?} for {name}")))
                    .collect::<Result<_, _>>()?,
            ),
            Kind::Bool => Matcher::InBool(
                texts
                    .iter()
                    .map(|t| bool_text(t).ok_or_else(|| format!("bad value {t:?} for {name}")))
                    .collect::<Result<_, _>>()?,
            ),
            Kind::Ip => Matcher::InNet(
                texts
                    .iter()
                    .map(|t| Net::parse(t).ok_or_else(|| format!("bad value {t:?} for {name}")))
                    .collect::<Result<_, _>>()?,
            ),
        },
        CmpOp::Contains => Matcher::Contains(one()?),
        CmpOp::IContains => Matcher::IContains(one()?.to_lowercase()),
        CmpOp::BContains | CmpOp::BStartsWith => Matcher::Bytes(op, hex_bytes(&one()?)?),
        CmpOp::StartsWith => Matcher::StartsWith(one()?),
        CmpOp::EndsWith => Matcher::EndsWith(one()?),
        CmpOp::Glob => Matcher::Glob(Glob::new(&one()?)?),
        // Falco's regex is a full match (RE2::FullMatch).
        CmpOp::Regex => Matcher::Regex(
            Regex::new(&format!("^(?:{})$", one()?)).map_err(|e| format!("{name}: {e}"))?,
        ),
        CmpOp::PMatch => Matcher::PMatch(
            texts
                .into_iter()
                .map(|t| {
                    let t = t.trim_end_matches('/');
                    if t.is_empty() {
                        "/".to_string()
                    } else {
                        t.to_string()
                    }
                })
                .collect(),
        ),
        CmpOp::Exists => Matcher::Exists,
    };
    Ok(specialise(l, m))
}

fn specialise(l: Lhs, m: Matcher) -> Node {
    if !l.transforms.is_empty() {
        return Node::Check(Box::new((l, m)));
    }
    match (l.field.fast(), &m) {
        (Fast::Str, Matcher::Cmp(_, Rhs::Str(_)))
        | (
            Fast::Str,
            Matcher::Exists
            | Matcher::InStr(_)
            | Matcher::Contains(_)
            | Matcher::IContains(_)
            | Matcher::Bytes(..)
            | Matcher::StartsWith(_)
            | Matcher::EndsWith(_)
            | Matcher::Regex(_)
            | Matcher::Glob(_)
            | Matcher::PMatch(_),
        ) => Node::Str(Box::new((l.field, m))),
        (Fast::Int, Matcher::Exists | Matcher::Cmp(_, Rhs::Int(_)) | Matcher::InInt(_)) => {
            Node::Int(Box::new((l.field, m)))
        }
        (Fast::Bool, Matcher::Exists) => Node::Bool(l.field, None),
        (Fast::Bool, Matcher::Cmp(CmpOp::Eq, Rhs::Bool(b))) => Node::Bool(l.field, Some(*b)),
        (Fast::Bool, Matcher::Cmp(CmpOp::Ne, Rhs::Bool(b))) => Node::Bool(l.field, Some(!*b)),
        _ => Node::Check(Box::new((l, m))),
    }
}

/// Rough evaluation cost, to test cheap conjuncts and disjuncts first. Checks have
/// no side effects, so the order does not change the result.
fn cost(n: &Node) -> u32 {
    match n {
        Node::Types(_) => 0,
        Node::Not(x) => cost(x),
        Node::And(v) | Node::Or(v) => v.iter().map(cost).sum::<u32>().saturating_add(1),
        Node::Check(c) => {
            let (l, m) = &**c;
            check_cost(&l.field, m) + 4 * l.transforms.len() as u32
        }
        Node::Str(c) | Node::Int(c) => check_cost(&c.0, &c.1),
        Node::StrAny(c) => c.1.iter().map(|m| check_cost(&c.0, m)).sum(),
        // `= false` tests (`evt.failed = false`) hold for nearly every event, like
        // negations: after the selective tests of the same cost.
        Node::Bool(_, Some(false)) => 3,
        Node::Bool(..) => 2,
        Node::Leaf(_, c) => *c,
    }
}

fn check_cost(f: &Field, m: &Matcher) -> u32 {
    let field = match (f, f.kind()) {
        (
            Field::ProcCmdline
            | Field::ProcPcmdline
            | Field::ProcArgs
            | Field::EvtArgs
            | Field::EvtTime
            | Field::ProcAname(None)
            | Field::ProcApid(None)
            | Field::ProcAexepath(None),
            _,
        ) => 8,
        (_, Kind::Bool | Kind::Int) => 1,
        _ => 2,
    };
    let op = match m {
        Matcher::Exists | Matcher::Cmp(..) | Matcher::InInt(_) | Matcher::InBool(_) => 1,
        Matcher::InStr(_) | Matcher::StartsWith(_) | Matcher::EndsWith(_) => 2,
        Matcher::Glob(g) if !g.needs_regex() => 3,
        _ => 6,
    };
    field + op
}

fn compile_node(e: &Expr, leaves: &mut Leaves) -> Result<Node, String> {
    Ok(match e {
        Expr::And(v) | Expr::Or(v) => {
            let is_and = matches!(e, Expr::And(_));
            let mut kids = Vec::with_capacity(v.len());
            for x in v {
                // Macro expansion nests and/or; flatten to shorten the walk.
                match (compile_node(x, leaves)?, is_and) {
                    (Node::And(inner), true) | (Node::Or(inner), false) => kids.extend(inner),
                    (n, _) => kids.push(n),
                }
            }
            // Negations are mostly exceptions, true for nearly every event: test the
            // positive (selective) terms first so the walk stops early.
            sort_terms(&mut kids);
            if is_and {
                Node::And(kids)
            } else {
                let mut kids = group_str_checks(kids, leaves)?;
                sort_terms(&mut kids);
                match kids.pop() {
                    Some(only) if kids.is_empty() => only,
                    Some(last) => {
                        kids.push(last);
                        Node::Or(kids)
                    }
                    None => Node::Or(kids),
                }
            }
        }
        Expr::Not(x) => Node::Not(Box::new(compile_node(x, leaves)?)),
        Expr::Macro(m) => return Err(format!("unexpanded macro {m}")),
        Expr::Check { lhs, op, rhs } => {
            let key = format!("{e:?}");
            if let Some(&id) = leaves.index.get(&key) {
                let c = cost(&leaves.nodes[id as usize]);
                return Ok(Node::Leaf(id, c));
            }
            let n = compile_check(lhs, *op, rhs.as_ref())?;
            // Type masks cost less than the memo lookup.
            if matches!(&n, Node::Types(_) | Node::Not(_)) {
                return Ok(n);
            }
            leaves.add(key, n)?
        }
    })
}

/// Or-ed checks of one string field become one leaf that reads the field once and
/// tries the matchers in a loop (`fd.name` against many paths, `proc.cmdline`
/// against many fragments). The group takes the place of its first member.
fn group_str_checks(kids: Vec<Node>, leaves: &mut Leaves) -> Result<Vec<Node>, String> {
    let field_of = |n: &Node| match n {
        Node::Leaf(id, _) => match leaves.nodes.get(*id as usize) {
            Some(Node::Str(c)) => Some((c.0.clone(), *id)),
            _ => None,
        },
        _ => None,
    };
    let mut groups: Vec<(Field, Vec<u32>)> = Vec::new();
    // A kept node, or the index of a group.
    let mut order: Vec<Result<Node, usize>> = Vec::with_capacity(kids.len());
    for k in kids {
        match field_of(&k) {
            Some((f, id)) => match groups.iter().position(|(g, _)| *g == f) {
                Some(gi) => groups[gi].1.push(id),
                None => {
                    groups.push((f, vec![id]));
                    order.push(Err(groups.len() - 1));
                }
            },
            None => order.push(Ok(k)),
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for o in order {
        let gi = match o {
            Ok(n) => {
                out.push(n);
                continue;
            }
            Err(gi) => gi,
        };
        let (field, ids) = &groups[gi];
        let matchers: Vec<Matcher> = ids
            .iter()
            .filter_map(|id| match leaves.nodes.get(*id as usize) {
                Some(Node::Str(c)) => Some(c.1.clone()),
                _ => None,
            })
            .collect();
        if let ([id], [_]) = (ids.as_slice(), matchers.as_slice()) {
            let c = cost(&leaves.nodes[*id as usize]);
            out.push(Node::Leaf(*id, c));
            continue;
        }
        let key = ids
            .iter()
            .map(|id| leaves.keys[*id as usize].as_str())
            .collect::<Vec<_>>()
            .join(" or ");
        let n = Node::StrAny(Box::new((field.clone(), matchers)));
        out.push(leaves.add(format!("any({key})"), n)?);
    }
    Ok(out)
}

enum Folded {
    Const(bool),
    Node(Node),
}

/// Conjuncts and disjuncts in evaluation order: negations (mostly exceptions, true
/// for nearly every event) after the selective positive terms, cheap before dear.
/// Checks have no side effects, so the order does not change the result.
fn sort_terms(kids: &mut [Node]) {
    kids.sort_by_key(|k| (matches!(k, Node::Not(_)), cost(k)));
}

/// `n` as evaluated for events whose type has bit `bit`: `evt.type` tests become
/// constants and are folded away, with the branches they decide; what is left is
/// flattened and re-sorted.
fn fold_for_type(n: &Node, bit: u64) -> Folded {
    match n {
        Node::Types(m) => Folded::Const(m & bit != 0),
        Node::Not(x) => match fold_for_type(x, bit) {
            Folded::Const(b) => Folded::Const(!b),
            Folded::Node(Node::Not(y)) => Folded::Node(*y),
            Folded::Node(y) => Folded::Node(Node::Not(Box::new(y))),
        },
        Node::And(v) | Node::Or(v) => {
            let is_and = matches!(n, Node::And(_));
            let mut kids = Vec::with_capacity(v.len());
            for x in v {
                match fold_for_type(x, bit) {
                    // `false` decides an `and`, `true` an `or`.
                    Folded::Const(b) if b != is_and => return Folded::Const(b),
                    Folded::Const(_) => {}
                    Folded::Node(Node::And(inner)) if is_and => kids.extend(inner),
                    Folded::Node(Node::Or(inner)) if !is_and => kids.extend(inner),
                    Folded::Node(y) => kids.push(y),
                }
            }
            if kids.len() <= 1 {
                return kids.pop().map_or(Folded::Const(is_and), Folded::Node);
            }
            sort_terms(&mut kids);
            Folded::Node(if is_and {
                Node::And(kids)
            } else {
                Node::Or(kids)
            })
        }
        other => Folded::Node(other.clone()),
    }
}

/// Top-level `evt.type` tests the type index already guarantees.
fn drop_implied_types(n: Node, types: Option<&BTreeSet<EventType>>) -> Node {
    let Some(types) = types else { return n };
    let indexed = types.iter().fold(0u64, |m, t| m | type_bit(*t));
    match n {
        Node::And(kids) => {
            let kept: Vec<Node> = kids
                .into_iter()
                .filter(|k| !matches!(k, Node::Types(m) if m & indexed == indexed))
                .collect();
            Node::And(kept)
        }
        Node::Types(m) if m & indexed == indexed => Node::And(Vec::new()),
        other => other,
    }
}

fn b64_decode(s: &str) -> Option<String> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        })
    };
    let bytes: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let data = bytes
        .strip_suffix(b"==")
        .or_else(|| bytes.strip_suffix(b"="))
        .unwrap_or(&bytes);
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= val(*c)? << (18 - 6 * i);
        }
        let n = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        for i in 0..n {
            out.push((acc >> (16 - 8 * i)) as u8);
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn transform<'a>(t: Transformer, v: V<'a>) -> Option<V<'a>> {
    Some(match (t, v) {
        (Transformer::Len, V::Many(items)) => V::I(items.len() as i64),
        (_, V::Many(items)) => V::Many(items.into_iter().filter_map(|x| transform(t, x)).collect()),
        (Transformer::ToLower, v) => V::S(Cow::Owned(v.text().to_lowercase())),
        (Transformer::ToUpper, v) => V::S(Cow::Owned(v.text().to_uppercase())),
        (Transformer::Len, v) => V::I(v.text().len() as i64),
        (Transformer::Basename, V::S(Cow::Borrowed(s))) => {
            V::S(Cow::Borrowed(s.rsplit('/').next().unwrap_or(s)))
        }
        (Transformer::Basename, v) => {
            let t = v.text();
            V::S(Cow::Owned(t.rsplit('/').next().unwrap_or(&t).to_string()))
        }
        (Transformer::B64, v) => V::S(Cow::Owned(b64_decode(&v.text())?)),
    })
}

fn value<'a>(ctx: &'a Ctx<'a>, l: &'a Lhs) -> Option<V<'a>> {
    let mut v = extract(ctx, &l.field)?;
    for t in &l.transforms {
        v = transform(*t, v)?;
    }
    Some(v)
}

fn ord_holds(op: CmpOp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq => o == Equal,
        CmpOp::Ne => o != Equal,
        CmpOp::Lt => o == Less,
        CmpOp::Le => o != Greater,
        CmpOp::Gt => o == Greater,
        CmpOp::Ge => o != Less,
        _ => false,
    }
}

fn cmp_one(op: CmpOp, v: &V<'_>, rhs: &Rhs) -> bool {
    match (v, rhs) {
        (V::S(s), Rhs::Str(r)) => ord_holds(op, s.as_ref().cmp(r.as_str())),
        (V::I(i), Rhs::Int(r)) => ord_holds(op, i.cmp(r)),
        (V::B(b), Rhs::Bool(r)) => ord_holds(op, b.cmp(r)),
        (V::Ip(ip), Rhs::Net(n)) => (op == CmpOp::Eq) == n.contains(&ip.0),
        (v, Rhs::Str(r)) => ord_holds(op, v.text().as_ref().cmp(r.as_str())),
        (V::S(s), Rhs::Int(r)) => int_text(s).is_some_and(|i| ord_holds(op, i.cmp(r))),
        _ => false,
    }
}

fn pmatch(path: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| {
        p == "/"
            || path == p
            || (path.len() > p.len()
                && path.starts_with(p.as_str())
                && path.as_bytes()[p.len()] == b'/')
    })
}

/// Matchers on a string; `None` for matchers that need more than the string.
fn match_str(m: &Matcher, s: &str) -> Option<bool> {
    Some(match m {
        Matcher::Exists => true,
        Matcher::Cmp(CmpOp::Eq, Rhs::Str(r)) => same_bytes(s.as_bytes(), r.as_bytes()),
        Matcher::Cmp(CmpOp::Ne, Rhs::Str(r)) => !same_bytes(s.as_bytes(), r.as_bytes()),
        Matcher::Cmp(op, Rhs::Str(r)) => ord_holds(*op, s.cmp(r.as_str())),
        Matcher::InStr(set) => set.contains(s),
        Matcher::Contains(x) => s.contains(x.as_str()),
        Matcher::IContains(x) => s.to_lowercase().contains(x.as_str()),
        Matcher::Bytes(op, bytes) => {
            let h = s.as_bytes();
            if *op == CmpOp::BStartsWith {
                h.starts_with(bytes)
            } else {
                bytes.is_empty() || h.windows(bytes.len()).any(|w| w == bytes.as_slice())
            }
        }
        Matcher::StartsWith(x) => has_prefix(s, x),
        Matcher::EndsWith(x) => has_suffix(s, x),
        Matcher::Regex(re) => re.is_match(s),
        Matcher::Glob(g) => g.is_match(s),
        Matcher::PMatch(p) => pmatch(s, p),
        _ => return None,
    })
}

fn match_int(m: &Matcher, i: i64) -> Option<bool> {
    Some(match m {
        Matcher::Exists => true,
        Matcher::Cmp(op, Rhs::Int(r)) => ord_holds(*op, i.cmp(r)),
        Matcher::InInt(set) => set.contains(&i),
        _ => return None,
    })
}

fn match_one(ctx: &Ctx<'_>, m: &Matcher, v: &V<'_>) -> bool {
    let fast = match v {
        V::S(s) => match_str(m, s),
        V::I(i) => match_int(m, *i),
        _ => None,
    };
    if let Some(r) = fast {
        return r;
    }
    match m {
        Matcher::Exists => true,
        Matcher::Cmp(op, rhs) => cmp_one(*op, v, rhs),
        Matcher::InStr(set) => set.contains(v.text().as_ref()),
        Matcher::InInt(set) => match v {
            V::I(i) => set.contains(i),
            other => int_text(&other.text()).is_some_and(|i| set.contains(&i)),
        },
        Matcher::InNet(nets) => matches!(v, V::Ip(ip) if nets.iter().any(|n| n.contains(&ip.0))),
        Matcher::InBool(set) => matches!(v, V::B(b) if set.contains(b)),
        Matcher::Contains(x) => v.text().contains(x.as_str()),
        Matcher::IContains(x) => v.text().to_lowercase().contains(x.as_str()),
        Matcher::Bytes(op, bytes) => {
            let t = v.text();
            let h = t.as_bytes();
            if *op == CmpOp::BStartsWith {
                h.starts_with(bytes)
            } else {
                bytes.is_empty() || h.windows(bytes.len()).any(|w| w == bytes.as_slice())
            }
        }
        Matcher::StartsWith(x) => v.text().starts_with(x.as_str()),
        Matcher::EndsWith(x) => v.text().ends_with(x.as_str()),
        Matcher::Regex(re) => re.is_match(&v.text()),
        Matcher::Glob(g) => g.is_match(&v.text()),
        Matcher::PMatch(p) => pmatch(&v.text(), p),
        Matcher::Field(op, other) => {
            let Some(o) = value(ctx, other) else {
                return false;
            };
            let rhs = match &o {
                V::I(i) => Rhs::Int(*i),
                V::B(b) => Rhs::Bool(*b),
                other => Rhs::Str(other.text().into_owned()),
            };
            match op {
                CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                    cmp_one(*op, v, &rhs)
                }
                CmpOp::Contains => v.text().contains(o.text().as_ref()),
                CmpOp::IContains => v.text().to_lowercase().contains(&o.text().to_lowercase()),
                CmpOp::StartsWith => v.text().starts_with(o.text().as_ref()),
                CmpOp::EndsWith => v.text().ends_with(o.text().as_ref()),
                CmpOp::In | CmpOp::Intersects => match &o {
                    V::Many(items) => items.iter().any(|x| x.text() == v.text()),
                    x => x.text() == v.text(),
                },
                CmpOp::PMatch => pmatch(&v.text(), &[o.text().into_owned()]),
                _ => false,
            }
        }
    }
}

fn check(ctx: &Ctx<'_>, l: &Lhs, m: &Matcher) -> bool {
    let Some(v) = value(ctx, l) else {
        return false;
    };
    match v {
        // `!=` on a multi-valued field: none of the values is equal.
        V::Many(items) => match m {
            Matcher::Cmp(CmpOp::Ne, rhs) => !items.iter().any(|x| cmp_one(CmpOp::Eq, x, rhs)),
            _ => items.iter().any(|x| match_one(ctx, m, x)),
        },
        v => match_one(ctx, m, &v),
    }
}

struct Eval<'a, 'e> {
    ctx: &'a Ctx<'e>,
    leaves: &'a [Node],
    memo: &'a mut [u32],
    generation: u32,
}

fn eval(ev: &mut Eval<'_, '_>, n: &Node) -> bool {
    match n {
        Node::And(v) => v.iter().all(|x| eval(ev, x)),
        Node::Or(v) => v.iter().any(|x| eval(ev, x)),
        Node::Not(x) => !eval(ev, x),
        Node::Leaf(id, _) => memo_leaf(ev, *id),
        leaf => eval_leaf(ev.ctx, leaf),
    }
}

/// Leaf `id`'s result for the current event, computed on first use.
#[inline]
fn memo_leaf(ev: &mut Eval<'_, '_>, id: u32) -> bool {
    let i = id as usize;
    let m = ev.memo[i];
    if m >> 1 == ev.generation {
        return m & 1 == 1;
    }
    let r = eval_leaf(ev.ctx, &ev.leaves[i]);
    ev.memo[i] = ev.generation << 1 | u32::from(r);
    r
}

fn eval_leaf(ctx: &Ctx<'_>, n: &Node) -> bool {
    match n {
        // Composite nodes never sit in the leaf table.
        Node::And(_) | Node::Or(_) | Node::Not(_) | Node::Leaf(..) => false,
        Node::Types(mask) => mask & type_bit(ctx.ev.kind) != 0,
        Node::Check(c) => check(ctx, &c.0, &c.1),
        Node::Str(c) => get_str(ctx, &c.0).is_some_and(|s| match_str(&c.1, s) == Some(true)),
        Node::StrAny(c) => {
            get_str(ctx, &c.0).is_some_and(|s| c.1.iter().any(|m| match_str(m, s) == Some(true)))
        }
        Node::Int(c) => get_int(ctx, &c.0).is_some_and(|i| match_int(&c.1, i) == Some(true)),
        Node::Bool(f, want) => get_bool(ctx, f).is_some_and(|b| want.is_none_or(|w| w == b)),
    }
}

/// Parse `%field`, `%field[arg]` and `%(field)` placeholders once.
fn parse_output(template: &str) -> Vec<Piece> {
    crate::output::parse_template(template)
        .into_iter()
        .map(|p| match p {
            crate::output::TemplatePart::Lit(l) => Piece::Lit(l),
            crate::output::TemplatePart::Field(text, f) => {
                let resolved = Field::resolve(&f).ok();
                Piece::Field(text, resolved)
            }
        })
        .collect()
}

const NA: &str = "<NA>";

impl Engine {
    /// Prepare every rule of `compiled`; rules that cannot be evaluated are listed
    /// in [`Engine::skipped`], rules left out by `opts` in [`Engine::filtered`].
    pub fn new(compiled: &Compiled, opts: &EngineOptions) -> Engine {
        let mut leaves = Leaves::default();
        let mut e = Engine {
            id: NEXT_ENGINE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            leaves: Vec::new(),
            rules: Vec::new(),
            by_type: vec![Vec::new(); EventType::ALL.len()],
            programs: vec![Program::default(); EventType::ALL.len()],
            tree_types: 0,
            skipped: compiled
                .skipped
                .iter()
                .map(|s| EngineSkip {
                    rule: s.name.clone(),
                    reason: s.reason.to_string(),
                })
                .collect(),
            filtered: Vec::new(),
        };
        for r in &compiled.rules {
            let filter = |reason: String| EngineSkip {
                rule: r.name.clone(),
                reason,
            };
            let priority = Priority::parse(&r.priority).unwrap_or(Priority::Debug);
            let forced = opts.enable_rules.contains(&r.name);
            if !r.enabled && !forced {
                e.filtered.push(filter("disabled in the rules file".into()));
                continue;
            }
            if opts.disable_rules.contains(&r.name) {
                e.filtered.push(filter("disabled by name".into()));
                continue;
            }
            if r.tags.iter().any(|t| opts.disable_tags.contains(t)) {
                e.filtered.push(filter("disabled by tag".into()));
                continue;
            }
            if !forced
                && !opts.enable_tags.is_empty()
                && !r.tags.iter().any(|t| opts.enable_tags.contains(t))
            {
                e.filtered.push(filter("no enabled tag".into()));
                continue;
            }
            if priority > opts.min_priority {
                e.filtered
                    .push(filter(format!("priority {} below minimum", r.priority)));
                continue;
            }
            let unknown: Vec<String> = r
                .fields
                .iter()
                .filter_map(|f| Field::resolve(f).err())
                .collect();
            if !unknown.is_empty() {
                e.skipped.push(EngineSkip {
                    rule: r.name.clone(),
                    reason: unknown.join(", "),
                });
                continue;
            }
            let event_types = match &r.event_types {
                None => None,
                Some(names) => {
                    let known: BTreeSet<EventType> = names
                        .iter()
                        .filter_map(|n| EventType::from_name(n))
                        .collect();
                    if known.is_empty() {
                        e.skipped.push(EngineSkip {
                            rule: r.name.clone(),
                            reason: format!(
                                "unsupported event types {}",
                                names.iter().cloned().collect::<Vec<_>>().join(", ")
                            ),
                        });
                        continue;
                    }
                    Some(known)
                }
            };
            let node = match compile_node(&r.expr, &mut leaves) {
                Ok(n) => drop_implied_types(n, event_types.as_ref()),
                Err(why) => {
                    e.skipped.push(EngineSkip {
                        rule: r.name.clone(),
                        reason: why,
                    });
                    continue;
                }
            };
            let idx = u32::try_from(e.rules.len()).unwrap_or(u32::MAX);
            match &event_types {
                None => e.by_type.iter_mut().for_each(|v| v.push(idx)),
                Some(ts) => ts.iter().for_each(|t| e.by_type[*t as usize].push(idx)),
            }
            e.rules.push(EngineRule {
                info: RuleInfo {
                    name: r.name.clone(),
                    priority,
                    priority_text: r.priority.clone(),
                    tags: r.tags.clone(),
                    output: r.output.clone(),
                    response: r.response,
                    event_types,
                    file: r.file.clone(),
                    line: r.line,
                },
                node,
                output: parse_output(r.output.trim()),
            });
        }
        e.leaves = leaves.nodes;
        for t in EventType::ALL.iter().copied() {
            let bit = type_bit(t);
            let mut plan = Vec::new();
            for &i in &e.by_type[t as usize] {
                match fold_for_type(&e.rules[i as usize].node, bit) {
                    Folded::Const(false) => {}
                    Folded::Const(true) => plan.push((i, Node::And(Vec::new()))),
                    Folded::Node(n) => plan.push((i, n)),
                }
            }
            e.programs[t as usize] = Program::new(&plan).unwrap_or_else(|| {
                // Not reached: conditions are built from `and`/`or`/`not` over
                // leaves and `evt.type` tests, which folding removes. Should it
                // happen, keep every rule on the tree walk.
                e.tree_types |= bit;
                Program::default()
            });
        }
        e
    }

    /// Rules that cannot be evaluated, with the reason (unknown field, unsupported
    /// event types or source, bad value...).
    pub fn skipped(&self) -> &[EngineSkip] {
        &self.skipped
    }

    /// Rules left out by [`EngineOptions`] or `enabled: false`.
    pub fn filtered(&self) -> &[EngineSkip] {
        &self.filtered
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Metadata of kept rule `i` (an index pushed by [`Engine::evaluate`]).
    pub fn rule(&self, i: usize) -> &RuleInfo {
        &self.rules[i].info
    }

    /// Push the indices of the rules matching `ev`, in rule order.
    pub fn evaluate(&self, ev: &Event, out: &mut Vec<usize>) {
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => self.evaluate_with(ev, &mut s, out),
            // Re-entered from inside an evaluation: use a fresh scratch.
            Err(_) => self.evaluate_with(ev, &mut Scratch::new(), out),
        })
    }

    /// [`Engine::evaluate`] with caller-owned scratch space.
    pub fn evaluate_with(&self, ev: &Event, scratch: &mut Scratch, out: &mut Vec<usize>) {
        scratch.start(self);
        let ctx = Ctx::new(ev);
        let mut st = Eval {
            ctx: &ctx,
            leaves: &self.leaves,
            memo: &mut scratch.memo,
            generation: scratch.generation,
        };
        if self.tree_types & type_bit(ev.kind) != 0 {
            for &i in &self.by_type[ev.kind as usize] {
                if eval(&mut st, &self.rules[i as usize].node) {
                    out.push(i as usize);
                }
            }
            return;
        }
        let prog = &self.programs[ev.kind as usize];
        let mut pc = prog.entry;
        while let Some(step) = prog.steps.get(pc as usize) {
            pc = match *step {
                Step::Test {
                    leaf,
                    memo,
                    yes,
                    no,
                } => {
                    let r = if memo {
                        memo_leaf(&mut st, leaf)
                    } else {
                        st.leaves
                            .get(leaf as usize)
                            .is_some_and(|n| eval_leaf(st.ctx, n))
                    };
                    if r {
                        yes
                    } else {
                        no
                    }
                }
                Step::Emit { rule, next } => {
                    out.push(rule as usize);
                    next
                }
            };
        }
    }

    /// Whether rule `i` matches `ev`.
    pub fn matches(&self, i: usize, ev: &Event) -> bool {
        if !self.by_type[ev.kind as usize].contains(&(i as u32)) {
            return false;
        }
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => self.matches_with(i, ev, &mut s),
            Err(_) => self.matches_with(i, ev, &mut Scratch::new()),
        })
    }

    fn matches_with(&self, i: usize, ev: &Event, scratch: &mut Scratch) -> bool {
        scratch.start(self);
        let ctx = Ctx::new(ev);
        let mut st = Eval {
            ctx: &ctx,
            leaves: &self.leaves,
            memo: &mut scratch.memo,
            generation: scratch.generation,
        };
        eval(&mut st, &self.rules[i].node)
    }

    /// Falco-style output of rule `i` for `ev`; missing fields render as `<NA>`.
    pub fn render_output(&self, i: usize, ev: &Event) -> String {
        let ctx = Ctx::new(ev);
        let mut s = String::new();
        for p in &self.rules[i].output {
            match p {
                Piece::Lit(l) => s.push_str(l),
                Piece::Field(_, f) => match f.as_ref().and_then(|f| extract(&ctx, f)) {
                    Some(v) => s.push_str(&v.text()),
                    None => s.push_str(NA),
                },
            }
        }
        s
    }

    /// The fields named in rule `i`'s output and their values for `ev`.
    pub fn output_fields(&self, i: usize, ev: &Event) -> BTreeMap<String, String> {
        let ctx = Ctx::new(ev);
        self.rules[i]
            .output
            .iter()
            .filter_map(|p| match p {
                Piece::Field(name, f) => Some((
                    name.clone(),
                    f.as_ref()
                        .and_then(|f| extract(&ctx, f))
                        .map_or_else(|| NA.to_string(), |v| v.text().into_owned()),
                )),
                Piece::Lit(_) => None,
            })
            .collect()
    }

    /// Event types some kept rule needs; the sensor can enable only these.
    pub fn event_types_used(&self) -> BTreeSet<EventType> {
        EventType::ALL
            .iter()
            .copied()
            .filter(|t| !self.by_type[*t as usize].is_empty())
            .collect()
    }

    /// Indices of the rules evaluated for events of type `t`, in rule order.
    pub fn rules_for(&self, t: EventType) -> impl Iterator<Item = usize> + '_ {
        self.by_type[t as usize].iter().map(|i| *i as usize)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_their_regex() {
        let patterns = [
            "",
            "*",
            "**",
            "a",
            "a*",
            "*a",
            "a*a",
            "*a*a*",
            "a**b",
            "/home/*/.ssh/id_*",
            "/etc/ssh/ssh_host_*_key",
            "/root/.ssh/id_*",
            "*/.aws/credentials",
            "/proc/[0-9]*/mem",
            "a?c",
            "?",
            "[!a]*",
            "é*é",
            "x]*",
        ];
        let pieces = [
            "",
            "a",
            "b",
            "c",
            "/",
            "é",
            "\n",
            "*",
            "?",
            "1",
            "/home/",
            "u",
            "/.ssh/id_",
            "rsa",
            "_key",
            "/proc/",
            "/mem",
            "]",
            "x",
        ];
        let mut texts: Vec<String> = Vec::new();
        // Every text of up to three pieces.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        texts.extend(
            [
                "/home/u/.ssh/id_rsa",
                "/etc/ssh/ssh_host_ed25519_key",
                "/etc/ssh/ssh_host__key",
                "/etc/ssh/ssh_host_key",
                "/proc/12/mem",
                "/proc/x/mem",
                "/proc//mem",
                "/root/.ssh/id_ed25519",
                "/home/u/.aws/credentials",
            ]
            .map(str::to_string),
        );
        for p in patterns {
            let g = Glob::new(p).unwrap();
            let re = glob_regex(p).unwrap();
            let mut hits = 0;
            for t in &texts {
                assert_eq!(g.is_match(t), re.is_match(t), "glob {p:?} on {t:?}");
                hits += usize::from(re.is_match(t));
            }
            assert!(hits > 0, "{p:?} matched nothing");
        }
        // Literal-only globs take no regex.
        assert!(!Glob::new("/home/*/x").unwrap().needs_regex());
        assert!(Glob::new("/proc/[0-9]*/mem").unwrap().needs_regex());
        assert!(Glob::new("[a").is_err());
    }

    #[test]
    fn word_compares_agree_with_slices() {
        let texts: Vec<String> = (0..80usize)
            .flat_map(|n| {
                let base: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
                // The same text, and one differing at the start, middle and end.
                let mut v = vec![base.clone()];
                for at in [0, n / 2, n.saturating_sub(1)] {
                    if n > 0 {
                        let mut b = base.clone().into_bytes();
                        b[at] = b'#';
                        v.push(String::from_utf8(b).unwrap());
                    }
                }
                v
            })
            .collect();
        for a in &texts {
            for b in &texts {
                let (x, y) = (a.as_bytes(), b.as_bytes());
                assert_eq!(same_bytes(x, y), x == y, "{a:?} {b:?}");
                assert_eq!(has_prefix(a, b), a.starts_with(b.as_str()), "{a:?} {b:?}");
                assert_eq!(has_suffix(a, b), a.ends_with(b.as_str()), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn string_sets_check_lengths_first() {
        let s = StrSet::new(vec!["cat".into(), "bash".into(), "x".repeat(70)]);
        assert!(s.contains("cat") && s.contains("bash") && s.contains(&"x".repeat(70)));
        assert!(!s.contains("dog") && !s.contains("") && !s.contains(&"x".repeat(64)));
        assert_eq!(s.lens, 1 << 3 | 1 << 4 | 1 << 63);
    }
}
