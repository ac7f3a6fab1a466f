//! Every CloudFormation fixture of the check registry, end to end: parse,
//! evaluate, adapt, run the check.

use std::path::{Path, PathBuf};
use yagura_checks::iac_fixtures::{check_fixture, fixtures_dir, of_format, IacFixture};
use yagura_cloudformation::{adapt, load_template, Options};

/// The fixtures of this checkout. `yagura-checks` bakes its source directory in
/// at compile time, and a build cache shared with another checkout can hand us
/// one compiled elsewhere; then the same list is re-rooted here.
fn fixtures() -> Vec<IacFixture> {
    let here: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../yagura-checks/fixtures/iac");
    let listed = of_format("cloudformation");
    let same = match (here.canonicalize(), fixtures_dir().canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return listed;
    }
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&here).unwrap().flatten() {
        let code = dir.file_name().to_string_lossy().into_owned();
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.ends_with(".cfn.yaml") && (name.starts_with("pass") || name.starts_with("fail"))
            {
                out.push(IacFixture {
                    code: code.clone(),
                    path: f.path(),
                    format: "cloudformation",
                    expect_fail: name.starts_with("fail"),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.code, &a.path).cmp(&(&b.code, &b.path)));
    out
}

#[test]
fn cloudformation_fixtures_pass_and_fail_as_labelled() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no CloudFormation fixtures found");
    let mut errors = Vec::new();
    for fx in &fixtures {
        let text = std::fs::read_to_string(&fx.path).unwrap();
        let label = fx.path.display().to_string();
        let out = load_template(&label, &text, &Options::default());
        if !out.issues.is_empty() {
            errors.push(format!("{label}: issues {:?}", out.issues));
            continue;
        }
        if let Err(e) = check_fixture(fx, adapt(&out.resources)) {
            errors.push(e);
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Every fixture is a template, and its resources point at their lines.
#[test]
fn fixtures_are_templates_with_located_resources() {
    for fx in fixtures() {
        let text = std::fs::read_to_string(&fx.path).unwrap();
        assert!(
            yagura_cloudformation::is_template(&text),
            "{}",
            fx.path.display()
        );
        let out = load_template("f", &text, &Options::default());
        let lines: Vec<&str> = text.lines().collect();
        for r in &out.resources {
            let start = r.location.start_line.unwrap() as usize;
            assert_eq!(
                lines[start - 1].trim(),
                format!("{}:", r.name),
                "{}",
                fx.path.display()
            );
        }
    }
}

/// Cut-off and mangled templates are reported, never a panic.
#[test]
fn truncated_templates_never_panic() {
    for fx in fixtures() {
        let text = std::fs::read_to_string(&fx.path).unwrap();
        for cut in (1..text.len()).step_by(23) {
            if text.is_char_boundary(cut) {
                let _ = load_template("cut", &text[..cut], &Options::default());
                let _ = yagura_cloudformation::is_template(&text[..cut]);
            }
        }
        let swapped = text.replace("!Ref", "!Nope").replace(':', ": [");
        let out = load_template("mangled", &swapped, &Options::default());
        let _ = adapt(&out.resources);
    }
}
