//! Git history scanning. The fixture repository is created with the `git` CLI
//! (only here, in tests); the scanner itself reads it with gitoxide.

use std::path::Path;
use std::process::Command;

use yagura_secrets::{builtin_detectors, Config, SampleKind, Scanner};

fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dana Dev")
        .env("GIT_AUTHOR_EMAIL", "dana@example.org")
        .env("GIT_COMMITTER_NAME", "Dana Dev")
        .env("GIT_COMMITTER_EMAIL", "dana@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn have_git() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

#[test]
fn secret_added_then_removed_is_found_at_its_commit() {
    if !have_git() {
        println!("skipped: git CLI not available to build the fixture");
        return;
    }
    let d = builtin_detectors()
        .iter()
        .find(|d| d.id == "aws-access-key-id")
        .unwrap();
    let (line, _) = d.sample.render(SampleKind::TruePositive, 77);
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(
        repo,
        &["init", "-q", "-b", "main"],
        "2024-01-01T10:00:00+00:00",
    );
    std::fs::write(repo.join("README.md"), "# demo\n").unwrap();
    std::fs::create_dir_all(repo.join("cfg")).unwrap();
    std::fs::write(repo.join("cfg/app.ini"), "[app]\nname = demo\n").unwrap();
    git(repo, &["add", "."], "2024-01-01T10:00:00+00:00");
    git(
        repo,
        &["commit", "-q", "-m", "root"],
        "2024-01-01T10:00:00+00:00",
    );

    std::fs::write(
        repo.join("cfg/app.ini"),
        format!("[app]\nname = demo\n{line}"),
    )
    .unwrap();
    git(
        repo,
        &["commit", "-q", "-am", "add key"],
        "2024-02-03T04:05:06+02:00",
    );
    let leak = git(repo, &["rev-parse", "HEAD"], "2024-02-03T04:05:06+02:00");

    // Unrelated edit to the same file: the key line is unchanged, not re-reported.
    std::fs::write(
        repo.join("cfg/app.ini"),
        format!("[app]\nname = demo2\n{line}"),
    )
    .unwrap();
    git(
        repo,
        &["commit", "-q", "-am", "rename"],
        "2024-02-04T00:00:00+00:00",
    );

    std::fs::write(repo.join("cfg/app.ini"), "[app]\nname = demo2\n").unwrap();
    git(
        repo,
        &["commit", "-q", "-am", "remove key"],
        "2024-03-01T00:00:00+00:00",
    );

    // The working tree is clean now.
    let sc = Scanner::new(Config::builtin()).unwrap();
    let mut tree = sc.scan_path(repo);
    tree.findings
        .retain(|f| f.detector_id == "aws-access-key-id");
    assert!(tree.findings.is_empty());

    let out = sc.scan_git_history(repo).unwrap();
    assert_eq!(out.commits_scanned, 4);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let hits: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.detector_id == "aws-access-key-id")
        .collect();
    assert_eq!(hits.len(), 1, "{:?}", out.findings);
    let f = hits[0];
    assert_eq!(f.file, "cfg/app.ini");
    assert_eq!(f.line, 3);
    let c = f.commit.as_ref().unwrap();
    assert_eq!(c.id, leak);
    assert_eq!(c.author, "Dana Dev");
    assert_eq!(c.email, "dana@example.org");
    assert_eq!(c.date, "2024-02-03T04:05:06+02:00");

    // A commit allowlist suppresses it.
    let mut cfg = Config::builtin();
    cfg.allowlists.push(yagura_secrets::Allowlist {
        commits: vec![leak[..12].to_string()],
        ..Default::default()
    });
    let sc = Scanner::new(cfg).unwrap();
    let out = sc.scan_git_history(repo).unwrap();
    assert!(!out
        .findings
        .iter()
        .any(|f| f.detector_id == "aws-access-key-id"));
}

#[test]
fn secrets_on_side_branches_and_root_commit_are_found() {
    if !have_git() {
        println!("skipped: git CLI not available to build the fixture");
        return;
    }
    let d = builtin_detectors()
        .iter()
        .find(|d| d.id == "github-pat")
        .unwrap();
    let (root_line, _) = d.sample.render(SampleKind::TruePositive, 1);
    let (branch_line, _) = d.sample.render(SampleKind::TruePositive, 2);
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let when = "2024-05-05T05:05:05+00:00";
    git(repo, &["init", "-q", "-b", "main"], when);
    std::fs::write(repo.join("root.txt"), &root_line).unwrap();
    git(repo, &["add", "."], when);
    git(repo, &["commit", "-q", "-m", "root"], when);
    git(repo, &["checkout", "-q", "-b", "feature"], when);
    std::fs::create_dir_all(repo.join("a/b")).unwrap();
    std::fs::write(repo.join("a/b/deep.txt"), &branch_line).unwrap();
    git(repo, &["add", "."], when);
    git(repo, &["commit", "-q", "-m", "feature"], when);
    git(repo, &["checkout", "-q", "main"], when);

    let sc = Scanner::new(Config::builtin()).unwrap();
    let out = sc.scan_git_history(repo).unwrap();
    let mut files: Vec<&str> = out.findings.iter().map(|f| f.file.as_str()).collect();
    files.sort();
    assert_eq!(files, vec!["a/b/deep.txt", "root.txt"]);
}

#[test]
fn not_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let sc = Scanner::new(Config::builtin()).unwrap();
    assert!(sc.scan_git_history(dir.path()).is_err());
}
