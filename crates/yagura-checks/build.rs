//! Embeds which IaC formats each check has fixtures for (`fixtures/iac/<CODE>/`),
//! so `yagura checks` and the generated docs state support that files prove.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

const FORMATS: &[(&str, &str)] = &[
    ("terraform-plan", ".tfplan.json"),
    ("terraform", ".tf"),
    ("cloudformation", ".cfn.yaml"),
    ("kubernetes", ".k8s.yaml"),
    ("dockerfile", ".Dockerfile"),
];

fn main() {
    let root = Path::new("fixtures/iac");
    println!("cargo:rerun-if-changed=fixtures/iac");
    let mut support: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    if let Ok(dirs) = std::fs::read_dir(root) {
        for d in dirs.flatten() {
            let code = d.file_name().to_string_lossy().into_owned();
            println!("cargo:rerun-if-changed=fixtures/iac/{code}");
            let Ok(files) = std::fs::read_dir(d.path()) else {
                continue;
            };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if !(name.starts_with("pass") || name.starts_with("fail")) {
                    continue;
                }
                // Longest suffix first (FORMATS is ordered so).
                if let Some((fmt, _)) = FORMATS.iter().find(|(_, s)| name.ends_with(s)) {
                    support.entry(code.clone()).or_default().insert(fmt);
                }
            }
        }
    }
    let mut out = String::from("/// (check code, IaC formats with fixtures), sorted by code.\npub(crate) static IAC_SUPPORT: &[(&str, &[&str])] = &[\n");
    for (code, fmts) in &support {
        let list: Vec<String> = fmts.iter().map(|f| format!("{f:?}")).collect();
        let _ = writeln!(out, "    ({code:?}, &[{}]),", list.join(", "));
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("iac_support.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}
