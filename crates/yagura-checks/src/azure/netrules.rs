//! The provider-neutral network rule shape shared by Azure NSGs and GCP firewall
//! rules (see docs/resource-model-azure-gcp.md), and the "open to the Internet"
//! evaluation both use:
//!
//! `{"name", "direction": "ingress"|"egress", "action": "allow"|"deny",
//!   "priority": int|null, "protocol": "tcp"|"udp"|"icmp"|"all"|<other>,
//!   "ports": [{"from": int, "to": int}], "sources": [str], "destinations": [str]}`
//!
//! Lower priority numbers win; a deny beats an allow of the same priority. Any field
//! (or list element) may be an unknown-until-apply marker: a rule that could open
//! the port only depending on such a value makes the check NOT_ASSESSED, never a
//! guessed PASS or FAIL.

use serde_json::Value;
use yagura_model::iac::{is_unknown, unknown_reason};
use yagura_model::{Outcome, Resource};

/// A three-valued answer: values unknown until apply give `Maybe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    Yes,
    No,
    Maybe,
}

impl Tri {
    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Maybe,
        }
    }

    fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Maybe => Tri::Maybe,
        }
    }

    fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut out = Tri::No;
        for t in items {
            match t {
                Tri::Yes => return Tri::Yes,
                Tri::Maybe => out = Tri::Maybe,
                Tri::No => {}
            }
        }
        out
    }
}

/// Address prefixes and service tags that mean "anyone on the Internet".
pub(crate) fn is_world(source: &str) -> bool {
    let s = source.trim().to_ascii_lowercase();
    matches!(s.as_str(), "*" | "any" | "internet" | "0.0.0.0" | "::")
        || (s.ends_with("/0") && (s.contains('.') || s.contains(':')))
}

/// What a check asks: is any of `protocols` open on ports `from..=to`?
/// With `whole_range`, a rule counts only when it opens the entire range.
pub(crate) struct Query {
    pub protocols: &'static [&'static str],
    pub from: i64,
    pub to: i64,
    pub whole_range: bool,
    /// For messages: "SSH (tcp 22)".
    pub label: &'static str,
}

fn str_field<'a>(rule: &'a Value, key: &str) -> Option<&'a str> {
    rule.get(key).and_then(Value::as_str)
}

