//! Every IaC fixture of every check, end to end through discovery, the parser,
//! the adapter and suppression handling: the same path a user's scan takes.

use std::collections::BTreeMap;
use yagura_checks::iac_fixtures;

#[test]
fn every_iac_fixture_gives_its_expected_outcome() {
    let fixtures = iac_fixtures::all();
    assert!(!fixtures.is_empty(), "no IaC fixtures found");
    let mut failures = Vec::new();
    for fx in &fixtures {
        let scan = yagura_iac::scan_paths(std::slice::from_ref(&fx.path), &Default::default());
        if !scan.issues.is_empty() {
            failures.push(format!(
                "{}: parse problems: {:?}",
                fx.path.display(),
                scan.issues
            ));
            continue;
        }
        if let Err(e) = iac_fixtures::check_fixture(fx, scan.resources) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn checks_per_iac_format() {
    let support = iac_fixtures::support();
    let mut per_format: BTreeMap<&str, usize> = BTreeMap::new();
    for formats in support.values() {
        for f in formats {
            *per_format.entry(f).or_default() += 1;
        }
    }
    eprintln!(
        "checks with IaC fixtures: {} in total; per format: {per_format:?}",
        support.len()
    );
    // The issue's bar: at least 150 checks apply to IaC, AWS checks on code included.
    assert!(
        support.len() >= 150,
        "only {} checks run on IaC",
        support.len()
    );
    for f in ["terraform", "cloudformation", "kubernetes", "dockerfile"] {
        assert!(per_format.get(f).copied().unwrap_or(0) > 0, "no {f} checks");
    }
}
