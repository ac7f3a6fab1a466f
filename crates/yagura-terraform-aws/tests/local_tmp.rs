// Temporary: the shared target cache holds a yagura-checks built from another
// checkout, so list this checkout's fixtures directly.
use yagura_checks::iac_fixtures::{check_fixture, IacFixture};
#[test]
fn local() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../yagura-checks/fixtures/iac");
    let mut errors = vec![];
    let mut n = 0;
    for d in std::fs::read_dir(&dir).unwrap().flatten() {
        let code = d.file_name().to_string_lossy().into_owned();
        if !code.starts_with("AWS-") { continue; }
        for f in std::fs::read_dir(d.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            let plan = name.ends_with(".tfplan.json");
            if !plan && !name.ends_with(".tf") { continue; }
            let fx = IacFixture { code: code.clone(), path: f.path(), format: if plan {"terraform-plan"} else {"terraform"}, expect_fail: name.starts_with("fail") };
            let out = if plan { yagura_terraform::load_plan_json(&fx.path) } else { yagura_terraform::load_files(std::slice::from_ref(&fx.path), &Default::default()) };
            if !out.issues.is_empty() { errors.push(format!("{}: {:?}", fx.path.display(), out.issues)); }
            n += 1;
            if let Err(e) = check_fixture(&fx, yagura_terraform_aws::adapt(&out.resources)) { errors.push(e); }
        }
    }
    println!("{n} files");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