fn eq_field(rule: &Value, key: &str, want: &str) -> Tri {
    match rule.get(key) {
        Some(Value::String(s)) => {
            if s.eq_ignore_ascii_case(want) {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        Some(v) if is_unknown(v) => Tri::Maybe,
        _ => Tri::No,
    }
}

fn has_world_source(rule: &Value) -> Tri {
    match rule.get("sources") {
        Some(Value::Array(a)) => Tri::any(a.iter().map(|s| match s {
            Value::String(s) if is_world(s) => Tri::Yes,
            v if is_unknown(v) => Tri::Maybe,
            _ => Tri::No,
        })),
        Some(v) if is_unknown(v) => Tri::Maybe,
        _ => Tri::No,
    }
}

fn protocol_matches(rule: &Value, q: &Query) -> Tri {
    match rule.get("protocol") {
        Some(Value::String(p)) => {
            let p = p.to_ascii_lowercase();
            if p == "all" || q.protocols.contains(&p.as_str()) {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        Some(v) if is_unknown(v) => Tri::Maybe,
        _ => Tri::No,
    }
}

/// The rule's port ranges; `Err(())` when some are unknown until apply.
fn port_ranges(rule: &Value) -> Result<Vec<(i64, i64)>, ()> {
    if rule.get("protocol").and_then(Value::as_str) == Some("all") {
        // "All protocols" admits every port whatever the port list says.
        return Ok(vec![(0, 65535)]);
    }
    match rule.get("ports") {
        Some(Value::Array(a)) => {
            let mut out = Vec::new();
            for p in a {
                let from = p.get("from").and_then(Value::as_i64);
                let to = p.get("to").and_then(Value::as_i64);
                match (from, to) {
                    (Some(f), Some(t)) => out.push((f, t)),
                    _ => return Err(()),
                }
            }
            Ok(out)
        }
        Some(v) if is_unknown(v) => Err(()),
        _ => Ok(vec![]),
    }
}

/// The parts of the query range this rule's ports touch (`Err` when unknown).
fn overlap(rule: &Value, q: &Query) -> Result<Vec<(i64, i64)>, ()> {
    Ok(port_ranges(rule)?
        .into_iter()
        .filter_map(|(f, t)| {
            let (lo, hi) = (f.max(q.from), t.min(q.to));
            (lo <= hi).then_some((lo, hi))
        })
        .collect())
}

fn covers(ranges: &[(i64, i64)], (lo, hi): (i64, i64)) -> bool {
    ranges.iter().any(|&(f, t)| f <= lo && hi <= t)
}

fn priority(rule: &Value) -> Result<Option<i64>, ()> {
    match rule.get("priority") {
        Some(Value::Number(n)) => Ok(n.as_i64()),
        Some(v) if is_unknown(v) => Err(()),
        _ => Ok(None),
    }
}

/// Whether an allow rule admits the query from the Internet, and on which ports.
fn allow_opens(rule: &Value, q: &Query) -> (Tri, Vec<(i64, i64)>) {
    let base = eq_field(rule, "direction", "ingress")
        .and(eq_field(rule, "action", "allow"))
        .and(has_world_source(rule))
        .and(protocol_matches(rule, q));
    if base == Tri::No {
        return (Tri::No, vec![]);
    }
    match overlap(rule, q) {
        Err(()) => (Tri::Maybe.and(base), vec![]),
        Ok(parts) if parts.is_empty() => (Tri::No, vec![]),
        Ok(parts) => {
            if q.whole_range && !covers(&parts, (q.from, q.to)) {
                (Tri::No, vec![])
            } else {
                (base, parts)
            }
        }
    }
}

/// Whether a deny rule takes precedence over `allow` for all of `parts`.
fn deny_shadows(deny: &Value, allow: &Value, parts: &[(i64, i64)], q: &Query) -> Tri {
    let base = eq_field(deny, "direction", "ingress")
        .and(eq_field(deny, "action", "deny"))
        .and(has_world_source(deny))
        .and(protocol_matches(deny, q));
    if base == Tri::No {
        return Tri::No;
    }
    let ports = match port_ranges(deny) {
        Ok(p) => {
            // A whole-range query is answered "not fully open" by a deny of any part.
            let hit = if q.whole_range {
                parts
                    .iter()
                    .any(|&(lo, hi)| p.iter().any(|&(f, t)| f <= hi && lo <= t))
            } else {
                parts.iter().all(|&part| covers(&p, part))
            };
            if hit {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        Err(()) => Tri::Maybe,
    };
    let first = match (priority(deny), priority(allow)) {
        (Ok(Some(d)), Ok(Some(a))) => {
            if d <= a {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        // Without priorities the order is unknown, so the deny may or may not win.
        _ => Tri::Maybe,
    };
    base.and(ports).and(first)
}

fn rule_name(rule: &Value, i: usize) -> String {
    match str_field(rule, "name") {
        Some(n) => format!("rule `{n}`"),
        None => format!("rule #{}", i + 1),
    }
}

fn describe_parts(parts: &[(i64, i64)]) -> String {
    parts
        .iter()
        .map(|&(f, t)| {
            if f == t {
                f.to_string()
            } else {
                format!("{f}-{t}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The verdict for "no ingress from the Internet matches `q`" over the rule list
/// under `attr` (`rules`). `disabled: true` on the resource (a GCP firewall rule
/// that is switched off) opens nothing.
pub(crate) fn internet_exposure(r: &Resource, attr: &str, q: &Query) -> Outcome {
    match r.attributes.get("disabled") {
        Some(Value::Bool(true)) => {
            return Outcome::Pass("the rule is disabled, so it admits no traffic".into())
        }
        Some(v) if is_unknown(v) => {
            return Outcome::NotAssessed(format!(
                "whether the rule is disabled is unknown until apply (`{}`)",
                unknown_reason(v).unwrap_or("?")
            ))
        }
        _ => {}
    }
    let rules = match r.attr(attr).array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let mut open = Vec::new();
    let mut unsure = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        if is_unknown(rule) {
            unsure.push(rule_name(rule, i));
            continue;
        }
        let (opens, parts) = allow_opens(rule, q);
        if opens == Tri::No {
            continue;
        }
        let shadow = Tri::any(
            rules
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, d)| {
                    if is_unknown(d) {
                        Tri::Maybe
                    } else {
                        deny_shadows(d, rule, &parts, q)
                    }
                }),
        );
        match opens.and(shadow.not()) {
            Tri::Yes => open.push(format!(
                "{} allows {} port(s) {} from the Internet",
                rule_name(rule, i),
                str_field(rule, "protocol").unwrap_or("?"),
                describe_parts(&parts)
            )),
            Tri::Maybe => unsure.push(rule_name(rule, i)),
            Tri::No => {}
        }
    }
    if !open.is_empty() {
        Outcome::Fail(open.join("; "))
    } else if !unsure.is_empty() {
        Outcome::NotAssessed(format!(
            "whether {} open(s) {} to the Internet depends on values unknown until apply",
            unsure.join(", "),
            q.label
        ))
    } else {
        Outcome::Pass(format!("no rule opens {} to the Internet", q.label))
    }
}

pub(crate) const SSH: Query = Query {
    protocols: &["tcp"],
    from: 22,
    to: 22,
    whole_range: false,
    label: "SSH (tcp 22)",
};

pub(crate) const RDP: Query = Query {
    protocols: &["tcp"],
    from: 3389,
    to: 3389,
    whole_range: false,
    label: "RDP (tcp 3389)",
};

pub(crate) const ANY_UDP: Query = Query {
    protocols: &["udp"],
    from: 0,
    to: 65535,
    whole_range: false,
    label: "any UDP port",
};

pub(crate) const ALL_PORTS: Query = Query {
    protocols: &["tcp", "udp"],
    from: 0,
    to: 65535,
    whole_range: true,
    label: "every port",
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yagura_model::iac::unknown;
    use yagura_model::Status;

    fn res(rules: Value) -> Resource {
        let mut r = Resource::new("azure.network.nsg", "n", "n");
        r.attributes = json!({ "rules": rules });
        r
    }

    /// The verdict's status on the `rules` list, for one-line assertions.
    fn status(r: &Resource, q: &Query) -> Status {
        internet_exposure(r, "rules", q).status()
    }

    fn allow(name: &str, prio: i64, proto: &str, from: i64, to: i64, src: &str) -> Value {
        json!({"name": name, "direction": "ingress", "action": "allow", "priority": prio,
            "protocol": proto, "ports": [{"from": from, "to": to}], "sources": [src], "destinations": ["*"]})
    }

    fn deny(name: &str, prio: i64, proto: &str, from: i64, to: i64, src: &str) -> Value {
        let mut d = allow(name, prio, proto, from, to, src);
        d["action"] = json!("deny");
        d
    }

    #[test]
    fn world_sources() {
        for s in ["*", "Internet", "0.0.0.0/0", "::/0", "any"] {
            assert!(is_world(s), "{s}");
        }
        for s in ["10.0.0.0/8", "VirtualNetwork", "1.2.3.4/32"] {
            assert!(!is_world(s), "{s}");
        }
    }

    #[test]
    fn ranges_and_protocols() {
        let r = res(json!([allow("a", 100, "tcp", 20, 30, "Internet")]));
        assert!(
            matches!(internet_exposure(&r, "rules", &SSH), Outcome::Fail(m) if m.contains("22"))
        );
        assert_eq!(status(&r, &RDP), Status::Pass);
        assert_eq!(status(&r, &ANY_UDP), Status::Pass);
        let all = res(json!([allow("b", 100, "all", 0, 65535, "*")]));
        assert_eq!(status(&all, &ANY_UDP), Status::Fail);
        assert_eq!(status(&all, &ALL_PORTS), Status::Fail);
        assert_eq!(status(&r, &ALL_PORTS), Status::Pass);
        let private = res(json!([allow("c", 100, "tcp", 22, 22, "10.0.0.0/8")]));
        assert_eq!(status(&private, &SSH), Status::Pass);
    }

    #[test]
    fn an_earlier_deny_shadows_an_allow() {
        let r = res(json!([
            deny("d", 100, "tcp", 0, 1024, "*"),
            allow("a", 200, "tcp", 22, 22, "Internet")
        ]));
        assert_eq!(status(&r, &SSH), Status::Pass);
        // A deny with a larger priority number comes too late.
        let late = res(json!([
            deny("d", 300, "tcp", 0, 1024, "*"),
            allow("a", 200, "tcp", 22, 22, "Internet")
        ]));
        assert_eq!(status(&late, &SSH), Status::Fail);
        // A deny from a narrow source does not stop the Internet.
        let narrow = res(json!([
            deny("d", 100, "tcp", 0, 1024, "10.0.0.0/8"),
            allow("a", 200, "tcp", 22, 22, "Internet")
        ]));
        assert_eq!(status(&narrow, &SSH), Status::Fail);
    }

    #[test]
    fn unknown_values_are_not_assessed() {
        let mut a = allow("a", 100, "tcp", 22, 22, "x");
        a["sources"] = json!([unknown("var.cidr")]);
        let r = res(json!([a]));
        assert_eq!(status(&r, &SSH), Status::NotAssessed);
        // An unknown rule may be a deny that takes precedence over the opening.
        let r2 = res(json!([
            unknown("dynamic"),
            allow("b", 100, "tcp", 22, 22, "*")
        ]));
        assert_eq!(status(&r2, &SSH), Status::NotAssessed);
        let mut d = deny("d", 100, "tcp", 22, 22, "*");
        d["priority"] = unknown("var.p");
        let r3 = res(json!([d, allow("b", 200, "tcp", 22, 22, "*")]));
        assert_eq!(status(&r3, &SSH), Status::NotAssessed);
        let mut off = res(json!([allow("b", 100, "tcp", 22, 22, "*")]));
        off.set("disabled", json!(true));
        assert_eq!(status(&off, &SSH), Status::Pass);
    }
}
