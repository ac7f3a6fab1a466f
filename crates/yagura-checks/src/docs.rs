//! The check catalogue as Markdown: `docs/checks.md` is generated from the
//! registry, and a test keeps the committed file current.

use crate::{frameworks, registry};
use std::fmt::Write;

pub fn catalogue_markdown() -> String {
    let mut s = String::new();
    let checks = registry();
    let _ = writeln!(s, "# Built-in checks\n");
    let _ = writeln!(
        s,
        "Generated from the check registry (`crates/yagura-checks`); do not edit by hand. \
         Regenerate with `YAGURA_UPDATE_DOCS=1 cargo test -p yagura-checks --test docs`.\n"
    );
    let _ = writeln!(s, "{} checks.\n", checks.len());
    let iac: Vec<_> = checks
        .iter()
        .filter(|c| !c.iac_formats().is_empty())
        .collect();
    let _ = writeln!(
        s,
        "{} of them run on infrastructure code (each proven by a passing and a failing fixture per format):\n",
        iac.len()
    );
    let _ = writeln!(s, "| IaC format | checks |");
    let _ = writeln!(s, "|---|---:|");
    for (fmt, _) in crate::iac_fixtures::FORMATS {
        let n = iac.iter().filter(|c| c.iac_formats().contains(fmt)).count();
        let _ = writeln!(s, "| {fmt} | {n} |");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## Framework coverage\n");
    let _ = writeln!(
        s,
        "| framework | controls | automated | covered by checks |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|");
    for f in frameworks() {
        let prefix = format!("{}:", f.id);
        let covered: std::collections::BTreeSet<&str> = checks
            .iter()
            .flat_map(|c| c.frameworks.iter())
            .filter_map(|m| m.strip_prefix(prefix.as_str()))
            .collect();
        let automated = f.controls.iter().filter(|c| c.automated).count();
        let _ = writeln!(
            s,
            "| {} {} (`{}`) | {} | {} | {} |",
            f.name,
            f.version,
            f.id,
            f.controls.len(),
            automated,
            covered.len()
        );
    }
    let _ = writeln!(s, "\n## Catalogue\n");
    let _ = writeln!(
        s,
        "| code | severity | resource | title | IaC | frameworks |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for c in checks {
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} | `{}` | {} | {} | {} |",
            c.code,
            c.code.to_ascii_lowercase(),
            c.severity,
            c.kind,
            c.title.replace('|', "\\|"),
            c.iac_formats().join(", "),
            c.frameworks.join(", ")
        );
    }
    for c in checks {
        let _ = writeln!(
            s,
            "\n### {}\n\n**{}** — severity {}, resource `{}`\n",
            c.code, c.title, c.severity, c.kind
        );
        let _ = writeln!(s, "*Why:* {}\n", c.rationale);
        let _ = writeln!(s, "*Fix:* {}\n", c.remediation);
        let _ = writeln!(s, "*Frameworks:* {}", c.frameworks.join(", "));
        if !c.iac_formats().is_empty() {
            let _ = writeln!(s, "\n*Runs on:* {}", c.iac_formats().join(", "));
        }
        if !c.notes.is_empty() {
            let _ = writeln!(s, "\n*Notes:* {}", c.notes);
        }
    }
    s
}
