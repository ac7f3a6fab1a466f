//! Infrastructure-as-code fixtures: for each check, a passing and a failing file
//! in every IaC format the check supports, under
//! `fixtures/iac/<CODE>/{pass,fail}[-N].<format suffix>`.
//!
//! A check *supports* a format exactly when it has fixtures for it, so the
//! per-format counts in docs and the closing numbers are proven by files, not
//! claimed. The parsers' crates run these files end to end (parse, adapt,
//! evaluate) with [`check_fixture`]; this crate only lists them.

use crate::{find, Ctx};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use yagura_model::{Inventory, Outcome, Resource};

/// The IaC formats and the file-name suffix of their fixtures.
pub const FORMATS: &[(&str, &str)] = &[
    ("terraform", ".tf"),
    ("terraform-plan", ".tfplan.json"),
    ("cloudformation", ".cfn.yaml"),
    ("kubernetes", ".k8s.yaml"),
    ("dockerfile", ".Dockerfile"),
];

#[derive(Debug, Clone)]
pub struct IacFixture {
    pub code: String,
    pub path: PathBuf,
    /// `terraform`, `cloudformation`, ... (see [`FORMATS`]).
    pub format: &'static str,
    pub expect_fail: bool,
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/iac")
}

fn format_of(file_name: &str) -> Option<&'static str> {
    // The longest suffix wins: `.tfplan.json` before anything shorter.
    let mut best: Option<(&'static str, usize)> = None;
    for (fmt, suffix) in FORMATS {
        if file_name.ends_with(suffix) && best.is_none_or(|(_, l)| suffix.len() > l) {
            best = Some((fmt, suffix.len()));
        }
    }
    best.map(|(f, _)| f)
}

/// Every fixture file, sorted by code then path.
pub fn all() -> Vec<IacFixture> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(fixtures_dir()) else {
        return out;
    };
    for dir in dirs.flatten() {
        let code = dir.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            let Some(format) = format_of(&name) else {
                continue;
            };
            let expect_fail = name.starts_with("fail");
            if !expect_fail && !name.starts_with("pass") {
                continue;
            }
            out.push(IacFixture {
                code: code.clone(),
                path: f.path(),
                format,
                expect_fail,
            });
        }
    }
    out.sort_by(|a, b| (&a.code, &a.path).cmp(&(&b.code, &b.path)));
    out
}

/// The fixtures of one format.
pub fn of_format(format: &str) -> Vec<IacFixture> {
    all().into_iter().filter(|f| f.format == format).collect()
}

/// For each check code, the IaC formats it has fixtures for.
pub fn support() -> BTreeMap<String, BTreeSet<&'static str>> {
    let mut m: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    for f in all() {
        m.entry(f.code).or_default().insert(f.format);
    }
    m
}

/// Runs the fixture's check over the resources parsed from its file. A failing
/// fixture must give at least one FAIL; a passing one at least one PASS and no FAIL.
pub fn check_fixture(fx: &IacFixture, resources: Vec<Resource>) -> Result<(), String> {
    let check = find(&fx.code).ok_or_else(|| format!("{}: no such check", fx.code))?;
    let inventory = Inventory::new(resources);
    let ctx = Ctx {
        inventory: &inventory,
        now: chrono::Utc::now(),
    };
    let outcomes: Vec<(String, Outcome)> = inventory
        .of_kind(check.kind)
        .map(|r| (r.id.clone(), check.evaluate(r, &ctx)))
        .collect();
    let fails = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Fail(_)))
        .count();
    let passes = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Pass(_)))
        .count();
    let ok = if fx.expect_fail {
        fails > 0
    } else {
        passes > 0 && fails == 0
    };
    if ok {
        Ok(())
    } else {
        let kinds: BTreeSet<&str> = inventory
            .resources()
            .iter()
            .map(|r| r.kind.as_str())
            .collect();
        Err(format!(
            "{} {}: expected {}, got {outcomes:?} (kinds parsed: {kinds:?})",
            fx.code,
            fx.path.display(),
            if fx.expect_fail {
                "a FAIL"
            } else {
                "PASS and no FAIL"
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_dir_is_a_check_with_both_outcomes_per_format() {
        let mut seen: BTreeMap<(String, &str), (bool, bool)> = BTreeMap::new();
        for f in all() {
            assert!(
                find(&f.code).is_some(),
                "{}: fixture directory for an unknown check",
                f.path.display()
            );
            let e = seen.entry((f.code.clone(), f.format)).or_default();
            if f.expect_fail {
                e.1 = true;
            } else {
                e.0 = true;
            }
        }
        for ((code, format), (pass, fail)) in seen {
            assert!(
                pass && fail,
                "{code}: {format} needs a pass and a fail fixture"
            );
        }
    }

    #[test]
    fn format_suffixes() {
        assert_eq!(format_of("pass.tf"), Some("terraform"));
        assert_eq!(format_of("fail-2.tfplan.json"), Some("terraform-plan"));
        assert_eq!(format_of("pass.cfn.yaml"), Some("cloudformation"));
        assert_eq!(format_of("fail.Dockerfile"), Some("dockerfile"));
        assert_eq!(format_of("notes.md"), None);
    }
}

#[cfg(test)]
mod embedded {
    use super::*;

    #[test]
    fn the_embedded_support_table_matches_the_fixture_files() {
        for (code, formats) in support() {
            let check = find(&code).expect("fixture dir names a check");
            let embedded: BTreeSet<&str> = check.iac_formats().iter().copied().collect();
            assert_eq!(
                embedded, formats,
                "{code}: rebuild to refresh the embedded table"
            );
        }
    }
}
