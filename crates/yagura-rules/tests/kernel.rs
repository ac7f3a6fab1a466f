//! Kernel-side predicates for `response: kill` rules.

use std::collections::BTreeSet;

use yagura_event::EventType;
use yagura_rules::{compile, kernel_predicate, load_rules, KernelConjunct, PathTest};

fn predicate(cond: &str) -> Result<Vec<KernelConjunct>, String> {
    let y = format!(
        "- macro: open_write\n  condition: evt.type in (open, openat) and evt.is_open_write = true\n\
         - list: miners\n  items: [xmrig, minerd]\n\
         - rule: K\n  condition: {}\n  output: o\n  priority: INFO\n  response: kill\n",
        serde_yaml::to_string(cond).unwrap().trim_end()
    );
    let c = compile(&load_rules(&y, "k.yaml").unwrap());
    assert_eq!(c.rules.len(), 1, "{:?}", c.skipped);
    kernel_predicate(&c.rules[0]).map(|p| p.alternatives)
}

fn types(t: &[EventType]) -> BTreeSet<EventType> {
    t.iter().copied().collect()
}

#[test]
fn exec_by_comm_in_containers() {
    let p = predicate(
        "evt.type in (execve, execveat) and evt.dir = < and proc.name in (miners) and container.id != host",
    )
    .unwrap();
    assert_eq!(
        p,
        vec![KernelConjunct {
            event_types: types(&[EventType::Execve, EventType::Execveat]),
            path: None,
            comm: Some(vec!["xmrig".into(), "minerd".into()]),
            container_only: true,
            open_write: false,
        }]
    );
    let p = predicate("evt.type = execve and not container.id = host").unwrap();
    assert!(p[0].container_only);
}

#[test]
fn writes_below_a_directory() {
    let p = predicate("open_write and (fd.name startswith /etc/ or fd.directory = /boot)").unwrap();
    assert_eq!(p.len(), 2);
    let ow = types(&[EventType::Open, EventType::Openat]);
    assert_eq!(p[0].event_types, ow);
    assert!(p[0].open_write && p[1].open_write);
    assert_eq!(p[0].path, Some(PathTest::Prefix(vec!["/etc/".into()])));
    assert_eq!(p[1].path, Some(PathTest::Prefix(vec!["/boot/".into()])));
}

#[test]
fn exact_and_pmatch_paths() {
    let p = predicate("evt.type = openat and fd.name in (/etc/shadow, /etc/sudoers)").unwrap();
    assert_eq!(
        p[0].path,
        Some(PathTest::Exact(vec![
            "/etc/shadow".into(),
            "/etc/sudoers".into()
        ]))
    );
    let p = predicate("evt.type = unlinkat and evt.arg.name = /x").unwrap();
    assert_eq!(p[0].path, Some(PathTest::Exact(vec!["/x".into()])));
    // pmatch is exact for the directory itself, prefix below it.
    let p = predicate("evt.type = openat and fd.name pmatch (/root/.ssh/)").unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].path, Some(PathTest::Exact(vec!["/root/.ssh".into()])));
    assert_eq!(
        p[1].path,
        Some(PathTest::Prefix(vec!["/root/.ssh/".into()]))
    );
}

#[test]
fn unsupported_types_drop_out() {
    let p = predicate("evt.type in (openat, sendto) and proc.name = nc").unwrap();
    assert_eq!(p[0].event_types, types(&[EventType::Openat]));
    let e = predicate("evt.type = sendto and proc.name = nc").unwrap_err();
    assert!(e.contains("never match"), "{e}");
}

#[test]
fn refusals_name_the_atom() {
    let cases = [
        (
            "evt.type = execve and not proc.name = bash",
            "not (proc.name Eq bash)",
        ),
        (
            "evt.type = execve and proc.cmdline contains x",
            "proc.cmdline Contains x",
        ),
        (
            "evt.type = openat and fd.name regex '.*'",
            "fd.name Regex .*",
        ),
        (
            "evt.type = openat and tolower(fd.name) = x",
            "ToLower(fd.name) Eq x",
        ),
        ("proc.name = x", "no evt.type restriction"),
        (
            "evt.type = openat and fd.name = /a and fd.name startswith /b",
            "more than one path test",
        ),
        (
            "evt.type = execve and proc.name = averyveryverylongname",
            "longer than comm",
        ),
        (
            "evt.type = openat and container.id = host",
            "container.id Eq host",
        ),
    ];
    for (cond, why) in cases {
        let e = predicate(cond).unwrap_err();
        assert!(e.contains(why) && e.contains("\"K\""), "{cond}: {e}");
    }
}

#[test]
fn comm_lists_intersect() {
    let p = predicate("evt.type = execve and proc.name in (a, b, c) and proc.name in (b, c, d)")
        .unwrap();
    assert_eq!(p[0].comm, Some(vec!["b".into(), "c".into()]));
    let e = predicate("evt.type = execve and proc.name = a and proc.name = b").unwrap_err();
    assert!(e.contains("never match"), "{e}");
}
