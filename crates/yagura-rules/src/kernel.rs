//! Translation of a rule into a predicate an eBPF program can test at syscall entry,
//! so `response: kill` can stop the call before it happens.
//!
//! Only a small, exact subset is accepted: anything the kernel side could not test
//! exactly is refused, naming the atom, because a kernel-side kill on an
//! over-approximated condition would kill innocent processes.

use std::collections::BTreeSet;

use yagura_event::EventType;

use crate::condition::{CmpOp, Expr, Operand, Value};
use crate::rules::CompiledRule;

/// A test on the event's primary path (`fd.name` of a file event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathTest {
    /// The path equals one of these.
    Exact(Vec<String>),
    /// The path starts with one of these.
    Prefix(Vec<String>),
}

/// One conjunction: every present part must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelConjunct {
    /// Never empty.
    pub event_types: BTreeSet<EventType>,
    pub path: Option<PathTest>,
    /// `comm` is one of these (each at most 15 bytes).
    pub comm: Option<Vec<String>>,
    /// Only outside the host (`container.id != host`).
    pub container_only: bool,
    /// Only opens for writing (`evt.is_open_write = true`).
    pub open_write: bool,
}

/// A disjunction of [`KernelConjunct`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelPredicate {
    pub alternatives: Vec<KernelConjunct>,
}

/// Beyond this many alternatives the kernel tables grow too large.
const MAX_ALTERNATIVES: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Types(BTreeSet<EventType>),
    Path(PathTest),
    Comm(Vec<String>),
    ContainerOnly,
    OpenWrite,
    /// Always true at syscall exit, so always true here (`evt.dir = <`).
    True,
}

fn texts(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Quoted(s) | Value::Bare(s) => Some(vec![s.clone()]),
        Value::List(items) => items
            .iter()
            .map(|i| i.as_text().map(str::to_string))
            .collect(),
        Value::FieldValue(_) => None,
    }
}

fn describe(e: &Expr) -> String {
    match e {
        Expr::Check { lhs, op, rhs } => {
            let r = match rhs {
                Some(v) => texts(v).map_or("val(...)".into(), |t| t.join(", ")),
                None => String::new(),
            };
            format!("{} {op:?} {r}", render_operand(lhs))
                .trim_end()
                .to_string()
        }
        Expr::Not(x) => format!("not ({})", describe(x)),
        Expr::Macro(m) => m.clone(),
        Expr::And(_) => "(... and ...)".into(),
        Expr::Or(_) => "(... or ...)".into(),
    }
}

fn render_operand(o: &Operand) -> String {
    match o {
        Operand::Field(f) => f.to_string(),
        Operand::Transformed(t, inner) => format!("{t:?}({})", render_operand(inner)),
    }
}

fn atom(e: &Expr) -> Result<Vec<Atom>, String> {
    let refuse = || Err(format!("cannot test in the kernel: {}", describe(e)));
    // Some atoms (pmatch) expand into alternatives; they are returned as several.
    let (lhs, op, rhs) = match e {
        Expr::Check { lhs, op, rhs } => (lhs, *op, rhs.as_ref()),
        Expr::Not(inner) => {
            if let Expr::Check {
                lhs: Operand::Field(f),
                op: CmpOp::Eq,
                rhs: Some(v),
            } = &**inner
            {
                if f.name == "container.id" && f.arg.is_none() && v.as_text() == Some("host") {
                    return Ok(vec![Atom::ContainerOnly]);
                }
            }
            return refuse();
        }
        _ => return refuse(),
    };
    let Operand::Field(f) = lhs else {
        return refuse();
    };
    if f.arg.is_some() {
        return refuse();
    }
    let Some(vals) = rhs.and_then(texts) else {
        return refuse();
    };
    match (f.name.as_str(), op) {
        ("evt.type", CmpOp::Eq | CmpOp::In) => {
            let mut set = BTreeSet::new();
            for v in &vals {
                match EventType::from_name(v) {
                    Some(t) => {
                        set.insert(t);
                    }
                    // Unsupported types never occur: they drop out of the set.
                    None => continue,
                }
            }
            Ok(vec![Atom::Types(set)])
        }
        ("evt.dir", CmpOp::Eq) if vals == ["<"] => Ok(vec![Atom::True]),
        ("container.id", CmpOp::Ne) if vals == ["host"] => Ok(vec![Atom::ContainerOnly]),
        ("evt.is_open_write", CmpOp::Eq) if vals == ["true"] => Ok(vec![Atom::OpenWrite]),
        ("proc.name", CmpOp::Eq | CmpOp::In) => {
            if let Some(long) = vals.iter().find(|v| v.len() > 15) {
                return Err(format!(
                    "cannot test in the kernel: proc.name value {long:?} is longer than comm (15 bytes)"
                ));
            }
            Ok(vec![Atom::Comm(vals)])
        }
        ("fd.name" | "evt.arg.name" | "evt.arg.path", CmpOp::Eq | CmpOp::In) => {
            Ok(vec![Atom::Path(PathTest::Exact(vals))])
        }
        ("fd.name" | "evt.arg.name" | "evt.arg.path", CmpOp::StartsWith) => {
            Ok(vec![Atom::Path(PathTest::Prefix(vals))])
        }
        // pmatch: the path itself, or anything under it.
        ("fd.name" | "evt.arg.name" | "evt.arg.path", CmpOp::PMatch) => {
            let dirs: Vec<String> = vals
                .iter()
                .map(|v| v.trim_end_matches('/').to_string())
                .collect();
            Ok(vec![
                Atom::Path(PathTest::Exact(dirs.clone())),
                Atom::Path(PathTest::Prefix(
                    dirs.iter().map(|d| format!("{d}/")).collect(),
                )),
            ])
        }
        // Over-approximates (subdirectories match too), as the sensor accepts.
        ("fd.directory", CmpOp::Eq | CmpOp::In) => Ok(vec![Atom::Path(PathTest::Prefix(
            vals.iter()
                .map(|d| format!("{}/", d.trim_end_matches('/')))
                .collect(),
        ))]),
        _ => refuse(),
    }
}

