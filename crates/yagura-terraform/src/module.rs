//! Module instances: variables, locals, resources, data sources, module calls and
//! outputs, evaluated lazily on first reference (which gives dependency order for
//! free) with a "busy" mark that turns reference cycles into issues.

use crate::eval::{Eval, Missing, NoRefs, Resolved, Resolver, Scope};
use crate::iam;
use crate::val::{obj, to_str, unknown_from};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::{Decorated, Span};
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use yagura_model::iac::{is_unknown, unknown, unknown_ref, ParseIssue, RawResource};
use yagura_model::{Location, SourceKind};

/// Module nesting deeper than this is reported instead of followed.
pub const MAX_MODULE_DEPTH: usize = 32;
/// More instances than this from one `count`/`for_each` are cut (with an issue).
const MAX_INSTANCES: usize = 10_000;
/// More resource and module instances than this in one load are cut (with an issue).
const MAX_TOTAL_INSTANCES: usize = 200_000;

/// One parsed source file.
pub struct FileSrc {
    pub display: String,
    pub src: String,
    line_starts: Vec<usize>,
    /// For `.tf.json`: block line ranges (the syntax tree has no spans into the file).
    pub json_lines: Option<HashMap<String, (u32, u32)>>,
}

impl FileSrc {
    pub fn new(display: String, src: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        FileSrc {
            display,
            src,
            line_starts,
            json_lines: None,
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, off: usize) -> u32 {
        let i = match self.line_starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (i + 1) as u32
    }

    /// Line range of a span (end is exclusive in bytes, inclusive in lines).
    pub fn lines(&self, span: Option<std::ops::Range<usize>>) -> (u32, u32) {
        match span {
            Some(r) => {
                let end = if r.end > r.start { r.end - 1 } else { r.start };
                (self.line_of(r.start), self.line_of(end))
            }
            None => (1, 1),
        }
    }
}

struct VarDecl {
    name: String,
    file: usize,
    default: Option<Expression>,
    is_string: bool,
    ty: Option<Expression>,
}

struct ResDecl {
    data: bool,
    ty: String,
    name: String,
    file: usize,
    block: Block,
    /// Blocks of override files, in load order (they win over the block).
    overrides: Vec<(usize, Block)>,
}

struct CallDecl {
    name: String,
    file: usize,
    block: Block,
    overrides: Vec<(usize, Block)>,
}

/// An argument of a block, the last override file's first; with the file it is in.
fn attr_of<'a>(
    file: usize,
    block: &'a Block,
    overrides: &'a [(usize, Block)],
    key: &str,
) -> Option<(usize, &'a Expression)> {
    overrides
        .iter()
        .rev()
        .find_map(|(f, b)| b.body.get_attribute(key).map(|a| (*f, &a.value)))
        .or_else(|| block.body.get_attribute(key).map(|a| (file, &a.value)))
}

impl ResDecl {
    fn attr(&self, key: &str) -> Option<(usize, &Expression)> {
        attr_of(self.file, &self.block, &self.overrides, key)
    }
}

impl CallDecl {
    fn attr(&self, key: &str) -> Option<(usize, &Expression)> {
        attr_of(self.file, &self.block, &self.overrides, key)
    }
}

/// `override.tf` and `*_override.tf` (and `.tf.json`): their blocks merge into the
/// blocks of the same name in the other files.
pub fn is_override_file(display: &str) -> bool {
    let n = display.rsplit(['/', '\\']).next().unwrap_or(display);
    let stem = n
        .strip_suffix(".tf.json")
        .or_else(|| n.strip_suffix(".tf"))
        .unwrap_or(n);
    stem == "override" || stem.ends_with("_override")
}

/// A module's declarations, from all of its files.
pub struct ModuleDef {
    pub dir: PathBuf,
    pub files: Vec<FileSrc>,
    vars: Vec<VarDecl>,
    locals: HashMap<String, (usize, Expression)>,
    res: Vec<ResDecl>,
    res_index: HashMap<(bool, String, String), usize>,
    calls: Vec<CallDecl>,
    call_index: HashMap<String, usize>,
    outputs: Vec<(String, usize, Expression)>,
    output_index: HashMap<String, usize>,
    providers: Vec<(usize, Block)>,
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| l.as_str())
}

