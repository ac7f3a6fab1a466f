//! Discovery, bad input and suppressions across a small tree.

use std::fs;
use std::path::PathBuf;
use yagura_iac::{scan_paths, scan_text, Options};

fn write(dir: &std::path::Path, rel: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

const BUCKET: &str = r#"
# yagura:ignore AWS-S3-006 logs are shipped by CloudTrail data events
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}
"#;

const POD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    yagura.io/ignore: "K8S-POD-001=reviewed; K8S-POD-002"
spec:
  containers:
    - name: app
      image: nginx:1.27
"#;

#[test]
fn a_tree_with_every_format_and_broken_files_is_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "tf/main.tf", BUCKET.as_bytes());
    write(
        d,
        "tf/broken/main.tf",
        b"resource \"aws_s3_bucket\" \"x\" {\n  bucket = \n",
    );
    write(d, "k8s/pod.yaml", POD.as_bytes());
    write(
        d,
        "k8s/bad.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: [\n",
    );
    write(
        d,
        "docker/Dockerfile",
        b"FROM alpine:3.20\nRUN apk add curl\n",
    );
    write(d, "bin/blob.json", &[0u8, 159, 146, 150, 0, 1, 2]);
    write(d, "notes/readme.yaml", b"title: not infrastructure\n");
    write(
        d,
        "chart/Chart.yaml",
        b"apiVersion: v2\nname: c\nversion: 0.1.0\n",
    );
    write(
        d,
        "chart/templates/deploy.yaml",
        b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    write(d, ".terraform/modules/ignored/main.tf", b"not even hcl {{{");

    let scan = scan_paths(&[d.to_path_buf()], &Options::default());
    let counts = scan.file_counts();
    assert_eq!(counts.get("terraform"), Some(&2), "{counts:?}");
    assert_eq!(counts.get("kubernetes"), Some(&2), "{counts:?}");
    assert_eq!(counts.get("dockerfile"), Some(&1), "{counts:?}");
    let kinds: Vec<&str> = scan.resources.iter().map(|r| r.kind.as_str()).collect();
    assert!(kinds.contains(&"aws.s3.bucket"), "{kinds:?}");
    assert!(kinds.contains(&"k8s.workload"), "{kinds:?}");
    assert!(kinds.contains(&"docker.dockerfile"), "{kinds:?}");

    // Broken files are named with a line; the binary one is named too.
    let issues: Vec<String> = scan.issues.iter().map(|i| i.to_string()).collect();
    assert!(
        scan.issues
            .iter()
            .any(|i| i.file.ends_with("broken/main.tf") && i.line.is_some()),
        "{issues:?}"
    );
    assert!(
        scan.issues
            .iter()
            .any(|i| i.file.ends_with("bad.yaml") && i.line.is_some()),
        "{issues:?}"
    );
    assert!(
        scan.issues.iter().any(|i| i.file.ends_with("blob.json")),
        "{issues:?}"
    );
    assert!(
        !issues.iter().any(|i| i.contains(".terraform")),
        "{issues:?}"
    );
    assert!(
        !issues.iter().any(|i| i.contains("readme.yaml")),
        "{issues:?}"
    );
    assert!(
        scan.not_assessed
            .iter()
            .any(|(p, _)| p.ends_with("templates")),
        "{:?}",
        scan.not_assessed
    );

    // Suppressions: the comment above the bucket, the pod's annotation.
    let sup: Vec<(&str, Option<&str>)> = scan
        .suppressions
        .iter()
        .map(|s| (s.code.as_str(), s.reason.as_deref()))
        .collect();
    assert!(sup.contains(&(
        "AWS-S3-006",
        Some("logs are shipped by CloudTrail data events")
    )));
    assert!(sup.contains(&("K8S-POD-001", Some("reviewed"))));
    assert!(sup.contains(&("K8S-POD-002", None)));
    assert_eq!(
        scan.resources
            .iter()
            .filter(|r| r.kind == "yagura.suppression")
            .count(),
        3
    );
    let bucket = scan
        .resources
        .iter()
        .find(|r| r.kind == "aws.s3.bucket")
        .unwrap();
    assert!(scan
        .suppressions
        .iter()
        .any(|s| s.code == "AWS-S3-006" && s.resource_id == bucket.id));
}

#[test]
fn stdin_is_sniffed() {
    let scan = scan_text("<stdin>", POD, &Options::default());
    assert_eq!(scan.file_counts().get("kubernetes"), Some(&1));
    let scan = scan_text("<stdin>", "just some words\n", &Options::default());
    assert_eq!(scan.issues.len(), 1);
}

#[test]
fn the_same_address_in_two_root_modules_gives_two_resources() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dev/main.tf", BUCKET.as_bytes());
    write(dir.path(), "prod/main.tf", BUCKET.as_bytes());
    let scan = scan_paths(&[dir.path().to_path_buf()], &Options::default());
    let ids: std::collections::HashSet<&str> = scan
        .resources
        .iter()
        .filter(|r| r.kind == "aws.s3.bucket")
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
}

#[test]
fn a_called_module_folder_is_reported_through_its_caller_only() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "root/main.tf",
        b"module \"b\" {\n  source = \"../modules/bucket\"\n  name = \"from-root\"\n}\n",
    );
    write(
        dir.path(),
        "modules/bucket/main.tf",
        b"variable \"name\" {}\nresource \"aws_s3_bucket\" \"this\" {\n  bucket = var.name\n}\n",
    );
    let scan = scan_paths(&[dir.path().to_path_buf()], &Options::default());
    let buckets: Vec<&str> = scan
        .resources
        .iter()
        .filter(|r| r.kind == "aws.s3.bucket")
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(buckets, vec!["from-root"]);
}
