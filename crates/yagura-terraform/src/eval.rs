//! The HCL expression evaluator. It works on the `hcl-edit` syntax tree directly so
//! that the source text of any sub-expression (kept in unknown markers) is exact.
//!
//! Values are JSON; a value that cannot be known before apply is the `$unknown`
//! marker, and every operation with an unknown input gives an unknown result.

use crate::funcs;
use crate::val::{self, as_f64, equal, num, to_bool, to_str, unknown_from, EvalResult};
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::{Decorated, Span};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::path::Path;
use yagura_model::iac::{contains_unknown, is_unknown};

/// How deep expressions (and the references they follow) may nest before evaluation
/// gives up; it keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 400;

/// Variables bound by for-expressions, `count`, `each` and dynamic-block iterators.
pub struct Scope<'a> {
    pub name: &'a str,
    pub value: Value,
    pub parent: Option<&'a Scope<'a>>,
}

impl Scope<'_> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        let mut s = Some(self);
        while let Some(sc) = s {
            if sc.name == name {
                return Some(&sc.value);
            }
            s = sc.parent;
        }
        None
    }
}

/// What happens when a traversal reads an attribute an object does not have.
#[derive(Clone, Debug)]
pub enum Missing {
    /// An evaluation error (plain values).
    Error,
    /// Unknown without a resource (module outputs that could not be read).
    Unknown,
    /// A computed attribute of the resource at this address.
    Ref(String),
}

/// A reference root resolved by the module: the value, how many traversal operators
/// the module consumed (`var.x` consumes `.x`), and the missing-attribute policy.
pub struct Resolved {
    pub value: Value,
    pub consumed: usize,
    pub missing: Missing,
    /// The next index operator selects an instance (`aws_x.y[0]`) and refines the `$ref`.
    pub instance_index: bool,
}

pub trait Resolver {
    /// Resolves a root name with the operators that follow it.
    fn resolve(&self, name: &str, ops: &[Decorated<TraversalOperator>], text: &str) -> Resolved;
    /// The source text of a span in the current file.
    fn src_text(&self, span: std::ops::Range<usize>) -> Option<&str>;
    /// Directories relative paths of `file()` and `templatefile()` are read from
    /// (root module first, then the current module).
    fn base_dirs(&self) -> Vec<&Path>;
    /// Shared nesting counter (expressions and followed references).
    fn depth(&self) -> &Cell<usize>;
}

/// A resolver for contexts without references (tfvars files, `-var` values).
pub struct NoRefs {
    pub depth: Cell<usize>,
}

impl Resolver for NoRefs {
    fn resolve(&self, name: &str, _ops: &[Decorated<TraversalOperator>], text: &str) -> Resolved {
        let _ = name;
        Resolved {
            value: yagura_model::iac::unknown(text),
            consumed: 0,
            missing: Missing::Unknown,
            instance_index: false,
        }
    }
    fn src_text(&self, _span: std::ops::Range<usize>) -> Option<&str> {
        None
    }
    fn base_dirs(&self) -> Vec<&Path> {
        Vec::new()
    }
    fn depth(&self) -> &Cell<usize> {
        &self.depth
    }
}

pub struct Eval<'r> {
    pub r: &'r dyn Resolver,
}

struct DepthGuard<'a>(&'a Cell<usize>);
impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

impl<'r> Eval<'r> {
    pub fn new(r: &'r dyn Resolver) -> Self {
        Eval { r }
    }

    /// The source text of an expression, for unknown markers and messages.
    pub fn text(&self, e: &Expression) -> String {
        let s = match e.span().and_then(|s| self.r.src_text(s)) {
            Some(t) => t.trim().to_string(),
            None => e.to_string().trim().to_string(),
        };
        // `"${var.a}-x"` reads better without the quotes in messages.
        match e {
            Expression::StringTemplate(_)
                if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') =>
            {
                s[1..s.len() - 1].to_string()
            }
            _ => s,
        }
    }