impl ModuleDef {
    /// Sorts the top-level blocks of each file into declarations.
    pub fn build(dir: PathBuf, parsed: Vec<(FileSrc, Body)>, issues: &mut Vec<ParseIssue>) -> Self {
        let mut d = ModuleDef {
            dir,
            files: Vec::with_capacity(parsed.len()),
            vars: Vec::new(),
            locals: HashMap::new(),
            res: Vec::new(),
            res_index: HashMap::new(),
            calls: Vec::new(),
            call_index: HashMap::new(),
            outputs: Vec::new(),
            output_index: HashMap::new(),
            providers: Vec::new(),
        };
        // Override files are merged after all other files, like Terraform does.
        let (mut parsed, overrides): (Vec<_>, Vec<_>) = parsed
            .into_iter()
            .partition(|(f, _)| !is_override_file(&f.display));
        let n_plain = parsed.len();
        parsed.extend(overrides);
        for (fi, (file, body)) in parsed.into_iter().enumerate() {
            let ovr = fi >= n_plain;
            for st in body.into_iter() {
                let Structure::Block(b) = st else { continue };
                let line = file.lines(b.span()).0;
                let issue = |msg: String| ParseIssue {
                    file: file.display.clone(),
                    line: Some(line),
                    message: msg,
                };
                match b.ident.value().as_str() {
                    "variable" if ovr => {
                        let Some(name) = label(&b, 0) else { continue };
                        let Some(v) = d.vars.iter_mut().find(|v| v.name == name) else {
                            issues
                                .push(issue(format!("override of undeclared variable \"{name}\"")));
                            continue;
                        };
                        if let Some(a) = b.body.get_attribute("default") {
                            v.default = Some(a.value.clone());
                        }
                        if let Some(a) = b.body.get_attribute("type") {
                            v.is_string = matches!(&a.value, Expression::Variable(x) if x.value().as_str() == "string");
                            v.ty = Some(a.value.clone());
                        }
                    }
                    "variable" => {
                        let Some(name) = label(&b, 0) else { continue };
                        let default = b.body.get_attribute("default").map(|a| a.value.clone());
                        let is_string =
                            b.body
                                .get_attribute("type")
                                .is_some_and(|a| match &a.value {
                                    Expression::Variable(v) => v.value().as_str() == "string",
                                    Expression::String(s) => s.value() == "string",
                                    _ => false,
                                });
                        let ty = b.body.get_attribute("type").map(|a| a.value.clone());
                        d.vars.push(VarDecl {
                            name: name.to_string(),
                            file: fi,
                            default,
                            is_string,
                            ty,
                        });
                    }
                    "locals" => {
                        for a in b.body.attributes() {
                            let k = a.key.value().to_string();
                            if !ovr && d.locals.contains_key(&k) {
                                issues.push(issue(format!("duplicate local value \"{k}\"")));
                            }
                            d.locals.insert(k, (fi, a.value.clone()));
                        }
                    }
                    kind @ ("resource" | "data") => {
                        let (Some(ty), Some(name)) = (label(&b, 0), label(&b, 1)) else {
                            issues.push(issue(format!("{kind} block needs a type and a name")));
                            continue;
                        };
                        let key = (kind == "data", ty.to_string(), name.to_string());
                        if ovr {
                            match d.res_index.get(&key) {
                                Some(&i) => d.res[i].overrides.push((fi, b)),
                                None => issues.push(issue(format!(
                                    "override of undeclared {kind} \"{ty}\" \"{name}\""
                                ))),
                            }
                            continue;
                        }
                        if d.res_index.contains_key(&key) {
                            issues.push(issue(format!("duplicate {kind} \"{ty}\" \"{name}\"")));
                            continue;
                        }
                        d.res_index.insert(key, d.res.len());
                        d.res.push(ResDecl {
                            data: kind == "data",
                            ty: ty.to_string(),
                            name: name.to_string(),
                            file: fi,
                            block: b,
                            overrides: Vec::new(),
                        });
                    }
                    "module" => {
                        let Some(name) = label(&b, 0) else { continue };
                        if ovr {
                            match d.call_index.get(name) {
                                Some(&i) => d.calls[i].overrides.push((fi, b)),
                                None => issues.push(issue(format!(
                                    "override of undeclared module \"{name}\""
                                ))),
                            }
                            continue;
                        }
                        if d.call_index.contains_key(name) {
                            issues.push(issue(format!("duplicate module \"{name}\"")));
                            continue;
                        }
                        d.call_index.insert(name.to_string(), d.calls.len());
                        d.calls.push(CallDecl {
                            name: name.to_string(),
                            file: fi,
                            block: b,
                            overrides: Vec::new(),
                        });
                    }
                    "output" => {
                        let Some(name) = label(&b, 0) else { continue };
                        if let Some(a) = b.body.get_attribute("value") {
                            match d.output_index.get(name) {
                                Some(&i) if ovr => {
                                    d.outputs[i] = (name.to_string(), fi, a.value.clone())
                                }
                                _ => {
                                    d.output_index.insert(name.to_string(), d.outputs.len());
                                    d.outputs.push((name.to_string(), fi, a.value.clone()));
                                }
                            }
                        }
                    }
                    "provider" => d.providers.push((fi, b)),
                    _ => {}
                }
            }
            d.files.push(file);
        }
        d
    }
}

/// Loads module directories (the caller parses; the engine caches per directory).
pub trait Loader {
    fn load_dir(&self, dir: &Path) -> Result<Rc<ModuleDef>, String>;
}

#[derive(Clone, Debug, Default)]
pub struct ProvCfg {
    region: Option<String>,
    account: Option<String>,
}

/// Shared state of one load.
pub struct Engine<'l> {
    /// The root module directory: `file()` paths and `path.module` are relative to it,
    /// as they are to Terraform's working directory.
    pub root_dir: PathBuf,
    pub issues: RefCell<Vec<ParseIssue>>,
    pub out: RefCell<Vec<RawResource>>,
    pub modules_json: HashMap<String, PathBuf>,
    pub loader: &'l dyn Loader,
    depth: Cell<usize>,
    seen: RefCell<HashSet<(String, Option<u32>, String)>>,
    /// Resource and module instances still allowed in this load (nested module
    /// `count`s multiply).
    budget: Cell<usize>,
}

