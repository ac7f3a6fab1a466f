//! Tree scanning: walking, skips, caps, unreadable files.

use std::fs;

use yagura_secrets::{builtin_detectors, Config, SampleKind, Scanner};

fn sample(id: &str, seed: u64) -> String {
    let d = builtin_detectors().iter().find(|d| d.id == id).unwrap();
    d.sample.render(SampleKind::TruePositive, seed).0
}

#[test]
fn walks_tree_skips_git_binaries_and_big_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("src/nested")).unwrap();
    fs::create_dir_all(root.join(".git/objects")).unwrap();
    fs::write(
        root.join("src/nested/app.py"),
        format!("import os\n\n{}", sample("github-pat", 1)),
    )
    .unwrap();
    fs::write(root.join(".env"), sample("stripe-live-secret-key", 2)).unwrap();
    // Inside .git: never scanned.
    fs::write(root.join(".git/config"), sample("gitlab-pat", 3)).unwrap();
    // Binary (NUL byte) with a secret: skipped.
    let mut bin = b"\x00\x01\x02".to_vec();
    bin.extend_from_slice(sample("npm-access-token", 4).as_bytes());
    fs::write(root.join("blob.dat"), bin).unwrap();
    // Over the size cap: skipped and listed.
    let mut big = "x = 1\n".repeat(3000);
    big.push_str(&sample("slack-bot-token", 5));
    fs::write(root.join("big.txt"), big).unwrap();

    let mut cfg = Config::builtin();
    cfg.max_file_size = 10_000;
    let sc = Scanner::new(cfg).unwrap();
    let out = sc.scan_path(root);
    let got: Vec<(String, String, u32)> = out
        .findings
        .iter()
        .map(|f| (f.file.clone(), f.detector_id.clone(), f.line))
        .collect();
    assert_eq!(
        got,
        vec![
            (".env".to_string(), "stripe-live-secret-key".to_string(), 1),
            ("src/nested/app.py".to_string(), "github-pat".to_string(), 3),
        ]
    );
    assert_eq!(out.files_scanned, 2);
    assert_eq!(out.files_skipped, 2);
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(out.skipped[0].0, "big.txt");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.bytes_scanned > 0);
    // Serialised output never carries the secret.
    let json = serde_json::to_string(&out).unwrap();
    let secret = sample("github-pat", 1);
    let token = secret.split('"').nth(1).unwrap();
    assert!(!json.contains(token));
}

#[test]
fn gitignore_is_honoured_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    fs::create_dir_all(root.join("ignored")).unwrap();
    fs::write(root.join("ignored/k.txt"), sample("github-pat", 9)).unwrap();
    let sc = Scanner::new(Config::builtin()).unwrap();
    assert_eq!(sc.scan_path(root).findings.len(), 1);
    let mut cfg = Config::builtin();
    cfg.respect_gitignore = true;
    let sc = Scanner::new(cfg).unwrap();
    assert_eq!(sc.scan_path(root).findings.len(), 0);
}

#[test]
fn unreadable_paths_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("ok.txt"), sample("github-pat", 11)).unwrap();
    // Missing root.
    let sc = Scanner::new(Config::builtin()).unwrap();
    let out = sc.scan_path(&root.join("does-not-exist"));
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].0.ends_with("does-not-exist"));

    // A dangling symlink when links are followed: reported, the rest still scanned.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("dangling.txt")).unwrap();
        let mut cfg = Config::builtin();
        cfg.follow_symlinks = true;
        let sc = Scanner::new(cfg).unwrap();
        let out = sc.scan_path(root);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert!(out.errors[0].0.contains("dangling.txt"), "{:?}", out.errors);
    }

    // Permission denied (not observable as root, who can read anything).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = root.join("locked.txt");
        fs::write(&locked, "secret").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_ok() {
            println!("running as root: permission-denied case not observable");
        } else {
            let sc = Scanner::new(Config::builtin()).unwrap();
            let out = sc.scan_path(root);
            assert!(
                out.errors.iter().any(|(p, _)| p.contains("locked.txt")),
                "{:?}",
                out.errors
            );
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn single_file_root_and_invalid_utf8_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("latin1.properties");
    let mut data = b"name=caf\xe9\n".to_vec();
    data.extend_from_slice(sample("sendgrid-api-key", 12).as_bytes());
    fs::write(&f, data).unwrap();
    let sc = Scanner::new(Config::builtin()).unwrap();
    let out = sc.scan_path(&f);
    assert_eq!(out.files_scanned, 1);
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].line, 2);
    assert_eq!(out.findings[0].detector_id, "sendgrid-api-key");
}

#[test]
fn huge_single_line_is_handled() {
    // A 4 MB minified line full of keywords must finish quickly and not panic.
    let mut line = String::with_capacity(4 << 20);
    while line.len() < 4 << 20 {
        line.push_str("var token=a.b,secret=c.d;password:e.f,");
    }
    line.push_str(&sample("github-pat", 13).replace('\n', ";"));
    let sc = Scanner::new(Config::builtin()).unwrap();
    let t = std::time::Instant::now();
    let f = sc.scan_bytes("bundle.min.js", line.as_bytes());
    assert!(f.iter().any(|f| f.detector_id == "github-pat"));
    assert!(t.elapsed().as_secs() < 60);
}
