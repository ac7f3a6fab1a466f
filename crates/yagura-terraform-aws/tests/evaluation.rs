//! End to end over the Terraform loader: unknown values, modules with `for_each`,
//! `count`, and the locations findings point at.

use std::fs;
use std::path::Path;
use yagura_checks::Ctx;
use yagura_model::{Inventory, Outcome, Resource};

fn write(dir: &Path, file: &str, text: &str) {
    let p = dir.join(file);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(p, text).unwrap();
}

fn load(dir: &Path) -> Vec<Resource> {
    let out = yagura_terraform::load_module_dir(dir, &Default::default());
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    yagura_terraform_aws::adapt(&out.resources)
}

/// (resource id, outcome) of check `code` for every resource of its kind.
fn run(code: &str, resources: &[Resource]) -> Vec<(String, Outcome)> {
    let check = yagura_checks::find(code).unwrap();
    let inv = Inventory::new(resources.to_vec());
    let ctx = Ctx {
        inventory: &inv,
        now: chrono::Utc::now(),
    };
    inv.of_kind(check.kind)
        .map(|r| (r.id.clone(), check.evaluate(r, &ctx)))
        .collect()
}

#[test]
fn a_variable_without_value_is_not_assessed_never_guessed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "alg" {}

resource "aws_s3_bucket" "b" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.alg
    }
  }
}
"#,
    );
    let res = load(dir.path());
    let outcomes = run("AWS-S3-005", &res);
    assert_eq!(outcomes.len(), 1);
    match &outcomes[0].1 {
        Outcome::NotAssessed(why) => assert!(why.contains("var.alg"), "{why}"),
        other => panic!("expected NOT_ASSESSED, got {other:?}"),
    }
}

#[test]
fn modules_with_for_each_and_count_join_per_instance() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
provider "aws" {
  region = "eu-west-1"
}

module "bucket" {
  source   = "./modules/bucket"
  for_each = { open = false, closed = true }
  name     = "acme-${each.key}"
  block    = each.value
}

resource "aws_security_group" "sg" {
  count = 2
  name  = "sg-${count.index}"
}

resource "aws_security_group_rule" "ssh" {
  count             = 2
  type              = "ingress"
  security_group_id = aws_security_group.sg[count.index].id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [count.index == 0 ? "0.0.0.0/0" : "10.0.0.0/8"]
}
"#,
    );
    write(
        dir.path(),
        "modules/bucket/main.tf",
        r#"variable "name" {}
variable "block" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = var.block
  ignore_public_acls      = var.block
  block_public_policy     = var.block
  restrict_public_buckets = var.block
}
"#,
    );
    let res = load(dir.path());
    let mut s3 = run("AWS-S3-001", &res);
    s3.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(s3[0].0, "arn:aws:s3:::acme-closed");
    assert!(matches!(s3[0].1, Outcome::Pass(_)), "{s3:?}");
    assert_eq!(s3[1].0, "arn:aws:s3:::acme-open");
    assert!(matches!(s3[1].1, Outcome::Fail(_)), "{s3:?}");
    let bucket = res
        .iter()
        .find(|r| r.id == "arn:aws:s3:::acme-open")
        .unwrap();
    let loc = bucket.location.as_ref().unwrap();
    assert!(loc.file.ends_with("modules/bucket/main.tf"), "{}", loc.file);
    assert_eq!((loc.start_line, loc.end_line), (Some(4), Some(6)));
    assert_eq!(bucket.region.as_deref(), Some("eu-west-1"));

    let mut sg = run("AWS-EC2-001", &res);
    sg.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(sg[0].0, "terraform:aws_security_group.sg[0]");
    assert!(matches!(sg[0].1, Outcome::Fail(_)), "{sg:?}");
    assert!(matches!(sg[1].1, Outcome::Pass(_)), "{sg:?}");
}

#[test]
fn a_jsonencode_policy_with_a_computed_arn_is_judged_on_its_known_parts() {
    let dir = tempfile::tempdir().unwrap();
    let policy = |principal: &str| {
        format!(
            r#"resource "aws_s3_bucket" "b" {{
  bucket = "acme-site"
}}

resource "aws_s3_bucket_public_access_block" "b" {{
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = false
  restrict_public_buckets = false
}}

resource "aws_s3_bucket_policy" "b" {{
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {principal}
      Action    = "s3:GetObject"
      Resource  = "${{aws_s3_bucket.b.arn}}/*"
    }}]
  }})
}}
"#
        )
    };
    write(dir.path(), "main.tf", &policy(r#""*""#));
    let out = run("AWS-S3-003", &load(dir.path()));
    assert!(matches!(out[0].1, Outcome::Fail(_)), "{out:?}");

    write(
        dir.path(),
        "main.tf",
        &policy(r#"{ AWS = "arn:aws:iam::111122223333:root" }"#),
    );
    let out = run("AWS-S3-003", &load(dir.path()));
    assert!(matches!(out[0].1, Outcome::Pass(_)), "{out:?}");

    // An unknown principal decides the result: not assessed.
    write(
        dir.path(),
        "main.tf",
        &format!("variable \"who\" {{}}\n{}", policy("{ AWS = var.who }")),
    );
    let out = run("AWS-S3-003", &load(dir.path()));
    assert!(matches!(out[0].1, Outcome::NotAssessed(_)), "{out:?}");
}