impl<'l> Engine<'l> {
    pub fn new(
        root_dir: PathBuf,
        loader: &'l dyn Loader,
        modules_json: HashMap<String, PathBuf>,
    ) -> Self {
        Engine {
            root_dir,
            issues: RefCell::new(Vec::new()),
            out: RefCell::new(Vec::new()),
            modules_json,
            loader,
            depth: Cell::new(0),
            seen: RefCell::new(HashSet::new()),
            budget: Cell::new(MAX_TOTAL_INSTANCES),
        }
    }

    /// Takes one instance from the budget; false (and one issue) once it is spent.
    fn spend(&self, file: &str, line: Option<u32>) -> bool {
        let b = self.budget.get();
        if b == 0 {
            return false;
        }
        self.budget.set(b - 1);
        if b == 1 {
            self.issue(
                file,
                line,
                format!("more than {MAX_TOTAL_INSTANCES} resource and module instances; the rest is skipped"),
            );
        }
        true
    }

    fn issue(&self, file: &str, line: Option<u32>, message: String) {
        // The same cycle is met from every resource in it; report it once.
        let key = (file.to_string(), line, message);
        if self.seen.borrow_mut().insert(key.clone()) {
            self.issues.borrow_mut().push(ParseIssue {
                file: key.0,
                line: key.1,
                message: key.2,
            });
        }
    }
}

#[derive(Clone)]
enum Slot {
    Busy,
    Done(Value),
}

/// A value given for a root variable from outside the configuration.
pub enum VarInput {
    Value(Value),
    /// `-var k=v`: a string, or an HCL expression unless the variable is of type string.
    Raw(String),
}

pub struct Inst<'e, 'l> {
    eng: &'e Engine<'l>,
    def: Rc<ModuleDef>,
    prefix: String,
    key_path: String,
    vars: HashMap<String, Value>,
    providers: RefCell<HashMap<String, ProvCfg>>,
    stack: Vec<PathBuf>,
    locals: RefCell<HashMap<String, Slot>>,
    res: RefCell<Vec<Option<Slot>>>,
    calls: RefCell<Vec<Option<Slot>>>,
    outputs: RefCell<HashMap<String, Slot>>,
}

/// Evaluation context of one file of a module instance.
struct FileCtx<'a, 'e, 'l> {
    inst: &'a Inst<'e, 'l>,
    file: usize,
}

enum Instances {
    Single,
    Keys(Vec<(Value, Value, String)>), // (count.index or each.key, each.value, address suffix)
    Unknown(Value),
}

/// The scope of one instance of a `count` (`count.index`) or `for_each`
/// (`each.key`, `each.value`) block; `value` holds those attributes.
fn meta_scope(is_count: bool, value: Value) -> Scope<'static> {
    Scope {
        name: if is_count { "count" } else { "each" },
        value,
        parent: None,
    }
}

/// Runs `each` on every known instance with its scope and address suffix, and
/// gathers the results as Terraform exposes them: a list for `count`, a map by
/// key for `for_each`.
fn per_instance(
    keys: Vec<(Value, Value, String)>,
    is_count: bool,
    mut each: impl FnMut(&str, &Scope) -> Value,
) -> Value {
    let mut arr = Vec::new();
    let mut map = Map::new();
    for (k, v, sfx) in keys {
        let sv = if is_count {
            obj(vec![("index".into(), k.clone())])
        } else {
            obj(vec![("key".into(), k.clone()), ("value".into(), v)])
        };
        let out = each(&sfx, &meta_scope(is_count, sv));
        if is_count {
            arr.push(out);
        } else {
            map.insert(to_str(&k).unwrap_or_default(), out);
        }
    }
    if is_count {
        Value::Array(arr)
    } else {
        Value::Object(map)
    }
}

const RESOURCE_META: &[&str] = &["count", "for_each", "provider", "depends_on"];
const RESOURCE_META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

fn getattr_name(op: Option<&Decorated<TraversalOperator>>) -> Option<&str> {
    match op.map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(i)) => Some(i.value().as_str()),
        _ => None,
    }
}

