//! Runs every Kubernetes IaC fixture of the check registry end to end: load the
//! manifest, normalize it, evaluate the fixture's check.

use yagura_checks::iac_fixtures::{check_fixture, of_format};

#[test]
fn kubernetes_fixtures_pass_and_fail_as_named() {
    let fixtures = of_format("kubernetes");
    assert!(!fixtures.is_empty(), "no Kubernetes fixtures found");
    let mut errors = Vec::new();
    for fx in &fixtures {
        let text = match std::fs::read_to_string(&fx.path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(format!("{}: {e}", fx.path.display()));
                continue;
            }
        };
        let label = fx.path.display().to_string();
        assert!(
            yagura_kubernetes::looks_like_kubernetes(&text),
            "{label}: not recognised as a Kubernetes manifest"
        );
        let out = yagura_kubernetes::load(&label, &text);
        if !out.issues.is_empty() {
            errors.push(format!("{label}: parse issues {:?}", out.issues));
            continue;
        }
        if out.resources.is_empty() {
            errors.push(format!("{label}: no resources"));
            continue;
        }
        for r in &out.resources {
            let loc = r.location.as_ref();
            if loc.and_then(|l| l.start_line).is_none() {
                errors.push(format!("{label}: {} has no line range", r.id));
            }
        }
        if let Err(e) = check_fixture(fx, out.resources) {
            errors.push(e);
        }
    }
    assert!(
        errors.is_empty(),
        "{} of {} fixtures failed:\n{}",
        errors.len(),
        fixtures.len(),
        errors.join("\n")
    );
}
