//! `terraform show -json <plan>` output: values from `planned_values`, unknowns from
//! `resource_changes[].change.after_unknown`.
//!
//! An unknown value whose argument is written in `configuration` with references
//! (`"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]`) becomes
//! `unknown_ref(<reference>, <address>)` when those references lead to exactly one
//! resource, so adapters can join a companion (a public access block) to a parent
//! whose id is only known after apply. References are followed through module
//! inputs (`var.x` to the module call's argument), module outputs (`module.m.out`
//! to the output's expression) and `each.value` of a `for_each` over a resource; an
//! index written as `count.index`/`each.key` takes the referring instance's key.
//! Anything else (locals, several resources, several instances without a key)
//! stays a plain `unknown("<address>.<path>")`: a join must not be guessed.

use serde_json::{Map, Value};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use yagura_model::iac::{unknown, unknown_ref, ParseIssue, RawResource};
use yagura_model::{Location, SourceKind};

const MAX_MODULE_DEPTH: usize = 64;
/// How many module inputs/outputs one reference may be followed through.
const MAX_REF_DEPTH: usize = 32;

pub fn is_plan_json(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{')
        && t.contains("\"planned_values\"")
        && (t.contains("\"format_version\"") || t.contains("\"resource_changes\""))
}

/// Splits an address at the dots outside `[...]` (keys may hold dots and quotes).
fn segments(addr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut escaped, mut start) = (0usize, false, false, 0);
    for (i, c) in addr.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&addr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&addr[start..]);
    out
}

/// `("b", Some("[0]"))` for `b[0]`, `("b", None)` for `b`.
fn split_key(seg: &str) -> (&str, Option<&str>) {
    match seg.find('[') {
        Some(i) => (&seg[..i], Some(&seg[i..])),
        None => (seg, None),
    }
}

/// A plan resource address taken apart: `module.m["a"].aws_x.y[0]` gives the
/// module prefix with keys (`module.m["a"].`), without keys (`module.m.`), the
/// configuration address (`aws_x.y`) and the instance key (`[0]`).
struct AddrParts {
    prefix: String,
    keyless_prefix: String,
    local: String,
    key: Option<String>,
}

fn parts(addr: &str) -> AddrParts {
    let segs = segments(addr);
    let (mut prefix, mut keyless_prefix) = (String::new(), String::new());
    let mut i = 0;
    while i + 2 < segs.len() && segs[i] == "module" {
        prefix.push_str(&format!("module.{}.", segs[i + 1]));
        keyless_prefix.push_str(&format!("module.{}.", split_key(segs[i + 1]).0));
        i += 2;
    }
    let rest = &segs[i..];
    let (last, key) = split_key(rest.last().copied().unwrap_or(""));
    let mut local: Vec<&str> = rest[..rest.len().saturating_sub(1)].to_vec();
    local.push(last);
    AddrParts {
        prefix,
        keyless_prefix,
        local: local.join("."),
        key: key.map(str::to_string),
    }
}

/// The module a reference is read in, with what `each.*`/`count.*` mean there.
struct Scope<'a> {
    prefix: String,
    keyless_prefix: String,
    /// The instance key of the resource (or module call) being evaluated.
    key: Option<String>,
    /// The references of its `for_each` expression.
    for_each: Option<&'a Value>,
}

/// One resource a reference leads to: its plan address and the reference text.
#[derive(Clone, PartialEq)]
struct Target {
    address: String,
    text: String,
}

/// A resource named in an expression's references.
struct ResRef {
    /// Configuration address without instance key: `aws_x.y`, `data.aws_x.y`.
    base: String,
    /// A literal instance key written in the reference (`[0]`, `["k"]`).
    key: Option<String>,
    /// Whether an attribute of it is read (`aws_x.y.id`), not only the resource.
    attr: bool,
    /// The fullest reference text, Terraform lists it first.
    text: String,
}

