//! `docs/checks.md` is generated from the registry and must stay current.

use std::path::PathBuf;

#[test]
fn checks_doc_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/checks.md");
    let want = yagura_checks::catalogue_markdown();
    if std::env::var_os("YAGURA_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/checks.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/checks.md is out of date; regenerate with `YAGURA_UPDATE_DOCS=1 cargo test -p yagura-checks --test docs`"
    );
}
