//! Finding resources by address and joining companion resources (a public-access
//! block, a security-group rule) to the resource they configure.

use crate::args::arg;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use yagura_model::iac::{is_unknown, unknown_ref_address, RawResource};

/// What an argument naming another resource points at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// A resource of this configuration (its index).
    Res(usize),
    /// A literal name, id or ARN.
    Literal(String),
    /// Something outside the configuration (a data source, an absent argument).
    External,
    /// An unknown value that names no resource: it could be anything.
    Unresolved(Value),
}

pub(crate) struct Index<'a> {
    pub raw: &'a [RawResource],
    by_addr: HashMap<&'a str, usize>,
    by_type: HashMap<&'a str, Vec<usize>>,
    /// Companion targets per (types, argument), resolved once: joining every
    /// parent against every companion again would be quadratic on big trees.
    joins: RefCell<HashMap<JoinKey, Rc<Targets>>>,
}

/// The companion types and the argument naming their target.
type JoinKey = (Vec<String>, String);

/// Where the companions of some types point, by kind of target.
#[derive(Default)]
struct Targets {
    by_parent: HashMap<usize, Vec<usize>>,
    /// Literal targets under every name they may mean (see [`literal_keys`]).
    literals: HashMap<String, Vec<usize>>,
    unresolved: Vec<(usize, Value)>,
}

/// The companions of one resource.
pub(crate) struct Join<'a> {
    pub matched: Vec<&'a RawResource>,
    /// Companions whose target is unknown, with the marker: any of them may
    /// configure this resource too.
    pub unresolved: Vec<(&'a RawResource, Value)>,
}

impl Join<'_> {
    pub fn uncertain(&self) -> Option<Value> {
        self.unresolved.first().map(|(_, m)| m.clone())
    }
}

/// One companion of a resource that can have at most one (a bucket's versioning).
pub(crate) enum One<'a> {
    Found(&'a RawResource),
    None,
    Unknown(Value),
}

/// Splits an address into its dot-separated parts, keeping `[...]` keys (which may
/// contain dots) whole.
fn segments(addr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0usize);
    let bytes = addr.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'"' if depth > 0 && (i == 0 || bytes[i - 1] != b'\\') => quoted = !quoted,
            b'[' if !quoted => depth += 1,
            b']' if !quoted => depth -= 1,
            b'.' if depth == 0 && !quoted => {
                out.push(&addr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&addr[start..]);
    out
}

/// `module.a.module.b.` for `module.a.module.b.aws_x.y`, empty at the root.
pub(crate) fn module_prefix(addr: &str) -> String {
    let segs = segments(addr);
    let mut prefix = String::new();
    let mut i = 0;
    while i + 1 < segs.len() && segs[i] == "module" {
        prefix.push_str("module.");
        prefix.push_str(segs[i + 1]);
        prefix.push('.');
        i += 2;
    }
    prefix
}

/// An address without the instance key of its last part: `aws_x.y` for `aws_x.y[0]`.
fn without_key(addr: &str) -> &str {
    match addr.strip_suffix(']').and_then(|s| s.rfind('[')) {
        Some(i) => &addr[..i],
        None => addr,
    }
}

/// The names a literal may stand for: itself and every tail after a `:` or `/`
/// (an ARN or URL ending in the name); the same rule as [`literal_matches`].
fn literal_keys(lit: &str) -> impl Iterator<Item = &str> {
    std::iter::once(lit).chain(
        lit.char_indices()
            .filter(|(_, c)| *c == ':' || *c == '/')
            .map(move |(i, _)| &lit[i + 1..])
            .filter(|t| !t.is_empty()),
    )
}

/// Whether `lit` names a resource known by `names`: equal, or an ARN / URL ending
/// in the name.
fn literal_matches(lit: &str, names: &[String]) -> bool {
    names.iter().any(|n| {
        !n.is_empty()
            && (lit == n || lit.ends_with(&format!(":{n}")) || lit.ends_with(&format!("/{n}")))
    })
}

impl<'a> Index<'a> {
    pub fn new(raw: &'a [RawResource]) -> Self {
        let mut by_addr = HashMap::new();
        let mut by_type: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in raw.iter().enumerate() {
            by_addr.insert(r.address.as_str(), i);
            by_type.entry(r.type_name.as_str()).or_default().push(i);
        }
        Index {
            raw,
            by_addr,
            by_type,
            joins: RefCell::new(HashMap::new()),
        }
    }

