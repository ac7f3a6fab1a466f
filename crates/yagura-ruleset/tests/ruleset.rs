//! Structural checks of the default rules and their fixtures.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_yaml::Value as Yaml;
use yagura_event::Event;
use yagura_rules::{compile, load_rules, parse_condition, render_output, Expr, RuleSet, Value};
use yagura_ruleset::{
    rule_slug, rules_markdown, tactic_tags, technique_tags, DEFAULT_RULES, DEFAULT_RULES_FILE,
};

fn rules() -> RuleSet {
    load_rules(DEFAULT_RULES, DEFAULT_RULES_FILE).expect("default rules load")
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Fields the engine documents for yagura events (brief of issue 5), plus the
/// `evt.arg.*` names it renders.
const SUPPORTED_FIELDS: &[&str] = &[
    "evt.type",
    "evt.res",
    "evt.failed",
    "evt.is_open_write",
    "evt.is_open_read",
    "evt.arg.name",
    "evt.arg.flags",
    "evt.arg.mode",
    "evt.arg.oldpath",
    "evt.arg.newpath",
    "evt.arg.request",
    "evt.arg.nstype",
    "evt.arg.uid",
    "evt.arg.dev",
    "evt.arg.dir",
    "evt.arg.type",
    "evt.arg.cmd",
    "proc.name",
    "proc.exe",
    "proc.exepath",
    "proc.cmdline",
    "proc.args",
    "proc.pid",
    "proc.pname",
    "proc.pexepath",
    "proc.pcmdline",
    "proc.aname",
    "proc.cwd",
    "proc.tty",
    "proc.is_exe_upper_layer",
    "proc.is_exe_from_memfd",
    "user.uid",
    "user.name",
    "user.loginuid",
    "group.gid",
    "fd.name",
    "fd.directory",
    "fd.filename",
    "fd.typechar",
    "fd.type",
    "fd.sip",
    "fd.sport",
    "fd.rip",
    "fd.rport",
    "fd.lport",
    "fd.l4proto",
    "fd.sockfamily",
    "fd.net",
    "container.id",
    "container.name",
    "container.image",
    "container.image.repository",
    "container.privileged",
    "k8s.pod.name",
    "k8s.ns.name",
];

const PRIORITIES: &[&str] = &[
    "EMERGENCY",
    "ALERT",
    "CRITICAL",
    "ERROR",
    "WARNING",
    "NOTICE",
    "INFORMATIONAL",
    "INFO",
    "DEBUG",
];

/// Walk a parsed (unexpanded) condition.
fn walk<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    f(e);
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| walk(x, f)),
        Expr::Not(x) => walk(x, f),
        Expr::Macro(_) | Expr::Check { .. } => {}
    }
}

/// Every parsed condition in the file: (item name, expression).
fn conditions(set: &RuleSet) -> Vec<(String, Expr)> {
    let mut out = Vec::new();
    for m in &set.macros {
        let e = parse_condition(&m.condition).unwrap_or_else(|e| panic!("macro {}: {e}", m.name));
        out.push((format!("macro {}", m.name), e));
    }
    for r in &set.rules {
        let e = parse_condition(&r.condition).unwrap_or_else(|e| panic!("rule {}: {e}", r.name));
        out.push((format!("rule {}", r.name), e));
    }
    out
}

#[test]
fn rules_load_and_compile_cleanly() {
    let set = rules();
    assert_eq!(set.required_engine_version.as_deref(), Some("0.1.0"));
    assert!(set.rules.len() >= 30, "only {} rules", set.rules.len());
    let compiled = compile(&set);
    assert!(compiled.skipped.is_empty(), "{:?}", compiled.skipped);
    assert!(
        compiled.macro_errors.is_empty(),
        "{:?}",
        compiled.macro_errors
    );
    assert_eq!(compiled.rules.len(), set.rules.len());
    for r in &compiled.rules {
        assert!(r.enabled, "{} is disabled", r.name);
        // Every rule must be indexable by event type, never evaluated for all events.
        let types = r
            .event_types
            .as_ref()
            .unwrap_or_else(|| panic!("{} is not limited to event types", r.name));
        for t in types {
            assert!(
                yagura_event::EventType::from_name(t).is_some(),
                "{}: event type {t} is never emitted",
                r.name
            );
        }
    }
}