    pub fn eval(&self, e: &Expression, sc: Option<&Scope>) -> EvalResult {
        let d = self.r.depth();
        if d.get() >= MAX_DEPTH {
            return Err("expression nesting too deep".into());
        }
        d.set(d.get() + 1);
        let _g = DepthGuard(d);
        self.eval_inner(e, sc)
    }

    fn eval_inner(&self, e: &Expression, sc: Option<&Scope>) -> EvalResult {
        Ok(match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => match n.value().as_f64() {
                Some(f) => num(f),
                None => Value::Null,
            },
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for x in a.iter() {
                    out.push(self.eval(x, sc)?);
                }
                Value::Array(out)
            }
            Expression::Object(o) => {
                let mut m = Map::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.value().to_string(),
                        ObjectKey::Expression(ke) => {
                            // A bare `a.b` key (provider maps) is taken as its text.
                            let kv = match ke {
                                Expression::Traversal(_) | Expression::Variable(_) => {
                                    Value::String(self.text(ke))
                                }
                                _ => self.eval(ke, sc)?,
                            };
                            if is_unknown(&kv) {
                                return Ok(unknown_from(&self.text(e), &[&kv]));
                            }
                            match to_str(&kv) {
                                Some(s) => s,
                                None => return Err("object key must be a string".into()),
                            }
                        }
                    };
                    m.insert(key, self.eval(v.expr(), sc)?);
                }
                Value::Object(m)
            }
            Expression::StringTemplate(t) => self.template(t, sc, e, 0)?,
            Expression::HeredocTemplate(h) => {
                self.template(&h.template, sc, e, h.indent().unwrap_or(0))?
            }
            Expression::Parenthesis(p) => self.eval(p.inner(), sc)?,
            Expression::Variable(v) => {
                let name = v.value().as_str();
                if let Some(x) = sc.and_then(|s| s.lookup(name)) {
                    return Ok(x.clone());
                }
                let text = self.text(e);
                let r = self.r.resolve(name, &[], &text);
                r.value
            }
            Expression::Traversal(t) => {
                let text = self.text(e);
                let ops = &t.operators;
                let (base, consumed, missing, inst) = match &t.expr {
                    Expression::Variable(v) => {
                        let name = v.value().as_str();
                        match sc.and_then(|s| s.lookup(name)) {
                            Some(x) => (x.clone(), 0, Missing::Error, false),
                            None => {
                                let r = self.r.resolve(name, ops, &text);
                                (r.value, r.consumed, r.missing, r.instance_index)
                            }
                        }
                    }
                    other => (self.eval(other, sc)?, 0, Missing::Error, false),
                };
                let rest = ops.get(consumed..).unwrap_or(&[]);
                self.apply_ops(base, rest, sc, &text, missing, inst)?
            }
            Expression::FuncCall(f) => {
                let name = f.name.name.value().as_str();
                if f.name.is_namespaced() {
                    return Ok(yagura_model::iac::unknown(self.text(e)));
                }
                let args: Vec<&Expression> = f.args.iter().collect();
                match name {
                    "try" => return self.eval_try(&args, sc, e),
                    "can" => {
                        let Some(a) = args.first() else {
                            return Err("can() needs one argument".into());
                        };
                        return Ok(match self.eval(a, sc) {
                            Ok(v) if contains_unknown(&v) => unknown_from(&self.text(e), &[&v]),
                            Ok(_) => Value::Bool(true),
                            Err(_) => Value::Bool(false),
                        });
                    }
                    _ => {}
                }
                let mut vals = Vec::with_capacity(args.len());
                for a in &args {
                    vals.push(self.eval(a, sc)?);
                }
                if f.args.expand_final() {
                    match vals.pop() {
                        Some(Value::Array(xs)) => vals.extend(xs),
                        Some(u) if is_unknown(&u) => {
                            return Ok(unknown_from(&self.text(e), &[&u]));
                        }
                        Some(_) => return Err("expanded argument must be a list".into()),
                        None => {}
                    }
                }
                if vals.iter().any(is_unknown) {
                    let refs: Vec<&Value> = vals.iter().collect();
                    return Ok(unknown_from(&self.text(e), &refs));
                }
                match funcs::call(name, &vals, &self.r.base_dirs())? {
                    Some(v) if val::too_big(&v) => {
                        return Err(format!("{name}(): result too large"))
                    }
                    Some(v) => v,
                    None => {
                        let refs: Vec<&Value> = vals.iter().collect();
                        unknown_from(&self.text(e), &refs)
                    }
                }
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, sc)?;
                if is_unknown(&cond) {
                    return Ok(unknown_from(&self.text(e), &[&cond]));
                }
                match to_bool(&cond) {
                    Some(true) => self.eval(&c.true_expr, sc)?,
                    Some(false) => self.eval(&c.false_expr, sc)?,
                    None => return Err("condition is not a bool".into()),
                }
            }
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, sc)?;
                if is_unknown(&v) {
                    return Ok(unknown_from(&self.text(e), &[&v]));
                }
                match u.operator.value() {
                    UnaryOperator::Neg => num(-as_f64(&v).ok_or("negating a non-number")?),
                    UnaryOperator::Not => Value::Bool(!to_bool(&v).ok_or("! on a non-bool")?),
                }
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr, sc)?;
                let r = self.eval(&b.rhs_expr, sc)?;
                self.binary(*b.operator.value(), l, r, e)?
            }
            Expression::ForExpr(f) => self.for_expr(f, sc, e)?,
        })
    }

    fn eval_try(&self, args: &[&Expression], sc: Option<&Scope>, e: &Expression) -> EvalResult {
        for a in args {
            match self.eval(a, sc) {
                Ok(v) if is_unknown(&v) => return Ok(unknown_from(&self.text(e), &[&v])),
                Ok(v) => return Ok(v),
                Err(_) => continue,
            }
        }
        Err("no try() argument could be evaluated".into())
    }

    fn binary(&self, op: BinaryOperator, l: Value, r: Value, e: &Expression) -> EvalResult {
        use BinaryOperator as B;
        // `false && unknown` is false and `true || unknown` is true, like Terraform.
        let short = match op {
            B::And => Some(false),
            B::Or => Some(true),
            _ => None,
        };
        if let Some(b) = short {
            if to_bool(&l) == Some(b) || to_bool(&r) == Some(b) {
                return Ok(Value::Bool(b));
            }
        }
        if is_unknown(&l) || is_unknown(&r) {
            return Ok(unknown_from(&self.text(e), &[&l, &r]));
        }
        if matches!(op, B::Eq | B::NotEq) && (contains_unknown(&l) || contains_unknown(&r)) {
            return Ok(unknown_from(&self.text(e), &[&l, &r]));
        }
        let nums = || -> Result<(f64, f64), String> {
            match (as_f64(&l), as_f64(&r)) {
                (Some(a), Some(b)) => Ok((a, b)),
                _ => Err(format!(
                    "arithmetic on {} and {}",
                    val::type_name(&l),
                    val::type_name(&r)
                )),
            }
        };
        let bools = || -> Result<(bool, bool), String> {
            match (to_bool(&l), to_bool(&r)) {
                (Some(a), Some(b)) => Ok((a, b)),
                _ => Err("logical operator on non-bool".into()),
            }
        };
        Ok(match op {
            B::Eq => Value::Bool(equal(&l, &r)),
            B::NotEq => Value::Bool(!equal(&l, &r)),
            B::Less => Value::Bool(nums().map(|(a, b)| a < b)?),
            B::LessEq => Value::Bool(nums().map(|(a, b)| a <= b)?),
            B::Greater => Value::Bool(nums().map(|(a, b)| a > b)?),
            B::GreaterEq => Value::Bool(nums().map(|(a, b)| a >= b)?),
            B::Plus => num(nums().map(|(a, b)| a + b)?),
            B::Minus => num(nums().map(|(a, b)| a - b)?),
            B::Mul => num(nums().map(|(a, b)| a * b)?),
            B::Div => {
                let (a, b) = nums()?;
                if b == 0.0 {
                    return Err("division by zero".into());
                }
                num(a / b)
            }
            B::Mod => {
                let (a, b) = nums()?;
                if b == 0.0 {
                    return Err("modulo by zero".into());
                }
                num(a % b)
            }
            B::And => Value::Bool(bools().map(|(a, b)| a && b)?),
            B::Or => Value::Bool(bools().map(|(a, b)| a || b)?),
        })
    }

    /// Applies traversal operators to a value; `missing` decides what a read of an
    /// absent attribute gives (computed attributes of resources are unknown with `$ref`).
    pub fn apply_ops(
        &self,
        mut v: Value,
        ops: &[Decorated<TraversalOperator>],
        sc: Option<&Scope>,
        text: &str,
        mut missing: Missing,
        mut instance_index: bool,
    ) -> EvalResult {
        for (i, op) in ops.iter().enumerate() {
            if is_unknown(&v) {
                return Ok(unknown_from(text, &[&v]));
            }
            match op.value() {
                TraversalOperator::GetAttr(name) => {
                    v = self.get_attr(v, name.value().as_str(), text, &missing)?;
                }
                TraversalOperator::Index(ie) => {
                    let key = self.eval(ie, sc)?;
                    if is_unknown(&key) {
                        return Ok(unknown_from(text, &[&key, &v]));
                    }
                    if instance_index {
                        if let Missing::Ref(addr) = &missing {
                            let suffix = match &key {
                                Value::String(s) => format!("[{}]", Value::String(s.clone())),
                                other => format!("[{}]", to_str(other).unwrap_or_default()),
                            };
                            missing = Missing::Ref(format!("{addr}{suffix}"));
                        }
                        instance_index = false;
                    }
                    v = index(v, &key)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    v = index(v, &Value::from(*n.value()))?;
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    let items = match v {
                        Value::Null => Vec::new(),
                        Value::Array(a) => a,
                        other => vec![other],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for it in items {
                        out.push(self.apply_ops(it, rest, sc, text, missing.clone(), false)?);
                    }
                    return Ok(Value::Array(out));
                }
            }
        }
        Ok(v)
    }

    fn get_attr(&self, v: Value, name: &str, text: &str, missing: &Missing) -> EvalResult {
        match v {
            Value::Object(mut m) => match m.remove(name) {
                Some(x) => Ok(x),
                None => match missing {
                    Missing::Error => Err(format!("object has no attribute \"{name}\"")),
                    Missing::Unknown => Ok(yagura_model::iac::unknown(text)),
                    Missing::Ref(a) => Ok(yagura_model::iac::unknown_ref(text, a.clone())),
                },
            },
            Value::Null => Err(format!("attribute \"{name}\" of a null value")),
            other => Err(format!(
                "attribute \"{name}\" of a {}",
                val::type_name(&other)
            )),
        }
    }

    fn template(
        &self,
        t: &Template,
        sc: Option<&Scope>,
        e: &Expression,
        indent: usize,
    ) -> EvalResult {
        let elems: Vec<&Element> = t.iter().collect();
        // "${x}" alone yields x unchanged, not its string form.
        if let [Element::Interpolation(i)] = elems.as_slice() {
            return self.eval(&i.expr, sc);
        }
        let mut unknowns = Vec::new();
        let s = self.render(t, sc, (false, false), indent, false, &mut unknowns)?;
        if s.len() > val::MAX_VALUE_SIZE {
            return Err("template result too large".into());
        }
        if unknowns.is_empty() {
            Ok(Value::String(s))
        } else {
            let refs: Vec<&Value> = unknowns.iter().collect();
            Ok(unknown_from(&self.text(e), &refs))
        }
    }

    /// Renders a template; `trim` strips whitespace at its start and end (from `~`
    /// markers outside it). The parser dedents only the top-level literals of an
    /// indented heredoc, so `indent` is removed here from lines inside directives.
    fn render(
        &self,
        t: &Template,
        sc: Option<&Scope>,
        trim: (bool, bool),
        indent: usize,
        nested: bool,
        unknowns: &mut Vec<Value>,
    ) -> Result<String, String> {
        let (trim_start, trim_end) = trim;
        let elems: Vec<&Element> = t.iter().collect();
        let n = elems.len();
        let mut out = String::new();
        for (i, el) in elems.iter().enumerate() {
            match el {
                Element::Literal(l) => {
                    let mut s: &str = l.value();
                    let strip_before = if i == 0 {
                        trim_start
                    } else {
                        strip_after(elems[i - 1])
                    };
                    let strip_next = if i + 1 == n {
                        trim_end
                    } else {
                        strip_before_of(elems[i + 1])
                    };
                    if strip_before {
                        s = s.trim_start();
                    }
                    if strip_next {
                        s = s.trim_end();
                    }
                    if nested && indent > 0 && s.contains('\n') {
                        out.push_str(&dedent_lines(s, indent));
                    } else {
                        out.push_str(s);
                    }
                }
                Element::Interpolation(ip) => {
                    let v = self.eval(&ip.expr, sc)?;
                    if contains_unknown(&v) {
                        unknowns.push(v);
                        continue;
                    }
                    match &v {
                        Value::Null => return Err("null value in a template".into()),
                        other => match to_str(other) {
                            Some(s) => out.push_str(&s),
                            None => return Err("a collection cannot be interpolated".into()),
                        },
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(ifd) => {
                        let c = self.eval(&ifd.if_expr.cond_expr, sc)?;
                        if is_unknown(&c) {
                            unknowns.push(c);
                            continue;
                        }
                        let cond = to_bool(&c).ok_or("template if condition is not a bool")?;
                        if cond {
                            let te = ifd
                                .else_expr
                                .as_ref()
                                .map(|x| x.strip.strip_start())
                                .unwrap_or(ifd.endif_expr.strip.strip_start());
                            out.push_str(&self.render(
                                &ifd.if_expr.template,
                                sc,
                                (ifd.if_expr.strip.strip_end(), te),
                                indent,
                                true,
                                unknowns,
                            )?);
                        } else if let Some(el) = &ifd.else_expr {
                            out.push_str(&self.render(
                                &el.template,
                                sc,
                                (el.strip.strip_end(), ifd.endif_expr.strip.strip_start()),
                                indent,
                                true,
                                unknowns,
                            )?);
                        }
                    }
                    Directive::For(fd) => {
                        let coll = self.eval(&fd.for_expr.collection_expr, sc)?;
                        if is_unknown(&coll) {
                            unknowns.push(coll);
                            continue;
                        }
                        for (k, v) in pairs(coll)? {
                            let s1;
                            let kv_scope;
                            let inner = match &fd.for_expr.key_var {
                                Some(kv) => {
                                    s1 = Scope {
                                        name: kv.value().as_str(),
                                        value: k,
                                        parent: sc,
                                    };
                                    kv_scope = Scope {
                                        name: fd.for_expr.value_var.value().as_str(),
                                        value: v,
                                        parent: Some(&s1),
                                    };
                                    &kv_scope
                                }
                                None => {
                                    kv_scope = Scope {
                                        name: fd.for_expr.value_var.value().as_str(),
                                        value: v,
                                        parent: sc,
                                    };
                                    &kv_scope
                                }
                            };
                            if out.len() > val::MAX_VALUE_SIZE {
                                return Err("template result too large".into());
                            }
                            out.push_str(&self.render(
                                &fd.for_expr.template,
                                Some(inner),
                                (
                                    fd.for_expr.strip.strip_end(),
                                    fd.endfor_expr.strip.strip_start(),
                                ),
                                indent,
                                true,
                                unknowns,
                            )?);
                        }
                    }
                },
            }
        }
        Ok(out)
    }

    fn for_expr(&self, f: &ForExpr, sc: Option<&Scope>, e: &Expression) -> EvalResult {
        let coll = self.eval(&f.intro.collection_expr, sc)?;
        if is_unknown(&coll) {
            return Ok(unknown_from(&self.text(e), &[&coll]));
        }
        let mut arr = Vec::new();
        let mut obj = Map::new();
        for (k, v) in pairs(coll)? {
            let s1;
            let s2;
            let inner: &Scope = match &f.intro.key_var {
                Some(kv) => {
                    s1 = Scope {
                        name: kv.value().as_str(),
                        value: k,
                        parent: sc,
                    };
                    s2 = Scope {
                        name: f.intro.value_var.value().as_str(),
                        value: v,
                        parent: Some(&s1),
                    };
                    &s2
                }
                None => {
                    s2 = Scope {
                        name: f.intro.value_var.value().as_str(),
                        value: v,
                        parent: sc,
                    };
                    &s2
                }
            };
            if let Some(c) = &f.cond {
                let cv = self.eval(&c.expr, Some(inner))?;
                if is_unknown(&cv) {
                    return Ok(unknown_from(&self.text(e), &[&cv]));
                }
                if !to_bool(&cv).ok_or("for condition is not a bool")? {
                    continue;
                }
            }
            let value = self.eval(&f.value_expr, Some(inner))?;
            match &f.key_expr {
                Some(ke) => {
                    let key = self.eval(ke, Some(inner))?;
                    if is_unknown(&key) {
                        return Ok(unknown_from(&self.text(e), &[&key]));
                    }
                    let key = to_str(&key).ok_or("for key must be a string")?;
                    if f.grouping {
                        match obj.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                            Value::Array(a) => a.push(value),
                            _ => return Err("grouping conflict".into()),
                        }
                    } else {
                        if obj.contains_key(&key) {
                            return Err(format!("duplicate key \"{key}\" in for expression"));
                        }
                        obj.insert(key, value);
                    }
                }
                None => arr.push(value),
            }
        }
        let out = if f.key_expr.is_some() {
            Value::Object(obj)
        } else {
            Value::Array(arr)
        };
        if val::too_big(&out) {
            return Err("for expression result too large".into());
        }
        Ok(out)
    }
}

