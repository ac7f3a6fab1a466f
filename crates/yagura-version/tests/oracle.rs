//! Checks `yagura_version::compare` against tables of ordered pairs whose
//! expected order came from each ecosystem's reference implementation
//! (libapt, librpm, packaging, node-semver, x/mod/semver, Maven's
//! ComparableVersion, Gem::Version, composer/semver); see
//! tests/oracle/regen.sh. Every disagreement is collected and printed before
//! the test fails, so one run shows the whole picture.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::path::PathBuf;

use yagura_version::{compare, Ecosystem};

/// Table file stem and the scheme it exercises.
const TABLES: [(&str, Ecosystem); 10] = [
    ("dpkg", Ecosystem::Debian),
    ("rpm", Ecosystem::Rpm),
    ("apk", Ecosystem::Alpine),
    ("pep440", Ecosystem::PyPI),
    ("semver", Ecosystem::SemVer),
    ("maven", Ecosystem::Maven),
    ("rubygems", Ecosystem::RubyGems),
    ("nuget", Ecosystem::NuGet),
    ("composer", Ecosystem::Packagist),
    ("go", Ecosystem::Go),
];

/// Why yagura accepts, on purpose, a string the reference implementation
/// rejects; `None` when it should reject it too.
fn accepted_on_purpose(table: &str, version: &str) -> Option<&'static str> {
    match table {
        // npm ranges spell an exact version `=1.2.3`; node-semver's strict
        // parser (the oracle) only takes that in loose mode.
        "semver" if version.starts_with('=') => Some("`=` prefix as in npm ranges"),
        // OSV ranges use `"introduced": "0"`; `1` and `1.2` read as
        // `1.0.0` and `1.2.0`.
        "semver" if core_parts(version) < 3 => Some("shortened version as in OSV ranges"),
        _ => None,
    }
}

/// Number of dot-separated parts before any pre-release or build suffix.
fn core_parts(version: &str) -> usize {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    core.split('.').count()
}

fn oracle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

fn sign(o: Ordering) -> i8 {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

#[test]
fn agrees_with_reference_implementations() {
    let mut report = String::new();
    let mut failures = 0usize;
    for (stem, eco) in TABLES {
        let path = oracle_dir().join(format!("{stem}.tsv"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut checked = 0usize;
        for (lineno, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [a, b, expected] = fields[..] else {
                panic!(
                    "{}:{}: expected 3 tab-separated fields",
                    path.display(),
                    lineno + 1
                );
            };
            let expected: i8 = expected
                .parse()
                .unwrap_or_else(|_| panic!("{}:{}: bad sign", path.display(), lineno + 1));
            checked += 1;
            let got = match compare(eco, a, b) {
                Ok(o) => sign(o).to_string(),
                Err(e) => format!("error: {e}"),
            };
            if got != expected.to_string() {
                failures += 1;
                let _ = writeln!(
                    report,
                    "{stem}: cmp({a:?}, {b:?}) expected {expected}, got {got}"
                );
            }
        }
        assert!(checked > 0, "{} has no pairs", path.display());
    }
    assert!(
        failures == 0,
        "{failures} disagreements with the reference implementations:\n{report}"
    );
}

#[test]
fn rejects_what_reference_implementations_reject() {
    let mut report = String::new();
    let mut failures = 0usize;
    for (stem, eco) in TABLES {
        let path = oracle_dir().join(format!("{stem}.invalid.txt"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            if accepted_on_purpose(stem, line).is_some() {
                continue;
            }
            if yagura_version::validate(eco, line).is_ok() {
                failures += 1;
                let _ = writeln!(report, "{stem}: {line:?} accepted, reference rejects it");
            }
        }
    }
    assert!(failures == 0, "{failures} strings accepted:\n{report}");
}