#[test]
fn every_rule_is_documented_and_tagged() {
    let set = rules();
    let mut slugs = BTreeSet::new();
    for r in &set.rules {
        assert!(
            !tactic_tags(&r.tags).is_empty(),
            "{}: no mitre_ tag",
            r.name
        );
        assert!(
            !technique_tags(&r.tags).is_empty(),
            "{}: no technique ID tag",
            r.name
        );
        assert!(!r.output.trim().is_empty(), "{}: empty output", r.name);
        assert!(r.output.contains('%'), "{}: output has no fields", r.name);
        assert!(
            r.desc.split_whitespace().count() >= 8,
            "{}: short desc",
            r.name
        );
        assert!(
            PRIORITIES.contains(&r.priority.as_str()),
            "{}: priority {}",
            r.name,
            r.priority
        );
        assert_eq!(r.response, yagura_rules::Response::Log, "{}", r.name);
        assert!(slugs.insert(rule_slug(&r.name)), "{}: slug clash", r.name);
        // Outputs must say who and where: process, command line, user, container.
        for needed in ["%proc.name", "%proc.cmdline", "%user.name", "%container.id"] {
            assert!(
                r.output.contains(needed),
                "{}: output lacks {needed}",
                r.name
            );
        }
    }
}

#[test]
fn only_supported_fields_are_used() {
    let set = rules();
    let supported: BTreeSet<&str> = SUPPORTED_FIELDS.iter().copied().collect();
    for (item, e) in conditions(&set) {
        walk(&e, &mut |x| {
            if let Expr::Check { lhs, rhs, .. } = x {
                let name = lhs.field().name.as_str();
                assert!(supported.contains(name), "{item}: field {name}");
                if let Some(Value::FieldValue(f)) = rhs {
                    let name = f.field().name.as_str();
                    assert!(supported.contains(name), "{item}: field {name}");
                }
            }
        });
    }
    for r in &set.rules {
        for e in &r.exceptions {
            for f in &e.fields {
                assert!(supported.contains(f.as_str()), "{}: field {f}", r.name);
            }
        }
        render_output(&r.output, |name, _| {
            assert!(supported.contains(name), "{}: output field {name}", r.name);
            None
        });
    }
}