/// Removes up to `indent` leading spaces from every line after the first.
fn dedent_lines(s: &str, indent: usize) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let n = line.len() - line.trim_start_matches([' ', '\t']).len();
            out.push_str(&line[n.min(indent)..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

fn strip_after(el: &Element) -> bool {
    match el {
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(x) => x.endif_expr.strip.strip_end(),
            Directive::For(x) => x.endfor_expr.strip.strip_end(),
        },
        Element::Literal(_) => false,
    }
}

fn strip_before_of(el: &Element) -> bool {
    match el {
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(x) => x.if_expr.strip.strip_start(),
            Directive::For(x) => x.for_expr.strip.strip_start(),
        },
        Element::Literal(_) => false,
    }
}

/// Key/value pairs of a collection for `for` expressions: list index or map key.
pub fn pairs(coll: Value) -> Result<Vec<(Value, Value)>, String> {
    match coll {
        Value::Array(a) => Ok(a
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::from(i as u64), v))
            .collect()),
        Value::Object(m) => Ok(m.into_iter().map(|(k, v)| (Value::String(k), v)).collect()),
        Value::Null => Err("cannot iterate over null".into()),
        other => Err(format!("cannot iterate over a {}", val::type_name(&other))),
    }
}

pub fn index(v: Value, key: &Value) -> EvalResult {
    match v {
        Value::Array(mut a) => {
            let i = as_f64(key).ok_or("list index must be a number")?;
            if i < 0.0 || i.fract() != 0.0 || i as usize >= a.len() {
                return Err(format!("index {i} out of range (length {})", a.len()));
            }
            Ok(a.swap_remove(i as usize))
        }
        Value::Object(mut m) => {
            let k = to_str(key).ok_or("map key must be a string")?;
            m.remove(&k)
                .ok_or_else(|| format!("key \"{k}\" does not exist"))
        }
        Value::Null => Err("index of a null value".into()),
        other => Err(format!("cannot index a {}", val::type_name(&other))),
    }
}
