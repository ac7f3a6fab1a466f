//! Runs every fixture through the rule engine: `match-*` events must fire their
//! rule, `nomatch-*` events must not.

use std::path::Path;

use yagura_event::Event;
use yagura_rules::{compile, load_rules, Engine, EngineOptions};
use yagura_ruleset::{rule_slug, DEFAULT_RULES, DEFAULT_RULES_FILE};

#[test]
fn fixtures_match_their_rules() {
    let set = load_rules(DEFAULT_RULES, DEFAULT_RULES_FILE).expect("default rules load");
    let engine = Engine::new(&compile(&set), &EngineOptions::default());
    assert!(engine.skipped().is_empty(), "{:?}", engine.skipped());
    assert!(engine.filtered().is_empty(), "{:?}", engine.filtered());
    assert_eq!(engine.len(), set.rules.len());

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut failures = Vec::new();
    let mut checked = 0;
    for i in 0..engine.len() {
        let name = engine.rule(i).name.clone();
        let folder = dir.join(rule_slug(&name));
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|e| e.expect("dir entry").path())
            .collect();
        files.sort();
        for path in files {
            let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
            let want = file.starts_with("match-");
            let text = std::fs::read_to_string(&path).expect("fixture readable");
            let ev: Event =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut hits = Vec::new();
            engine.evaluate(&ev, &mut hits);
            let got = hits.contains(&i);
            checked += 1;
            if got != want {
                failures.push(format!(
                    "{name}/{file}: expected {}",
                    if want { "a match" } else { "no match" }
                ));
            } else if want {
                // A match must render without missing core fields.
                let out = engine.render_output(i, &ev);
                for core in ["program=", "cmdline="] {
                    if let Some(pos) = out.find(core) {
                        let value = &out[pos + core.len()..];
                        if value.starts_with("<NA>") {
                            failures.push(format!("{name}/{file}: {core}<NA> in {out}"));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 2 * engine.len(), "only {checked} fixtures");
}