impl Resolver for FileCtx<'_, '_, '_> {
    fn resolve(&self, name: &str, ops: &[Decorated<TraversalOperator>], text: &str) -> Resolved {
        let inst = self.inst;
        let plain = |value: Value, consumed: usize| Resolved {
            value,
            consumed,
            missing: Missing::Error,
            instance_index: false,
        };
        let attr = getattr_name(ops.first());
        match name {
            "var" => match attr {
                Some(a) => plain(
                    inst.vars
                        .get(a)
                        .cloned()
                        .unwrap_or_else(|| unknown(format!("var.{a}"))),
                    1,
                ),
                None => plain(unknown(text), 0),
            },
            "local" => match attr {
                Some(a) => plain(inst.local(a), 1),
                None => plain(unknown(text), 0),
            },
            "module" => match attr.and_then(|a| inst.def.call_index.get(a)) {
                // Outputs a module does not have (or could not be loaded) stay unknown.
                Some(&i) => Resolved {
                    value: inst.call(i),
                    consumed: 1,
                    missing: Missing::Unknown,
                    instance_index: false,
                },
                None => plain(unknown(text), 0),
            },
            "data" => {
                let ty = attr;
                let nm = getattr_name(ops.get(1));
                match (ty, nm) {
                    (Some(t), Some(n)) => inst.res_ref(true, t, n, 2, ops, text),
                    _ => plain(unknown(text), 0),
                }
            }
            "path" => match attr {
                Some("module") => {
                    let rel = inst
                        .def
                        .dir
                        .strip_prefix(&inst.eng.root_dir)
                        .unwrap_or(&inst.def.dir);
                    plain(Value::String(path_str(rel)), 1)
                }
                Some("root") | Some("cwd") => plain(Value::String(".".into()), 1),
                _ => plain(unknown(text), 0),
            },
            "terraform" => match attr {
                Some("workspace") => plain(Value::String("default".into()), 1),
                _ => plain(unknown(text), 0),
            },
            "count" | "each" | "self" => plain(unknown(text), 0),
            ty => match attr {
                Some(n)
                    if inst
                        .def
                        .res_index
                        .contains_key(&(false, ty.to_string(), n.to_string())) =>
                {
                    inst.res_ref(false, ty, n, 1, ops, text)
                }
                _ => plain(unknown(text), 0),
            },
        }
    }

    fn src_text(&self, span: std::ops::Range<usize>) -> Option<&str> {
        let f = self.inst.def.files.get(self.file)?;
        if f.json_lines.is_some() {
            return None;
        }
        f.src.get(span)
    }

    fn base_dirs(&self) -> Vec<&Path> {
        vec![&self.inst.eng.root_dir, &self.inst.def.dir]
    }

    fn depth(&self) -> &Cell<usize> {
        &self.inst.eng.depth
    }
}

