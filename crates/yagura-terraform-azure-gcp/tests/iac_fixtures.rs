//! End to end over the Terraform fixtures of the Azure and GCP checks: load each
//! `.tf` file with the Terraform loader, adapt, and run the fixture's check.

use yagura_checks::iac_fixtures::{check_fixture, of_format};

#[test]
fn azure_and_gcp_terraform_fixtures() {
    let fixtures: Vec<_> = of_format("terraform")
        .into_iter()
        .filter(|f| f.code.starts_with("AZURE-") || f.code.starts_with("GCP-"))
        .collect();
    assert!(
        fixtures.len() >= 60,
        "expected the Azure/GCP fixtures, found {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for fx in &fixtures {
        let out = yagura_terraform::load_files(
            std::slice::from_ref(&fx.path),
            &yagura_terraform::Options::default(),
        );
        if !out.issues.is_empty() {
            failures.push(format!(
                "{}: parse issues {:?}",
                fx.path.display(),
                out.issues
            ));
            continue;
        }
        let resources = yagura_terraform_azure_gcp::adapt(&out.resources);
        for r in &resources {
            let loc = r
                .location
                .as_ref()
                .expect("resources from code carry a location");
            assert!(loc.start_line.is_some_and(|l| l >= 1), "{}: no line", r.id);
        }
        if let Err(e) = check_fixture(fx, resources) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