/// The `configuration` section, indexed for following references.
struct Config<'a> {
    /// Module configurations by key-less prefix (`""`, `module.m.`).
    modules: HashMap<String, &'a Value>,
    /// Resource configurations by key-less module prefix and configuration address.
    resources: HashMap<(String, String), &'a Value>,
    /// Every resource address in `planned_values`, by its form without any key.
    planned: HashMap<String, Vec<String>>,
    /// Steps left for following the current value's references: a crafted plan
    /// with module inputs and outputs referring to each other must not hang.
    budget: Cell<usize>,
}

/// The work one unknown value may cost to follow its references.
const REF_BUDGET: usize = 2_000;

/// `module.m.aws_x.y` for `module.m["a"].aws_x.y[0]`.
fn without_keys(addr: &str) -> String {
    segments(addr)
        .iter()
        .map(|s| split_key(s).0)
        .collect::<Vec<_>>()
        .join(".")
}

fn refs_of(expr: &Value) -> Option<&Vec<Value>> {
    expr.get("references").and_then(Value::as_array)
}

impl<'a> Config<'a> {
    fn new(doc: &'a Value, planned: Vec<String>) -> Self {
        let mut modules = HashMap::new();
        if let Some(root) = doc.pointer("/configuration/root_module") {
            index_modules(root, String::new(), &mut modules, 0);
        }
        let mut resources = HashMap::new();
        for (prefix, m) in &modules {
            for r in m
                .get("resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(a) = r.get("address").and_then(Value::as_str) {
                    resources
                        .entry((prefix.clone(), a.to_string()))
                        .or_insert(r);
                }
            }
        }
        let mut by_form: HashMap<String, Vec<String>> = HashMap::new();
        for a in planned {
            by_form.entry(without_keys(&a)).or_default().push(a);
        }
        Config {
            modules,
            resources,
            planned: by_form,
            budget: Cell::new(0),
        }
    }

    /// The configuration block of a plan resource.
    fn resource(&self, p: &AddrParts) -> Option<&'a Value> {
        self.resources
            .get(&(p.keyless_prefix.clone(), p.local.clone()))
            .copied()
    }

    /// The plan address(es) a candidate address stands for; a segment without a
    /// key in the candidate matches any key.
    fn matches(&self, candidate: &str) -> Vec<&str> {
        let want = segments(candidate);
        let Some(same_form) = self.planned.get(&without_keys(candidate)) else {
            return Vec::new();
        };
        same_form
            .iter()
            .filter(|have| {
                let have = segments(have);
                have.len() == want.len()
                    && want.iter().zip(&have).all(|(w, h)| {
                        let (wn, wk) = split_key(w);
                        let (hn, hk) = split_key(h);
                        wn == hn && (wk.is_none() || wk == hk)
                    })
            })
            .map(String::as_str)
            .collect()
    }

    /// The resources `refs` (one expression's references, read in `scope`) lead to;
    /// `None` when they lead to several instances and the right one is not known.
    fn targets(&self, refs: &[Value], scope: &Scope, depth: usize) -> Option<Vec<Target>> {
        let left = self.budget.get();
        if depth > MAX_REF_DEPTH || left == 0 {
            return None;
        }
        self.budget.set(left - 1);
        let refs: Vec<&str> = refs.iter().filter_map(Value::as_str).collect();
        let uses_own_key = refs.iter().any(|r| *r == "count.index" || *r == "each.key");
        let mut resources: Vec<ResRef> = Vec::new();
        let mut out: Vec<Target> = Vec::new();
        let mut followed = HashSet::new();
        for r in &refs {
            let segs = segments(r);
            let head = segs[0];
            match head {
                "var" if segs.len() >= 2 && followed.insert(format!("var.{}", segs[1])) => {
                    out.extend(self.through_input(segs[1], scope, depth)?);
                }
                "module" if segs.len() >= 3 => {
                    let subject = format!("module.{}.{}", segs[1], segs[2]);
                    if followed.insert(subject) {
                        out.extend(self.through_output(segs[1], segs[2], scope, depth)?);
                    }
                }
                "each" if segs.get(1) == Some(&"value") && followed.insert("each.value".into()) => {
                    out.extend(self.through_each_value(r, scope)?);
                }
                "var" | "module" | "each" | "count" | "local" | "path" | "terraform" | "self" => {}
                _ => {
                    let n = if head == "data" { 3 } else { 2 };
                    if segs.len() < n {
                        continue;
                    }
                    let (name, key) = split_key(segs[n - 1]);
                    let base = format!("{}.{name}", segs[..n - 1].join("."));
                    let key = key.map(str::to_string);
                    let attr = segs.len() > n;
                    match resources
                        .iter_mut()
                        .find(|e| e.base == base && e.key == key)
                    {
                        Some(e) => e.attr |= attr,
                        None => resources.push(ResRef {
                            base,
                            key,
                            attr,
                            text: r.to_string(),
                        }),
                    }
                }
            }
        }
        // Terraform lists `aws_x.y` after `aws_x.y[0]`: not a reference of its own.
        let keyed: HashSet<String> = resources
            .iter()
            .filter(|e| e.key.is_some())
            .map(|e| e.base.clone())
            .collect();
        resources.retain(|e| e.key.is_some() || e.attr || !keyed.contains(&e.base));
        for e in resources {
            // `aws_x.y[count.index]` shows up as the bare `aws_x.y` beside `count.index`.
            let key = match e.key {
                Some(k) => Some(k),
                None if !e.attr && uses_own_key => scope.key.clone(),
                None => None,
            };
            out.push(self.target(&scope.prefix, &e.base, key.as_deref(), e.text)?);
        }
        // One resource reached on two ways is still one.
        let mut seen = HashSet::new();
        out.retain(|t| seen.insert(t.address.clone()));
        Some(out)
    }

    /// `prefix` + `base` + `key` as the plan spells it; `None` when it stands for
    /// several instances.
    fn target(&self, prefix: &str, base: &str, key: Option<&str>, text: String) -> Option<Target> {
        let candidate = format!("{prefix}{base}{}", key.unwrap_or(""));
        let address = match self.matches(&candidate).as_slice() {
            [one] => one.to_string(),
            // Not planned (outside this plan): named as written; adapters treat it
            // as outside the configuration.
            [] => candidate,
            _ => return None,
        };
        Some(Target { address, text })
    }

    /// `var.name` inside a module: the argument of its module call, read in the caller.
    fn through_input(&self, name: &str, scope: &Scope, depth: usize) -> Option<Vec<Target>> {
        let segs = segments(scope.prefix.trim_end_matches('.'));
        if segs.len() < 2 {
            // A root variable has its value in the plan; it never leads to a resource.
            return Some(Vec::new());
        }
        let (call, key) = split_key(segs[segs.len() - 1]);
        let parent_prefix: String = segs[..segs.len() - 2]
            .iter()
            .map(|s| format!("{s}."))
            .collect();
        let parent_keyless: String = segs[..segs.len() - 2]
            .iter()
            .map(|s| format!("{}.", split_key(s).0))
            .collect();
        let Some(call_cfg) = self
            .modules
            .get(&parent_keyless)
            .and_then(|m| m.pointer(&format!("/module_calls/{}", escape(call))))
        else {
            return Some(Vec::new());
        };
        let Some(refs) = call_cfg
            .pointer(&format!("/expressions/{}", escape(name)))
            .and_then(refs_of)
        else {
            return Some(Vec::new());
        };
        let parent = Scope {
            prefix: parent_prefix,
            keyless_prefix: parent_keyless,
            key: key.map(str::to_string),
            for_each: call_cfg.pointer("/for_each_expression/references"),
        };
        self.targets(refs, &parent, depth + 1)
    }

    /// `module.call.output`: the output's expression, read inside the module.
    fn through_output(
        &self,
        call: &str,
        output: &str,
        scope: &Scope,
        depth: usize,
    ) -> Option<Vec<Target>> {
        let (name, key) = split_key(call);
        let keyless = format!("{}module.{name}.", scope.keyless_prefix);
        let Some(refs) = self.modules.get(&keyless).and_then(|m| {
            m.pointer(&format!("/outputs/{}/expression", escape(output)))
                .and_then(refs_of)
        }) else {
            return Some(Vec::new());
        };
        let inner = Scope {
            prefix: format!("{}module.{name}{}.", scope.prefix, key.unwrap_or("")),
            keyless_prefix: keyless,
            key: None,
            for_each: None,
        };
        self.targets(refs, &inner, depth + 1)
    }

    /// `each.value` with `for_each = aws_x.y`: that resource's instance of this key.
    fn through_each_value(&self, text: &str, scope: &Scope) -> Option<Vec<Target>> {
        let mut out = Vec::new();
        let Some(refs) = scope.for_each.and_then(Value::as_array) else {
            return Some(out);
        };
        for r in refs.iter().filter_map(Value::as_str) {
            let segs = segments(r);
            let n = if segs[0] == "data" { 3 } else { 2 };
            let whole_resource = segs.len() == n
                && !matches!(
                    segs[0],
                    "var" | "local" | "module" | "each" | "count" | "path" | "terraform" | "self"
                )
                && split_key(segs[n - 1]).1.is_none();
            if whole_resource {
                out.push(self.target(&scope.prefix, r, scope.key.as_deref(), text.to_string())?);
            }
        }
        Some(out)
    }
}

