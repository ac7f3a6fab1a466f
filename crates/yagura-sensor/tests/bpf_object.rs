//! The committed BPF object must be what scripts/gen-bpf.sh makes from the
//! committed C source, so nobody ships a program that differs from its source.

use std::path::Path;
use std::process::Command;

#[test]
fn committed_object_matches_its_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let clang = ["clang-14", "clang"]
        .iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok());
    let Some(_) = clang else {
        println!("skipped: clang is not installed (scripts/test.sh installs clang-14)");
        return;
    };
    let version = Command::new(clang.unwrap())
        .arg("--version")
        .output()
        .expect("clang --version runs");
    let version = String::from_utf8_lossy(&version.stdout);
    if !version.contains("version 14.") {
        println!("skipped: the object is built with clang 14; found {version}");
        return;
    }
    let out = tempfile::NamedTempFile::new().expect("temp file");
    let status = Command::new("bash")
        .arg(root.join("scripts/gen-bpf.sh"))
        .arg(out.path())
        .status()
        .expect("gen-bpf.sh runs");
    assert!(status.success(), "scripts/gen-bpf.sh failed");
    let fresh = std::fs::read(out.path()).expect("read fresh object");
    let committed = std::fs::read(root.join("crates/yagura-sensor/bpf/sensor.bpf.o"))
        .expect("read committed object");
    assert!(
        fresh == committed,
        "crates/yagura-sensor/bpf/sensor.bpf.o is stale: run scripts/gen-bpf.sh and commit it"
    );
}