/// Disjunctive normal form: alternatives of atom lists.
fn dnf(e: &Expr) -> Result<Vec<Vec<Atom>>, String> {
    match e {
        Expr::Or(v) => {
            let mut out = Vec::new();
            for x in v {
                out.extend(dnf(x)?);
                if out.len() > MAX_ALTERNATIVES {
                    return Err(format!("more than {MAX_ALTERNATIVES} alternatives"));
                }
            }
            Ok(out)
        }
        Expr::And(v) => {
            let mut acc: Vec<Vec<Atom>> = vec![Vec::new()];
            for x in v {
                let alts = dnf(x)?;
                let mut next = Vec::new();
                for a in &acc {
                    for b in &alts {
                        let mut c = a.clone();
                        c.extend(b.iter().cloned());
                        next.push(c);
                    }
                }
                if next.len() > MAX_ALTERNATIVES {
                    return Err(format!("more than {MAX_ALTERNATIVES} alternatives"));
                }
                acc = next;
            }
            Ok(acc)
        }
        other => Ok(atom(other)?.into_iter().map(|a| vec![a]).collect()),
    }
}

fn conjunct(atoms: Vec<Atom>) -> Result<Option<KernelConjunct>, String> {
    let mut types: Option<BTreeSet<EventType>> = None;
    let mut path = None;
    let mut comm: Option<Vec<String>> = None;
    let mut container_only = false;
    let mut open_write = false;
    for a in atoms {
        match a {
            Atom::Types(t) => {
                types = Some(match types {
                    None => t,
                    Some(prev) => prev.intersection(&t).copied().collect(),
                })
            }
            Atom::Path(p) => {
                if path.is_some() {
                    return Err("cannot test in the kernel: more than one path test".into());
                }
                path = Some(p);
            }
            Atom::Comm(c) => {
                comm = Some(match comm {
                    None => c,
                    Some(prev) => prev.into_iter().filter(|x| c.contains(x)).collect(),
                })
            }
            Atom::ContainerOnly => container_only = true,
            Atom::OpenWrite => open_write = true,
            Atom::True => {}
        }
    }
    let Some(event_types) = types else {
        return Err("cannot test in the kernel: no evt.type restriction".into());
    };
    // An empty set (or empty comm list) can never match: drop the alternative.
    if event_types.is_empty() || comm.as_ref().is_some_and(Vec::is_empty) {
        return Ok(None);
    }
    Ok(Some(KernelConjunct {
        event_types,
        path,
        comm,
        container_only,
        open_write,
    }))
}

/// Translate a rule's expanded condition for kernel-side enforcement.
pub fn kernel_predicate(rule: &CompiledRule) -> Result<KernelPredicate, String> {
    let mut alternatives = Vec::new();
    for atoms in dnf(&rule.expr).map_err(|e| format!("rule {:?}: {e}", rule.name))? {
        if let Some(c) = conjunct(atoms).map_err(|e| format!("rule {:?}: {e}", rule.name))? {
            alternatives.push(c);
        }
    }
    if alternatives.is_empty() {
        return Err(format!("rule {:?}: can never match", rule.name));
    }
    Ok(KernelPredicate { alternatives })
}
