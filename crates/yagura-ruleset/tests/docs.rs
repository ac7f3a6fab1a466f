//! `docs/runtime-rules.md` is generated from the default ruleset and must stay current.
//! Regenerate with `YAGURA_UPDATE_DOCS=1 cargo test -p yagura-ruleset --test docs`.

use std::path::PathBuf;

fn document() -> String {
    format!(
        "# Runtime rules\n\n\
         yagura's default runtime ruleset (`crates/yagura-ruleset/rules/yagura_rules.yaml`), \
         loaded by `yagura agent runtime` unless `--no-default-rules` is given. Every rule \
         names its MITRE ATT&CK tactic and technique. Generated from the rules file by \
         `crates/yagura-ruleset/tests/docs.rs`; do not edit by hand.\n\n{}",
        yagura_ruleset::rules_markdown()
    )
}

#[test]
fn runtime_rules_doc_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/runtime-rules.md");
    let want = document();
    if std::env::var_os("YAGURA_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/runtime-rules.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/runtime-rules.md is stale: run YAGURA_UPDATE_DOCS=1 cargo test -p yagura-ruleset --test docs"
    );
}