/// Removes `.` and resolvable `..` components without touching the file system, so
/// locations read `mod/main.tf`, not `./x/../mod/main.tf`.
pub fn clean_path(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

fn path_str(p: &Path) -> String {
    let s = p.display().to_string();
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// `"key"` or `0` in an address.
fn addr_key(k: &Value) -> String {
    match k {
        Value::String(s) => format!("[{}]", Value::String(s.clone())),
        other => format!("[{}]", to_str(other).unwrap_or_default()),
    }
}

impl<'e, 'l> Inst<'e, 'l> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        eng: &'e Engine<'l>,
        def: Rc<ModuleDef>,
        prefix: String,
        key_path: String,
        inputs: HashMap<String, VarInput>,
        providers: HashMap<String, ProvCfg>,
        stack: Vec<PathBuf>,
    ) -> Self {
        let nr = NoRefs {
            depth: Cell::new(0),
        };
        let mut vars = HashMap::new();
        for v in &def.vars {
            let value = match inputs.get(&v.name) {
                Some(VarInput::Value(x)) => x.clone(),
                Some(VarInput::Raw(raw)) => {
                    if v.is_string {
                        Value::String(raw.clone())
                    } else {
                        parse_literal(raw).unwrap_or_else(|| Value::String(raw.clone()))
                    }
                }
                None => match &v.default {
                    Some(e) => {
                        let ev = Eval::new(&nr);
                        match ev.eval(e, None) {
                            Ok(x) => x,
                            Err(m) => {
                                let f = &def.files[v.file];
                                eng.issue(
                                    &f.display,
                                    Some(f.lines(e.span()).0),
                                    format!("variable \"{}\" default: {m}", v.name),
                                );
                                unknown(format!("var.{}", v.name))
                            }
                        }
                    }
                    // No value anywhere: unknown, never guessed.
                    None => unknown(format!("var.{}", v.name)),
                },
            };
            let value = match &v.ty {
                Some(ty) => crate::types::convert(value, ty),
                None => value,
            };
            vars.insert(v.name.clone(), value);
        }
        let n_res = def.res.len();
        let n_calls = def.calls.len();
        let inst = Inst {
            eng,
            def,
            prefix,
            key_path,
            vars,
            providers: RefCell::new(providers),
            stack,
            locals: RefCell::new(HashMap::new()),
            res: RefCell::new(vec![None; n_res]),
            calls: RefCell::new(vec![None; n_calls]),
            outputs: RefCell::new(HashMap::new()),
        };
        inst.configure_providers();
        inst
    }

    /// Reads this module's `provider` blocks (they override inherited configurations).
    fn configure_providers(&self) {
        for (fi, b) in &self.def.providers {
            let Some(name) = label(b, 0) else { continue };
            let fc = FileCtx {
                inst: self,
                file: *fi,
            };
            let ev = Eval::new(&fc);
            let get = |k: &str| {
                b.body
                    .get_attribute(k)
                    .and_then(|a| ev.eval(&a.value, None).ok())
            };
            let key = match get("alias").as_ref().and_then(Value::as_str) {
                Some(al) => format!("{name}.{al}"),
                None => name.to_string(),
            };
            let region = get("region").and_then(|v| v.as_str().map(str::to_string));
            let account = match get("allowed_account_ids") {
                Some(Value::Array(a)) if a.len() == 1 => {
                    to_str(&a[0]).filter(|_| !is_unknown(&a[0]))
                }
                _ => None,
            };
            self.providers
                .borrow_mut()
                .insert(key, ProvCfg { region, account });
        }
    }

    fn file(&self, i: usize) -> &FileSrc {
        &self.def.files[i]
    }

    fn issue_at(&self, file: usize, span: Option<std::ops::Range<usize>>, msg: String) {
        let f = self.file(file);
        self.eng.issue(&f.display, Some(f.lines(span).0), msg);
    }

    /// Evaluates everything in the module; returns the object of its outputs.
    pub fn run(&self) -> Value {
        for i in 0..self.def.res.len() {
            self.ensure_resource(i);
        }
        for i in 0..self.def.calls.len() {
            self.call(i);
        }
        let mut m = Map::new();
        for (name, _, _) in &self.def.outputs {
            m.insert(name.clone(), self.output(name));
        }
        // Locals nobody referenced still get evaluated so their errors are reported.
        let names: Vec<String> = self.def.locals.keys().cloned().collect();
        for n in names {
            self.local(&n);
        }
        Value::Object(m)
    }

    fn eval_in(&self, file: usize, e: &Expression, sc: Option<&Scope>) -> Value {
        let fc = FileCtx { inst: self, file };
        let ev = Eval::new(&fc);
        match ev.eval(e, sc) {
            Ok(v) if crate::val::too_big(&v) => {
                self.issue_at(
                    file,
                    e.span(),
                    format!("value of `{}` too large", ev.text(e)),
                );
                unknown(ev.text(e))
            }
            Ok(v) => v,
            Err(m) => {
                self.issue_at(
                    file,
                    e.span(),
                    format!("cannot evaluate `{}`: {m}", ev.text(e)),
                );
                unknown(ev.text(e))
            }
        }
    }

    fn local(&self, name: &str) -> Value {
        match self.locals.borrow().get(name) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::Busy) => {
                if let Some((f, e)) = self.def.locals.get(name) {
                    self.issue_at(
                        *f,
                        e.span(),
                        format!("reference cycle through local.{name}"),
                    );
                }
                return unknown(format!("local.{name}"));
            }
            None => {}
        }
        let Some((f, e)) = self.def.locals.get(name) else {
            return unknown(format!("local.{name}"));
        };
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::Busy);
        let v = self.eval_in(*f, e, None);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone()));
        v
    }

    fn output(&self, name: &str) -> Value {
        match self.outputs.borrow().get(name) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::Busy) => return unknown(format!("{}output.{name}", self.prefix)),
            None => {}
        }
        let Some((_, f, e)) = self
            .def
            .output_index
            .get(name)
            .and_then(|&i| self.def.outputs.get(i))
        else {
            return unknown(format!("output.{name}"));
        };
        self.outputs
            .borrow_mut()
            .insert(name.to_string(), Slot::Busy);
        let v = self.eval_in(*f, e, None);
        self.outputs
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone()));
        v
    }

    fn res_ref(
        &self,
        data: bool,
        ty: &str,
        name: &str,
        consumed: usize,
        ops: &[Decorated<TraversalOperator>],
        text: &str,
    ) -> Resolved {
        let base = format!(
            "{}{}{ty}.{name}",
            self.prefix,
            if data { "data." } else { "" }
        );
        let Some(&i) = self
            .def
            .res_index
            .get(&(data, ty.to_string(), name.to_string()))
        else {
            return Resolved {
                value: unknown(text),
                consumed: 0,
                missing: Missing::Unknown,
                instance_index: false,
            };
        };
        let d = &self.def.res[i];
        let multi = d.attr("count").is_some() || d.attr("for_each").is_some();
        let resolved = |value: Value, consumed: usize| Resolved {
            value,
            consumed,
            missing: Missing::Ref(base.clone()),
            instance_index: multi,
        };
        if let Some(v) = self.ensure_resource(i) {
            return resolved(v, consumed);
        }
        let slots = self.res.borrow();
        let Some(Some(Slot::Done(v))) = slots.get(i) else {
            return resolved(unknown_ref(text, base.clone()), consumed);
        };
        // `type.name.attr` on a single instance: copy only that attribute, not the
        // whole resource (references are frequent, resources can be large).
        if let (false, Value::Object(m), Some(a)) = (multi, v, getattr_name(ops.get(consumed))) {
            let value = match m.get(a) {
                Some(x) => x.clone(),
                None => unknown_ref(text, base.clone()),
            };
            return resolved(value, consumed + 1);
        }
        resolved(v.clone(), consumed)
    }

    /// Instances from the `count` or `for_each` argument (with the file it is in).
    fn instances(
        &self,
        count: Option<(usize, &Expression)>,
        for_each: Option<(usize, &Expression)>,
        sc: Option<&Scope>,
    ) -> Instances {
        if let Some((file, a)) = count {
            let v = self.eval_in(file, a, sc);
            if is_unknown(&v) {
                return Instances::Unknown(v);
            }
            let n = match crate::val::as_f64(&v) {
                Some(n) if n >= 0.0 => n as usize,
                _ => {
                    self.issue_at(file, a.span(), "count is not a non-negative number".into());
                    return Instances::Keys(Vec::new());
                }
            };
            if n > MAX_INSTANCES {
                self.issue_at(
                    file,
                    a.span(),
                    format!("count {n} capped at {MAX_INSTANCES}"),
                );
            }
            return Instances::Keys(
                (0..n.min(MAX_INSTANCES))
                    .map(|i| (Value::from(i as u64), Value::Null, format!("[{i}]")))
                    .collect(),
            );
        }
        if let Some((file, a)) = for_each {
            let v = self.eval_in(file, a, sc);
            if is_unknown(&v) {
                return Instances::Unknown(v);
            }
            let keys: Vec<(Value, Value, String)> = match v {
                Value::Object(m) => m
                    .into_iter()
                    .map(|(k, x)| {
                        let kv = Value::String(k);
                        let sfx = addr_key(&kv);
                        (kv, x, sfx)
                    })
                    .collect(),
                Value::Array(items) => {
                    // A set of strings: key and value are the element.
                    if items.iter().any(is_unknown) {
                        return Instances::Unknown(unknown_from(
                            "for_each",
                            &[&Value::Array(items)],
                        ));
                    }
                    let mut out: Vec<(Value, Value, String)> = Vec::new();
                    for it in items {
                        let Some(s) = to_str(&it) else {
                            self.issue_at(file, a.span(), "for_each set must hold strings".into());
                            return Instances::Keys(Vec::new());
                        };
                        let kv = Value::String(s);
                        if !out.iter().any(|o| o.0 == kv) {
                            let sfx = addr_key(&kv);
                            out.push((kv.clone(), kv, sfx));
                        }
                    }
                    out
                }
                Value::Null => {
                    self.issue_at(file, a.span(), "for_each is null".into());
                    Vec::new()
                }
                _ => {
                    self.issue_at(file, a.span(), "for_each must be a map or a set".into());
                    Vec::new()
                }
            };
            return Instances::Keys(keys.into_iter().take(MAX_INSTANCES).collect());
        }
        Instances::Single
    }

    /// Evaluates resource `i` once (its value stays in its slot); returns a value only
    /// when it is unknown because of a reference cycle.
    fn ensure_resource(&self, i: usize) -> Option<Value> {
        let d = &self.def.res[i];
        let base = format!(
            "{}{}{}.{}",
            self.prefix,
            if d.data { "data." } else { "" },
            d.ty,
            d.name
        );
        match &self.res.borrow()[i] {
            Some(Slot::Done(_)) => return None,
            Some(Slot::Busy) => {
                self.issue_at(
                    d.file,
                    d.block.span(),
                    format!("reference cycle through {base}"),
                );
                return Some(unknown_ref(base.clone(), base));
            }
            None => {}
        }
        self.res.borrow_mut()[i] = Some(Slot::Busy);
        let is_count = d.attr("count").is_some();
        let v = match self.instances(d.attr("count"), d.attr("for_each"), None) {
            Instances::Single => Value::Object(self.emit(d, &base, None)),
            Instances::Keys(keys) => per_instance(keys, is_count, |sfx, sc| {
                Value::Object(self.emit(d, &format!("{base}{sfx}"), Some(sc)))
            }),
            Instances::Unknown(_) => {
                let sv = if is_count {
                    obj(vec![("index".into(), unknown("count.index"))])
                } else {
                    obj(vec![
                        ("key".into(), unknown("each.key")),
                        ("value".into(), unknown("each.value")),
                    ])
                };
                let sc = meta_scope(is_count, sv);
                self.emit(d, &format!("{base}[*]"), Some(&sc));
                unknown_ref(base.clone(), base.clone())
            }
        };
        self.res.borrow_mut()[i] = Some(Slot::Done(v));
        None
    }

    /// Evaluates one instance of a resource and records it.
    fn emit(&self, d: &ResDecl, addr: &str, sc: Option<&Scope>) -> Map<String, Value> {
        let f = self.file(d.file);
        if !self.eng.spend(&f.display, Some(f.lines(d.block.span()).0)) {
            return Map::new();
        }
        let mut attrs = self.eval_body(d.file, &d.block.body, sc, true);
        // Override files replace arguments, and all blocks of a type they set.
        for (of, ob) in &d.overrides {
            attrs.extend(self.eval_body(*of, &ob.body, sc, true));
        }
        if d.data && d.ty == "aws_iam_policy_document" {
            let json = iam::render(&attrs)
                .map(Value::String)
                .unwrap_or_else(|| unknown_ref(format!("{addr}.json"), addr.to_string()));
            attrs.insert("json".into(), json.clone());
            attrs.insert("minified_json".into(), json);
        }
        let f = self.file(d.file);
        let (start, end) = match &f.json_lines {
            Some(jl) => {
                let kind = if d.data { "data" } else { "resource" };
                jl.get(&format!("{kind}.{}.{}", d.ty, d.name))
                    .copied()
                    .unwrap_or((1, 1))
            }
            None => f.lines(d.block.span()),
        };
        let prov_name = match d.attr("provider") {
            Some((pf, a)) => {
                let fc = FileCtx {
                    inst: self,
                    file: pf,
                };
                Eval::new(&fc).text(a).trim_matches('"').to_string()
            }
            None => d.ty.split('_').next().unwrap_or("").to_string(),
        };
        let (region, account) = if prov_name == "aws" || prov_name.starts_with("aws.") {
            match self.providers.borrow().get(&prov_name) {
                Some(p) => (p.region.clone(), p.account.clone()),
                None => (None, None),
            }
        } else {
            (None, None)
        };
        self.eng.out.borrow_mut().push(RawResource {
            source: SourceKind::Terraform,
            type_name: d.ty.clone(),
            name: d.name.clone(),
            address: addr.to_string(),
            attributes: attrs.clone(),
            location: Location::lines(f.display.clone(), start, end),
            region,
            account,
        });
        attrs
    }

    /// Arguments and nested blocks (arrays of objects) of a body.
    fn eval_body(
        &self,
        file: usize,
        body: &Body,
        sc: Option<&Scope>,
        top: bool,
    ) -> Map<String, Value> {
        let mut m = Map::new();
        for st in body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let k = a.key.value().as_str();
                    if top && RESOURCE_META.contains(&k) {
                        continue;
                    }
                    m.insert(k.to_string(), self.eval_in(file, &a.value, sc));
                }
                Structure::Block(b) => {
                    let id = b.ident.value().as_str();
                    if top && RESOURCE_META_BLOCKS.contains(&id) {
                        continue;
                    }
                    if id == "dynamic" {
                        self.dynamic(file, b, sc, &mut m);
                        continue;
                    }
                    let v = Value::Object(self.eval_body(file, &b.body, sc, false));
                    push_block(&mut m, id, v);
                }
            }
        }
        m
    }

    fn dynamic(&self, file: usize, b: &Block, sc: Option<&Scope>, m: &mut Map<String, Value>) {
        let Some(name) = label(b, 0) else { return };
        let Some(fe) = b.body.get_attribute("for_each") else {
            self.issue_at(
                file,
                b.span(),
                format!("dynamic \"{name}\" without for_each"),
            );
            return;
        };
        let iter_name = match b.body.get_attribute("iterator").map(|a| &a.value) {
            Some(Expression::Variable(v)) => v.value().to_string(),
            _ => name.to_string(),
        };
        let Some(content) = b
            .body
            .blocks()
            .find(|c| c.ident.value().as_str() == "content")
        else {
            return;
        };
        let coll = self.eval_in(file, &fe.value, sc);
        if is_unknown(&coll) {
            // How many blocks there will be is unknown, so the whole list is.
            m.insert(name.to_string(), coll);
            return;
        }
        let pairs = match crate::eval::pairs(coll) {
            Ok(p) => p,
            Err(msg) => {
                self.issue_at(file, fe.value.span(), format!("dynamic \"{name}\": {msg}"));
                return;
            }
        };
        if !m.contains_key(name) {
            m.insert(name.to_string(), Value::Array(Vec::new()));
        }
        for (k, v) in pairs {
            let inner = Scope {
                name: &iter_name,
                value: obj(vec![("key".into(), k), ("value".into(), v)]),
                parent: sc,
            };
            let val = Value::Object(self.eval_body(file, &content.body, Some(&inner), false));
            push_block(m, name, val);
        }
    }

    fn call(&self, i: usize) -> Value {
        let d = &self.def.calls[i];
        let base = format!("{}module.{}", self.prefix, d.name);
        match &self.calls.borrow()[i] {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::Busy) => {
                self.issue_at(
                    d.file,
                    d.block.span(),
                    format!("reference cycle through {base}"),
                );
                return unknown(base);
            }
            None => {}
        }
        self.calls.borrow_mut()[i] = Some(Slot::Busy);
        let v = self.call_inner(d, &base);
        self.calls.borrow_mut()[i] = Some(Slot::Done(v.clone()));
        v
    }

    fn call_inner(&self, d: &CallDecl, base: &str) -> Value {
        let source = match d.attr("source") {
            Some((sf, a)) => self.eval_in(sf, a, None),
            None => {
                self.issue_at(
                    d.file,
                    d.block.span(),
                    format!("module \"{}\" has no source", d.name),
                );
                return unknown(base);
            }
        };
        let Some(source) = source.as_str().map(str::to_string) else {
            self.issue_at(
                d.file,
                d.block.span(),
                format!("module \"{}\": source is not a literal string", d.name),
            );
            return unknown(base);
        };
        let key_path = if self.key_path.is_empty() {
            d.name.clone()
        } else {
            format!("{}.{}", self.key_path, d.name)
        };
        let dir = if source.starts_with("./") || source.starts_with("../") {
            clean_path(&self.def.dir.join(&source))
        } else if let Some(dir) = self.eng.modules_json.get(&key_path) {
            clean_path(dir)
        } else {
            self.issue_at(
                d.file,
                d.block.span(),
                format!("module \"{}\": source \"{source}\" is not downloaded (run terraform init); its outputs are unknown", d.name),
            );
            return unknown(base);
        };
        let canon = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if self.stack.contains(&canon) {
            self.issue_at(
                d.file,
                d.block.span(),
                format!("module \"{}\": cyclic module source \"{source}\"", d.name),
            );
            return unknown(base);
        }
        if self.stack.len() >= MAX_MODULE_DEPTH {
            self.issue_at(
                d.file,
                d.block.span(),
                format!(
                    "module \"{}\": modules nested deeper than {MAX_MODULE_DEPTH}",
                    d.name
                ),
            );
            return unknown(base);
        }
        let def = match self.eng.loader.load_dir(&dir) {
            Ok(def) => def,
            Err(m) => {
                self.issue_at(
                    d.file,
                    d.block.span(),
                    format!("module \"{}\": {m}", d.name),
                );
                return unknown(base);
            }
        };
        let providers = self.child_providers(d);
        let mut stack = self.stack.clone();
        stack.push(canon);
        let is_count = d.attr("count").is_some();
        let run = |suffix: &str, sc: Option<&Scope>| -> Value {
            let f = self.file(d.file);
            if !self.eng.spend(&f.display, Some(f.lines(d.block.span()).0)) {
                return unknown(base);
            }
            let mut inputs = HashMap::new();
            let parts =
                std::iter::once((d.file, &d.block)).chain(d.overrides.iter().map(|(f, b)| (*f, b)));
            for (pf, pb) in parts {
                for a in pb.body.attributes() {
                    let k = a.key.value().as_str();
                    if MODULE_META.contains(&k) {
                        continue;
                    }
                    inputs.insert(
                        k.to_string(),
                        VarInput::Value(self.eval_in(pf, &a.value, sc)),
                    );
                }
            }
            let child = Inst::new(
                self.eng,
                def.clone(),
                format!("{base}{suffix}."),
                key_path.clone(),
                inputs,
                providers.clone(),
                stack.clone(),
            );
            child.run()
        };
        match self.instances(d.attr("count"), d.attr("for_each"), None) {
            Instances::Single => run("", None),
            Instances::Keys(keys) => per_instance(keys, is_count, |sfx, sc| run(sfx, Some(sc))),
            Instances::Unknown(u) => {
                let sv = obj(vec![
                    ("index".into(), unknown("count.index")),
                    ("key".into(), unknown("each.key")),
                    ("value".into(), unknown("each.value")),
                ]);
                let sc = meta_scope(is_count, sv);
                run("[*]", Some(&sc));
                unknown_from(base, &[&u])
            }
        }
    }

    /// Provider configurations a child module sees: the `providers` map, or the
    /// caller's default (unaliased) configurations.
    fn child_providers(&self, d: &CallDecl) -> HashMap<String, ProvCfg> {
        let parent = self.providers.borrow();
        let mut out = HashMap::new();
        match d.attr("providers") {
            Some((pf, Expression::Object(o))) => {
                let fc = FileCtx {
                    inst: self,
                    file: pf,
                };
                let ev = Eval::new(&fc);
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.value().to_string(),
                        ObjectKey::Expression(e) => ev.text(e).trim_matches('"').to_string(),
                    };
                    let from = ev.text(v.expr());
                    if let Some(p) = parent.get(&from) {
                        out.insert(key, p.clone());
                    }
                }
            }
            _ => {
                for (k, p) in parent.iter() {
                    if !k.contains('.') {
                        out.insert(k.clone(), p.clone());
                    }
                }
            }
        }
        out
    }
}