#[test]
fn lists_are_sound() {
    let set = rules();
    let list_names: BTreeSet<&str> = set.lists.iter().map(|l| l.name.as_str()).collect();
    let macro_names: BTreeSet<&str> = set.macros.iter().map(|m| m.name.as_str()).collect();
    // Process names are matched against `comm`, which the kernel cuts at 15 bytes.
    for l in &set.lists {
        if l.name.ends_with("_programs") {
            for item in &l.items {
                assert!(
                    item.len() <= 15 || list_names.contains(item.as_str()),
                    "list {}: {item} is longer than a process name can be",
                    l.name
                );
            }
        }
    }
    let mut used_lists = BTreeSet::new();
    let mut used_macros = BTreeSet::new();
    for l in &set.lists {
        for item in &l.items {
            if list_names.contains(item.as_str()) {
                used_lists.insert(item.clone());
            }
        }
    }
    for (item, e) in conditions(&set) {
        walk(&e, &mut |x| match x {
            Expr::Macro(m) => {
                used_macros.insert(m.clone());
            }
            Expr::Check {
                lhs,
                rhs: Some(Value::List(values)),
                ..
            } => {
                for v in values {
                    let Value::Bare(word) = v else { continue };
                    if list_names.contains(word.as_str()) {
                        used_lists.insert(word.clone());
                    } else if lhs.field().name != "evt.type"
                        && word.contains('_')
                        && word.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    {
                        // Looks like a list reference but names no list: a typo would
                        // silently turn into a literal value.
                        panic!("{item}: {word} is not a defined list");
                    }
                }
            }
            _ => {}
        });
    }
    for r in &set.rules {
        for e in &r.exceptions {
            for v in &e.values {
                let mut stack = vec![v];
                while let Some(v) = stack.pop() {
                    match v {
                        Yaml::Sequence(s) => stack.extend(s.iter()),
                        Yaml::String(s) if list_names.contains(s.as_str()) => {
                            used_lists.insert(s.clone());
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let unused: Vec<&&str> = list_names
        .iter()
        .filter(|l| !used_lists.contains(**l))
        .collect();
    assert!(unused.is_empty(), "unused lists: {unused:?}");
    let unused: Vec<&&str> = macro_names
        .iter()
        .filter(|m| !used_macros.contains(**m))
        .collect();
    assert!(unused.is_empty(), "unused macros: {unused:?}");
}

#[test]
fn every_rule_has_match_and_nomatch_fixtures() {
    let set = rules();
    let dir = fixtures_dir();
    let mut expected = BTreeSet::new();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in &set.rules {
        let slug = rule_slug(&r.name);
        let folder = dir.join(&slug);
        let entries = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {}: {e}", r.name, folder.display()));
        let (mut matches, mut nomatches) = (0, 0);
        for entry in entries {
            let path = entry.expect("dir entry").path();
            let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
            assert!(file.ends_with(".json"), "stray file {}", path.display());
            if file.starts_with("match-") {
                matches += 1;
            } else if file.starts_with("nomatch-") {
                nomatches += 1;
            } else {
                panic!("{}: neither match- nor nomatch-", path.display());
            }
            let text = std::fs::read_to_string(&path).expect("fixture readable");
            let ev: Event =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                ev.process.container_id,
                ev.container.id,
                "{}",
                path.display()
            );
        }
        assert!(
            matches >= 1 && nomatches >= 1,
            "{}: {matches}/{nomatches}",
            r.name
        );
        counts.insert(slug.clone(), (matches, nomatches));
        expected.insert(slug);
    }
    // No fixture folder may outlive its rule.
    for entry in std::fs::read_dir(&dir).expect("fixtures dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            let name = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
            assert!(expected.contains(name), "fixture folder {name} has no rule");
        }
    }
    assert_eq!(counts.len(), set.rules.len());
}

#[test]
fn markdown_table_lists_every_rule() {
    let set = rules();
    let md = rules_markdown();
    let rows: Vec<&str> = md.lines().skip(2).collect();
    assert_eq!(rows.len(), set.rules.len(), "{md}");
    for (row, rule) in rows.iter().zip(&set.rules) {
        assert!(
            row.starts_with(&format!("| {} | {} |", rule.name, rule.priority)),
            "{row}"
        );
        assert_eq!(row.matches(" | ").count(), 4, "{row}");
        assert!(
            row.contains("https://attack.mitre.org/techniques/T"),
            "{row}"
        );
    }
}

#[test]
fn documented_enforcement_override_works() {
    // The snippet in the rule file's header comment.
    let local = "- rule: Crypto miner started\n  response: kill\n  override: {response: replace}\n";
    let set = yagura_rules::load_rules_files([
        (DEFAULT_RULES, DEFAULT_RULES_FILE),
        (local, "local.yaml"),
    ])
    .expect("override loads");
    let miner = set
        .rules
        .iter()
        .find(|r| r.name == "Crypto miner started")
        .expect("rule exists");
    assert_eq!(miner.response, yagura_rules::Response::Kill);
    assert!(DEFAULT_RULES.contains(local.lines().next().unwrap_or_default()));
}
