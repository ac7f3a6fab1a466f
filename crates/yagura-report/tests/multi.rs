mod common;

use common::sample;
use yagura_report::{render_multi, Format, RenderOptions};

fn coloured() -> RenderOptions {
    RenderOptions {
        color: true,
        show_passed: false,
    }
}

#[test]
fn one_format_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    let written = render_multi(&[Format::Csv], &sample(), &coloured(), Some(&path)).unwrap();
    assert_eq!(written, vec![path.clone()]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("status,severity,check,"));
}

#[test]
fn one_format_into_an_existing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let written = render_multi(&[Format::Sarif], &sample(), &coloured(), Some(dir.path())).unwrap();
    assert_eq!(written, vec![dir.path().join("yagura-scan-01.sarif")]);
}

#[test]
fn one_format_into_a_new_directory_named_with_a_trailing_slash() {
    let dir = tempfile::tempdir().unwrap();
    let out = format!("{}/new/", dir.path().display());
    let written = render_multi(
        &[Format::Html],
        &sample(),
        &coloured(),
        Some(std::path::Path::new(&out)),
    )
    .unwrap();
    assert_eq!(
        written,
        vec![dir.path().join("new").join("yagura-scan-01.html")]
    );
}

#[test]
fn several_formats_into_a_new_directory_without_colour() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports/nested");
    let formats = [
        Format::Table,
        Format::Json,
        Format::Html,
        Format::Json,
        Format::Ocsf,
    ];
    let written = render_multi(&formats, &sample(), &coloured(), Some(&out)).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "yagura-scan-01.txt",
            "yagura-scan-01.json",
            "yagura-scan-01.html",
            "yagura-scan-01.ocsf.jsonl"
        ]
    );
    for p in &written {
        assert!(p.starts_with(&out));
        assert!(std::fs::metadata(p).unwrap().len() > 0);
    }
    let table = std::fs::read_to_string(&written[0]).unwrap();
    assert!(!table.contains('\x1b'), "files never get ANSI colours");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written[1]).unwrap()).unwrap();
    assert_eq!(json["id"], "scan-01");
}

#[test]
fn scan_ids_cannot_escape_the_output_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = sample();
    report.id = "../../etc/passwd".into();
    let written = render_multi(
        &[Format::Json, Format::Csv],
        &report,
        &coloured(),
        Some(dir.path()),
    )
    .unwrap();
    for p in &written {
        assert_eq!(p.parent().unwrap(), dir.path());
    }
    assert_eq!(
        written[0].file_name().unwrap().to_string_lossy(),
        "yagura-_.._etc_passwd.json"
    );
}

#[test]
fn unwritable_output_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    // A directory cannot be created below a regular file.
    let target = blocker.join("sub");
    let err = render_multi(
        &[Format::Json, Format::Csv],
        &sample(),
        &coloured(),
        Some(&target),
    )
    .unwrap_err();
    assert!(err.to_string().contains("sub"), "{err}");
}