fn push_block(m: &mut Map<String, Value>, id: &str, v: Value) {
    match m.get_mut(id) {
        Some(Value::Array(a)) => a.push(v),
        Some(other) if is_unknown(other) => {}
        _ => {
            m.insert(id.to_string(), Value::Array(vec![v]));
        }
    }
}

/// Parses `-var` and tfvars-style text as an HCL expression without references.
pub fn parse_literal(raw: &str) -> Option<Value> {
    let e = hcl_edit::parser::parse_expr(raw).ok()?;
    let nr = NoRefs {
        depth: Cell::new(0),
    };
    let v = Eval::new(&nr).eval(&e, None).ok()?;
    if yagura_model::iac::contains_unknown(&v) {
        None
    } else {
        Some(v)
    }
}

/// Evaluates the attributes of a tfvars body (literal values only).
pub fn eval_tfvars(
    file: &FileSrc,
    body: &Body,
    issues: &mut Vec<ParseIssue>,
) -> Vec<(String, Value)> {
    let nr = NoRefs {
        depth: Cell::new(0),
    };
    let ev = Eval::new(&nr);
    let mut out = Vec::new();
    for a in body.attributes() {
        match ev.eval(&a.value, None) {
            Ok(v) => out.push((a.key.value().to_string(), v)),
            Err(m) => issues.push(ParseIssue {
                file: file.display.clone(),
                line: Some(file.lines(a.span()).0),
                message: format!("variable \"{}\": {m}", a.key.value()),
            }),
        }
    }
    out
}
