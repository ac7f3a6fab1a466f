//! Which opens the kernel may drop: a necessary condition derived from the rules.
//!
//! For every rule that can see an open-family event we look for a condition
//! that any match must satisfy: "the open is for writing" and/or "the path is
//! below one of these prefixes". Atoms we cannot express (negations,
//! process fields...) are treated as "could be true", so the derived filter
//! only ever drops opens no rule could match. If one rule yields nothing
//! usable, every open is reported.

use std::collections::BTreeSet;

use yagura_event::EventType;
use yagura_rules::{CmpOp, CompiledRule, Expr, Value};
use yagura_sensor::OpenFilter;

/// What every match of an expression needs, as far as opens go.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Need {
    /// No open event can satisfy it (e.g. `evt.type = rename`).
    impossible: bool,
    write: bool,
    /// `None`: any path.
    prefixes: Option<BTreeSet<String>>,
}

impl Need {
    fn any() -> Need {
        Need {
            impossible: false,
            write: false,
            prefixes: None,
        }
    }
}

fn values(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Quoted(s) | Value::Bare(s) => out.push(s.clone()),
        Value::List(items) => items.iter().for_each(|i| values(i, out)),
        Value::FieldValue(_) => {}
    }
}

fn path_field(name: &str) -> bool {
    matches!(
        name,
        "fd.name" | "evt.arg.name" | "evt.arg.path" | "evt.arg[1]" | "fd.directory"
    )
}

fn need(e: &Expr) -> Need {
    match e {
        Expr::And(items) => {
            let mut out = Need::any();
            for i in items {
                let n = need(i);
                out.impossible |= n.impossible;
                out.write |= n.write;
                out.prefixes = match (out.prefixes, n.prefixes) {
                    (None, p) | (p, None) => p,
                    // Both must hold: either set alone is a valid necessary
                    // condition; keep the narrower-looking one.
                    (Some(a), Some(b)) => Some(if b.len() < a.len() { b } else { a }),
                };
            }
            out
        }
        Expr::Or(items) => {
            // Branches no open can take do not weaken what opens need.
            let mut it = items.iter().map(need).filter(|n| !n.impossible);
            let Some(mut out) = it.next() else {
                return Need {
                    impossible: true,
                    ..Need::any()
                };
            };
            for n in it {
                out.write &= n.write;
                out.prefixes = match (out.prefixes, n.prefixes) {
                    (Some(mut a), Some(b)) => {
                        a.extend(b);
                        Some(a)
                    }
                    _ => None,
                };
            }
            out
        }
        Expr::Not(_) | Expr::Macro(_) => Need::any(),
        Expr::Check { lhs, op, rhs } => {
            let field = lhs.field();
            let plain = matches!(lhs, yagura_rules::Operand::Field(_));
            let Some(rhs) = rhs else {
                return Need::any();
            };
            if field.name == "evt.is_open_write" && *op == CmpOp::Eq {
                return Need {
                    write: rhs.as_text() == Some("true"),
                    ..Need::any()
                };
            }
            if field.name == "evt.type" && plain && matches!(op, CmpOp::Eq | CmpOp::In) {
                let mut vals = Vec::new();
                values(rhs, &mut vals);
                let any_open = vals
                    .iter()
                    .any(|v| EventType::from_name(v).is_some_and(yagura_sensor::syscalls::is_open));
                // creat always opens for writing.
                let only_creat = !vals.is_empty() && vals.iter().all(|v| v == "creat");
                return Need {
                    impossible: !any_open,
                    write: only_creat,
                    ..Need::any()
                };
            }
            // Each of these flags makes an open a write in the kernel's test.
            if field.name == "evt.arg.flags" && plain && *op == CmpOp::Contains {
                let write_flag = rhs
                    .as_text()
                    .is_some_and(|f| matches!(f, "O_WRONLY" | "O_RDWR" | "O_CREAT" | "O_TRUNC"));
                return Need {
                    write: write_flag,
                    ..Need::any()
                };
            }
            if !plain || !path_field(&field.to_string()) {
                return Need::any();
            }
            let mut vals = Vec::new();
            values(rhs, &mut vals);
            let dir = field.name == "fd.directory";
            let prefixes: Option<BTreeSet<String>> = match op {
                CmpOp::Eq | CmpOp::In | CmpOp::StartsWith | CmpOp::PMatch => Some(
                    vals.into_iter()
                        .map(|v| {
                            if dir && !v.ends_with('/') {
                                format!("{v}/")
                            } else {
                                v
                            }
                        })
                        .collect(),
                ),
                CmpOp::Glob => Some(
                    vals.into_iter()
                        .map(|v| {
                            let cut = v.find(['*', '?', '[']).unwrap_or(v.len());
                            v[..cut].to_string()
                        })
                        .collect(),
                ),
                _ => None,
            };
            // An empty or relative prefix says nothing the kernel can use.
            let prefixes =
                prefixes.filter(|p| !p.is_empty() && p.iter().all(|s| s.starts_with('/')));
            Need {
                prefixes,
                ..Need::any()
            }
        }
    }
}

