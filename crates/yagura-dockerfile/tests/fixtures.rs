//! Every `.Dockerfile` fixture of the check registry, parsed and evaluated end to
//! end: failing files must FAIL their check, passing files must PASS it.

use yagura_checks::iac_fixtures::{check_fixture, of_format};

#[test]
fn dockerfile_fixtures_give_the_expected_outcome() {
    let fixtures = of_format("dockerfile");
    assert!(
        fixtures.len() >= 28,
        "expected the Dockerfile fixtures, found {}",
        fixtures.len()
    );
    let mut errors = Vec::new();
    for fx in &fixtures {
        let text = std::fs::read_to_string(&fx.path).unwrap();
        let name = fx.path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            yagura_dockerfile::looks_like_dockerfile(&name, &text),
            "{name} is not recognised as a Dockerfile"
        );
        let out = yagura_dockerfile::load(&fx.path.display().to_string(), &text);
        if !out.issues.is_empty() {
            errors.push(format!(
                "{}: parse issues {:?}",
                fx.path.display(),
                out.issues
            ));
        }
        if let Err(e) = check_fixture(fx, out.resources) {
            errors.push(e);
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn failures_name_the_line() {
    use yagura_checks::{find, Ctx};
    use yagura_model::{Inventory, Outcome};
    for fx in of_format("dockerfile").iter().filter(|f| f.expect_fail) {
        let text = std::fs::read_to_string(&fx.path).unwrap();
        let out = yagura_dockerfile::load("Dockerfile", &text);
        let check = find(&fx.code).unwrap();
        let inventory = Inventory::new(out.resources);
        let ctx = Ctx {
            inventory: &inventory,
            now: chrono::Utc::now(),
        };
        let r = &inventory.resources()[0];
        match check.evaluate(r, &ctx) {
            Outcome::Fail(m) => assert!(
                m.starts_with("line ") && m.contains(": "),
                "{}: {m}",
                fx.path.display()
            ),
            other => panic!("{}: {other:?}", fx.path.display()),
        }
    }
}

#[test]
fn unknown_build_arguments_are_not_assessed() {
    use yagura_checks::{find, Ctx};
    use yagura_model::{Inventory, Outcome};
    let text = "ARG TAG\nFROM python:${TAG}\nARG PORT\nEXPOSE ${PORT}\nARG U\nUSER ${U}\n";
    let out = yagura_dockerfile::load("Dockerfile", text);
    let inventory = Inventory::new(out.resources);
    let ctx = Ctx {
        inventory: &inventory,
        now: chrono::Utc::now(),
    };
    let r = &inventory.resources()[0];
    for code in [
        "DOCKER-FILE-001",
        "DOCKER-FILE-004",
        "DOCKER-FILE-005",
        "DOCKER-FILE-015",
    ] {
        let o = find(code).unwrap().evaluate(r, &ctx);
        assert!(matches!(o, Outcome::NotAssessed(_)), "{code}: {o:?}");
    }
}