/// A JSON pointer token.
fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn index_modules<'a>(
    module: &'a Value,
    prefix: String,
    out: &mut HashMap<String, &'a Value>,
    depth: usize,
) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    if let Some(Value::Object(calls)) = module.get("module_calls") {
        for (name, call) in calls {
            if let Some(m) = call.get("module") {
                index_modules(m, format!("{prefix}module.{name}."), out, depth + 1);
            }
        }
    }
    out.insert(prefix, module);
}

/// Where an `after_unknown` path is in the resource's configuration expressions.
#[derive(Clone, Copy)]
enum Expr<'a> {
    None,
    /// Expressions of a block (the resource body or a nested block), or a list or
    /// map of them.
    Block(&'a Value),
    /// One argument's expression; everything below it comes from that expression.
    Arg(&'a Value),
}

fn is_expression(v: &Value) -> bool {
    matches!(v, Value::Object(m)
        if m.get("references").is_some_and(Value::is_array) || m.contains_key("constant_value"))
}

impl<'a> Expr<'a> {
    fn of(v: Option<&'a Value>) -> Self {
        match v {
            Some(x) if is_expression(x) => Expr::Arg(x),
            Some(x @ (Value::Object(_) | Value::Array(_))) => Expr::Block(x),
            _ => Expr::None,
        }
    }

    fn key(self, k: &str) -> Self {
        match self {
            Expr::Block(Value::Object(m)) => Expr::of(m.get(k)),
            Expr::Arg(_) => self,
            _ => Expr::None,
        }
    }

    /// Element `i` of `len` planned elements: blocks pair up by position only when
    /// the configuration wrote as many as were planned (no `dynamic` blocks).
    fn index(self, i: usize, len: usize) -> Self {
        match self {
            Expr::Block(Value::Array(a)) if a.len() == len => Expr::of(a.get(i)),
            Expr::Arg(_) => self,
            _ => Expr::None,
        }
    }
}

struct UnknownCtx<'a, 'c> {
    config: &'c Config<'a>,
    scope: Scope<'a>,
}

impl UnknownCtx<'_, '_> {
    fn marker(&self, path: &str, expr: Expr) -> Value {
        if let Expr::Arg(e) = expr {
            if let Some(refs) = refs_of(e) {
                self.config.budget.set(REF_BUDGET);
                if let Some([t]) = self.config.targets(refs, &self.scope, 0).as_deref() {
                    return unknown_ref(t.text.clone(), t.address.clone());
                }
            }
        }
        unknown(path)
    }

    /// Marks every path that `after_unknown` flags as unknown in `v`.
    fn apply(&self, v: &mut Value, au: &Value, path: &str, expr: Expr, depth: usize) {
        if depth > 64 {
            return;
        }
        match au {
            Value::Bool(true) => *v = self.marker(path, expr),
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
                        self.apply(entry, sub, &format!("{path}.{k}"), expr.key(k), depth + 1);
                    }
                }
            }
            Value::Array(a) => {
                if let Value::Array(va) = v {
                    let len = va.len();
                    for (i, sub) in a.iter().enumerate() {
                        if let Some(x) = va.get_mut(i) {
                            let e = expr.index(i, len);
                            self.apply(x, sub, &format!("{path}[{i}]"), e, depth + 1);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn planned_addresses(module: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    if let Some(Value::Array(rs)) = module.get("resources") {
        out.extend(
            rs.iter()
                .filter_map(|r| r.get("address").and_then(Value::as_str))
                .map(str::to_string),
        );
    }
    if let Some(Value::Array(cs)) = module.get("child_modules") {
        for c in cs {
            planned_addresses(c, out, depth + 1);
        }
    }
}

struct Walk<'a, 'c> {
    file: &'c str,
    unknowns: &'c HashMap<&'a str, &'a Value>,
    regions: &'c HashMap<String, String>,
    config: &'c Config<'a>,
}

impl Walk<'_, '_> {
    fn module(&self, module: &Value, out: &mut Vec<RawResource>, depth: usize) {
        if depth > MAX_MODULE_DEPTH {
            return;
        }
        if let Some(Value::Array(rs)) = module.get("resources") {
            out.extend(rs.iter().filter_map(|r| self.resource(r)));
        }
        if let Some(Value::Array(cs)) = module.get("child_modules") {
            for c in cs {
                self.module(c, out, depth + 1);
            }
        }
    }

    fn resource(&self, r: &Value) -> Option<RawResource> {
        let addr = r.get("address").and_then(Value::as_str)?;
        let ty = r.get("type").and_then(Value::as_str)?;
        let name = r.get("name").and_then(Value::as_str)?;
        let mut values = match r.get("values") {
            Some(Value::Object(m)) => Value::Object(m.clone()),
            _ => Value::Object(Map::new()),
        };
        if let Some(au) = self.unknowns.get(addr) {
            let p = parts(addr);
            let cfg = self.config.resource(&p);
            let ctx = UnknownCtx {
                config: self.config,
                scope: Scope {
                    prefix: p.prefix,
                    keyless_prefix: p.keyless_prefix,
                    key: p.key,
                    for_each: cfg.and_then(|c| c.pointer("/for_each_expression/references")),
                },
            };
            let expr = Expr::of(cfg.and_then(|c| c.get("expressions")));
            ctx.apply(&mut values, au, addr, expr, 0);
        }
        let attributes = match values {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let provider = r.get("provider_name").and_then(Value::as_str).unwrap_or("");
        let region = if provider.ends_with("/aws") {
            self.regions.get("aws").cloned()
        } else {
            None
        };
        Some(RawResource {
            source: SourceKind::Terraform,
            type_name: ty.to_string(),
            name: name.to_string(),
            address: addr.to_string(),
            attributes,
            location: Location {
                file: self.file.to_string(),
                start_line: None,
                end_line: None,
                start_column: None,
                end_column: None,
            },
            region,
            account: None,
        })
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
    let Some(root) = doc.pointer("/planned_values/root_module") else {
        out.issues.push(ParseIssue {
            file: display,
            line: None,
            message: "plan JSON has no planned_values.root_module".into(),
        });
        return out;
    };
    let mut planned = Vec::new();
    planned_addresses(root, &mut planned, 0);
    let config = Config::new(&doc, planned);
    let walk = Walk {
        file: &display,
        unknowns: &unknowns,
        regions: &regions,
        config: &config,
    };
    walk.module(root, &mut out.resources, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_module_resource_and_key() {
        assert_eq!(
            segments(r#"module.a["x.y"].aws_s3_bucket.b[0]"#),
            vec!["module", r#"a["x.y"]"#, "aws_s3_bucket", "b[0]"]
        );
        let p = parts(r#"module.a["x.y"].module.c.data.aws_x.y["k]"]"#);
        assert_eq!(p.prefix, r#"module.a["x.y"].module.c."#);
        assert_eq!(p.keyless_prefix, "module.a.module.c.");
        assert_eq!(p.local, "data.aws_x.y");
        assert_eq!(p.key.as_deref(), Some(r#"["k]"]"#));
        let p = parts("aws_x.y");
        assert_eq!(
            (p.prefix.as_str(), p.local.as_str(), p.key),
            ("", "aws_x.y", None)
        );
    }
}