fn sees_opens(types: &Option<BTreeSet<String>>) -> bool {
    match types {
        None => true,
        Some(t) => t
            .iter()
            .any(|name| EventType::from_name(name).is_some_and(yagura_sensor::syscalls::is_open)),
    }
}

/// The open filter for a set of rules, or `None` when every open must be seen.
pub fn open_filter<'a>(rules: impl IntoIterator<Item = &'a CompiledRule>) -> Option<OpenFilter> {
    let mut f = OpenFilter::default();
    for r in rules {
        if !sees_opens(&r.event_types) {
            continue;
        }
        let n = need(&r.expr);
        if n.impossible {
            continue;
        }
        match (n.write, n.prefixes) {
            (_, None) if !n.write => return None,
            (true, None) => f.all_writes = true,
            (true, Some(p)) => f.write_prefixes.extend(p),
            (false, Some(p)) => f.prefixes.extend(p),
            (false, None) => return None,
        }
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(cond: &str) -> CompiledRule {
        let yaml = format!(
            "- rule: r\n  desc: d\n  condition: {cond}\n  output: o\n  priority: WARNING\n"
        );
        let set = yagura_rules::load_rules(&yaml, "t.yaml").expect("loads");
        let c = yagura_rules::compile(&set);
        c.rules.into_iter().next().expect("compiles")
    }

    #[test]
    fn prefixes_and_writes_are_collected() {
        let a = rule("evt.type=openat and fd.name startswith /etc/ and not proc.name=vi");
        let b =
            rule("evt.type=openat and evt.is_open_write=true and fd.directory in (/bin, /sbin)");
        let f = open_filter([&a, &b]).expect("filter");
        assert!(f.prefixes.contains("/etc/"));
        assert!(f.write_prefixes.contains("/bin/"));
        assert!(!f.all_writes);
    }

    #[test]
    fn a_rule_without_a_path_or_write_need_disables_filtering() {
        let a = rule("evt.type=openat and proc.name=cat");
        assert_eq!(open_filter([&a]), None);
    }

    #[test]
    fn or_needs_every_branch() {
        let a = rule("evt.type=openat and (fd.name=/etc/shadow or proc.name=cat)");
        assert_eq!(open_filter([&a]), None);
        let b = rule("evt.type=openat and (fd.name=/etc/shadow or fd.name startswith /root/.ssh/)");
        let f = open_filter([&b]).expect("filter");
        assert_eq!(f.prefixes.len(), 2);
    }

    #[test]
    fn default_ruleset_keeps_the_filter_on() {
        let set = yagura_rules::load_rules(yagura_ruleset::DEFAULT_RULES, "d.yaml").expect("loads");
        let c = yagura_rules::compile(&set);
        for r in &c.rules {
            if sees_opens(&r.event_types) {
                let n = need(&r.expr);
                assert!(
                    n.impossible || n.write || n.prefixes.is_some(),
                    "rule {:?} needs every open",
                    r.name
                );
            }
        }
        assert!(open_filter(&c.rules).is_some());
    }

    #[test]
    fn rules_without_opens_do_not_matter() {
        let a = rule("evt.type=execve and proc.name=sh");
        assert_eq!(open_filter([&a]), Some(OpenFilter::default()));
    }
}