    pub fn of_type<'s>(
        &'s self,
        types: &'s [&'s str],
    ) -> impl Iterator<Item = (usize, &'a RawResource)> + 's {
        types
            .iter()
            .flat_map(move |t| self.by_type.get(t).into_iter().flatten())
            .map(move |&i| (i, &self.raw[i]))
    }

    /// The resource an address refers to, seen from `from`: as written, relative to
    /// `from`'s module, or (for a reference without an instance key to a resource
    /// with `count`/`for_each`) the only instance.
    pub fn resolve(&self, addr: &str, from: &RawResource) -> Option<usize> {
        let addr = addr.strip_prefix("resource.").unwrap_or(addr);
        let candidates = [
            addr.to_string(),
            format!("{}{addr}", module_prefix(&from.address)),
        ];
        for c in &candidates {
            if let Some(&i) = self.by_addr.get(c.as_str()) {
                return Some(i);
            }
        }
        for c in &candidates {
            let base = without_key(c);
            let mut found = self
                .raw
                .iter()
                .enumerate()
                .filter(|(_, r)| without_key(&r.address) == base);
            if let (Some((i, _)), None) = (found.next(), found.next()) {
                return Some(i);
            }
        }
        None
    }

    pub fn target(&self, v: Option<&Value>, from: &RawResource) -> Target {
        match v {
            None | Some(Value::Null) => Target::External,
            Some(Value::String(s)) if s.is_empty() => Target::External,
            Some(Value::String(s)) => Target::Literal(s.clone()),
            Some(Value::Number(n)) => Target::Literal(n.to_string()),
            Some(v) if is_unknown(v) => match unknown_ref_address(v) {
                Some(addr) => self
                    .resolve(addr, from)
                    .map_or(Target::External, Target::Res),
                None => Target::Unresolved(v.clone()),
            },
            Some(_) => Target::External,
        }
    }

    pub fn target_of(&self, r: &RawResource, key: &str) -> Target {
        self.target(arg(&r.attributes, key), r)
    }

    /// The resource of `types` an argument of `from` refers to, if any.
    pub fn referenced(&self, from: &RawResource, key: &str, types: &[&str]) -> Option<usize> {
        match self.target_of(from, key) {
            Target::Res(i) if types.contains(&self.raw[i].type_name.as_str()) => Some(i),
            Target::Literal(l) => {
                let mut hits = self.of_type(types).filter(|(_, r)| {
                    crate::names_of(r).iter().any(|n| n == &l)
                        || literal_matches(&l, &crate::names_of(r))
                });
                match (hits.next(), hits.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn targets(&self, types: &[&str], key: &str) -> Rc<Targets> {
        let k = (
            types.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            key.to_string(),
        );
        if let Some(t) = self.joins.borrow().get(&k) {
            return Rc::clone(t);
        }
        let mut t = Targets::default();
        for (ci, c) in self.of_type(types) {
            match self.target_of(c, key) {
                Target::Res(p) => t.by_parent.entry(p).or_default().push(ci),
                Target::Literal(l) => {
                    for k in literal_keys(&l) {
                        t.literals.entry(k.to_string()).or_default().push(ci);
                    }
                }
                Target::Unresolved(m) => t.unresolved.push((ci, m)),
                Target::External => {}
            }
        }
        let t = Rc::new(t);
        self.joins.borrow_mut().insert(k, Rc::clone(&t));
        t
    }

    /// Companions of `types` whose `key` argument points at `parent`, by reference
    /// or by one of the parent's literal `names`.
    pub fn join(&self, types: &[&str], key: &str, parent: usize, names: &[String]) -> Join<'a> {
        let t = self.targets(types, key);
        let mut idx: Vec<usize> = t.by_parent.get(&parent).cloned().unwrap_or_default();
        for n in names.iter().filter(|n| !n.is_empty()) {
            idx.extend(t.literals.get(n.as_str()).into_iter().flatten());
        }
        // Keep the configuration's order whichever way a companion was matched.
        idx.sort_unstable();
        idx.dedup();
        Join {
            matched: idx.into_iter().map(|ci| &self.raw[ci]).collect(),
            unresolved: t
                .unresolved
                .iter()
                .map(|(ci, m)| (&self.raw[*ci], m.clone()))
                .collect(),
        }
    }

    pub fn one(&self, types: &[&str], key: &str, parent: usize, names: &[String]) -> One<'a> {
        let j = self.join(types, key, parent, names);
        match (j.matched.first(), j.uncertain()) {
            (Some(c), _) => One::Found(c),
            (None, Some(m)) => One::Unknown(m),
            (None, None) => One::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_around_keys() {
        assert_eq!(
            segments(r#"module.a["x.y"].aws_s3_bucket.b[0]"#),
            vec!["module", r#"a["x.y"]"#, "aws_s3_bucket", "b[0]"]
        );
        assert_eq!(
            module_prefix("module.a.module.b.aws_x.y"),
            "module.a.module.b."
        );
        assert_eq!(module_prefix("aws_x.y"), "");
        assert_eq!(without_key(r#"aws_x.y["k"]"#), "aws_x.y");
    }

    #[test]
    fn literals_match_names_and_arns() {
        let names = vec!["logs".to_string()];
        assert!(literal_matches("logs", &names));
        assert!(literal_matches("arn:aws:sns:eu-west-1:1:logs", &names));
        assert!(!literal_matches("other-logs", &names));
        let keys: Vec<&str> = literal_keys("arn:aws:logs:r:1:log-group:/a/b").collect();
        assert!(keys.contains(&"/a/b") && keys.contains(&"b") && keys.contains(&"log-group:/a/b"));
    }
}
