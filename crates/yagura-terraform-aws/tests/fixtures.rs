//! Every Terraform fixture of an AWS check, end to end: load with the Terraform
//! loader, adapt, evaluate the check (fail file: a FAIL; pass file: a PASS and no FAIL).

use std::collections::BTreeSet;
use yagura_checks::iac_fixtures::{check_fixture, of_format, IacFixture};
use yagura_terraform::{load_files, load_plan_json, Output};

fn aws(format: &str) -> Vec<IacFixture> {
    of_format(format)
        .into_iter()
        .filter(|f| f.code.starts_with("AWS-"))
        .collect()
}

fn run(fixtures: &[IacFixture], load: impl Fn(&IacFixture) -> Output) -> Vec<String> {
    let mut errors = Vec::new();
    for fx in fixtures {
        let out = load(fx);
        if !out.issues.is_empty() {
            errors.push(format!(
                "{}: load issues {:?}",
                fx.path.display(),
                out.issues
            ));
            continue;
        }
        let resources = yagura_terraform_aws::adapt(&out.resources);
        if let Err(e) = check_fixture(fx, resources) {
            errors.push(e);
        }
    }
    errors
}

#[test]
fn terraform_fixtures_of_aws_checks() {
    let fixtures = aws("terraform");
    let codes: BTreeSet<&str> = fixtures.iter().map(|f| f.code.as_str()).collect();
    assert!(
        codes.len() >= 65,
        "only {} AWS checks have Terraform fixtures",
        codes.len()
    );
    let errors = run(&fixtures, |fx| {
        load_files(std::slice::from_ref(&fx.path), &Default::default())
    });
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn terraform_plan_fixtures_of_aws_checks() {
    let fixtures = aws("terraform-plan");
    assert!(!fixtures.is_empty(), "no plan fixtures found");
    let errors = run(&fixtures, |fx| load_plan_json(&fx.path));
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn resources_from_hcl_point_at_their_block() {
    let fixtures = aws("terraform");
    assert!(!fixtures.is_empty(), "no Terraform fixtures found");
    for fx in fixtures {
        let out = load_files(std::slice::from_ref(&fx.path), &Default::default());
        for r in yagura_terraform_aws::adapt(&out.resources) {
            let loc = r.location.as_ref().expect("a location");
            assert_eq!(
                std::path::Path::new(&loc.file),
                fx.path.as_path(),
                "{}",
                r.id
            );
            let (Some(start), Some(end)) = (loc.start_line, loc.end_line) else {
                panic!("{}: {} has no line range", fx.path.display(), r.id)
            };
            assert!(start >= 1 && start <= end, "{}: {}..{}", r.id, start, end);
            assert_eq!(r.source, yagura_model::SourceKind::Terraform);
        }
    }
}
