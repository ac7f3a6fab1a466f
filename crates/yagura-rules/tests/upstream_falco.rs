//! Compatibility against upstream Falco rule files in ../shared (not vendored).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use yagura_rules::{compile, load_rules, load_rules_files, render_output};

fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/falco-rules");
    if dir.join("falco_rules.yaml").is_file() {
        Some(dir)
    } else {
        println!("skipping: {} not present", dir.display());
        None
    }
}

/// Every YAML file in the folder and its subfolders, stable file first (others depend on it).
fn rule_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
                out.push(p);
            }
        }
    }
    out.sort_by_key(|p| {
        (
            p.file_name().is_none_or(|n| n != "falco_rules.yaml"),
            p.clone(),
        )
    });
    out
}

#[test]
fn upstream_rules_load_and_compile() {
    let Some(dir) = shared_dir() else { return };
    let files = rule_files(&dir);
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| (std::fs::read_to_string(p).unwrap(), p.display().to_string()))
        .collect();

    let stable_text = &texts[0].0;
    let stable = load_rules(stable_text, "falco_rules.yaml").expect("stable loads");
    assert!(stable.rules.len() > 20, "only {} rules", stable.rules.len());
    let stable_compiled = compile(&stable);
    assert!(
        stable_compiled.macro_errors.is_empty(),
        "{:?}",
        stable_compiled.macro_errors
    );

    let all = load_rules_files(texts.iter().map(|(t, f)| (t.as_str(), f.as_str())))
        .expect("all files load in order");
    let compiled = compile(&all);
    for (m, why) in &compiled.macro_errors {
        println!("macro {m}: {why}");
    }
    assert!(compiled.macro_errors.is_empty());

    let syscall_skipped: Vec<_> = compiled
        .skipped
        .iter()
        .filter(|s| s.source == "syscall")
        .collect();
    for s in &compiled.skipped {
        println!("skipped {:?} [{}]: {}", s.name, s.source, s.reason);
    }
    let ok = compiled.rules.len();
    let total = ok + syscall_skipped.len();
    println!(
        "files={} rules={} compiled={} syscall_skipped={} other_source_skipped={}",
        files.len(),
        all.rules.len(),
        ok,
        syscall_skipped.len(),
        compiled.skipped.len() - syscall_skipped.len()
    );
    assert!(ok * 100 >= total * 95, "{ok}/{total} compiled");
    let unindexed: Vec<_> = compiled
        .rules
        .iter()
        .filter(|r| r.event_types.is_none())
        .map(|r| r.name.as_str())
        .collect();
    println!("rules without an event-type restriction: {unindexed:?}");

    let find = |name: &str| {
        compiled
            .rules
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("rule {name} compiled"))
    };
    let shell = find("Terminal shell in container");
    let types = shell.event_types.clone().expect("limited event types");
    assert!(
        types.contains("execve") && types.contains("execveat"),
        "{types:?}"
    );
    assert!(types.iter().all(|t| t.starts_with("execve")), "{types:?}");
    assert!(shell.fields.iter().any(|f| f.name == "proc.tty"));

    let modules = find("Linux Kernel Module Injection Detected");
    assert_eq!(
        modules.event_types,
        Some(BTreeSet::from([
            "init_module".to_string(),
            "finit_module".to_string()
        ]))
    );

    for r in &compiled.rules {
        if r.name.contains("Directory traversal") || r.name == "Read sensitive file untrusted" {
            let types = r.event_types.clone().expect("open-ish types");
            println!("{}: {types:?}", r.name);
            assert!(types.iter().any(|t| t.starts_with("open")), "{types:?}");
        }
    }
    let no_na = render_output(&shell.output, |_, _| Some("v".into()));
    assert!(
        !no_na.contains("<NA>") && !no_na.contains("%proc"),
        "{no_na}"
    );
}
