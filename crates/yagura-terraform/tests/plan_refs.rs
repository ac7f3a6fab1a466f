//! Plan JSON of new infrastructure: a companion's `bucket` is unknown until apply,
//! and the configuration's references must join it to its bucket.

use serde_json::Value;
use std::path::{Path, PathBuf};
use yagura_checks::{find, Ctx};
use yagura_model::iac::{is_unknown, unknown, unknown_ref, RawResource};
use yagura_model::{Inventory, Outcome};
use yagura_terraform::{load_plan_json, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/plan_refs")
        .join(name)
}

fn load(name: &str) -> Output {
    let out = load_plan_json(&fixture(name));
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    out
}

fn res<'a>(out: &'a Output, addr: &str) -> &'a RawResource {
    out.resources
        .iter()
        .find(|r| r.address == addr)
        .unwrap_or_else(|| panic!("no {addr}"))
}

fn bucket_arg<'a>(out: &'a Output, addr: &str) -> &'a Value {
    &res(out, addr).attributes["bucket"]
}

/// The outcome of `code` for every bucket, by bucket name.
fn outcomes(out: &Output, code: &str) -> Vec<(String, Outcome)> {
    let check = find(code).unwrap();
    let inventory = Inventory::new(yagura_terraform_aws::adapt(&out.resources));
    let ctx = Ctx {
        inventory: &inventory,
        now: chrono::Utc::now(),
    };
    let mut v: Vec<(String, Outcome)> = inventory
        .of_kind(check.kind)
        .map(|r| (r.name.clone(), check.evaluate(r, &ctx)))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn assert_all(got: &[(String, Outcome)], pass: bool, names: &[&str]) {
    let got_names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(got_names, names);
    for (n, o) in got {
        let ok = if pass {
            matches!(o, Outcome::Pass(_))
        } else {
            matches!(o, Outcome::Fail(_))
        };
        assert!(ok, "{n}: {o:?}");
    }
}

#[test]
fn unknown_bucket_ids_carry_the_referenced_resource() {
    let out = load("new_buckets.json");
    assert_eq!(
        bucket_arg(&out, "aws_s3_bucket_public_access_block.data"),
        &unknown_ref("aws_s3_bucket.data.id", "aws_s3_bucket.data")
    );
    // Inside a module the address gets the module path, the text stays as written.
    assert_eq!(
        bucket_arg(&out, "module.logs.aws_s3_bucket_public_access_block.this"),
        &unknown_ref("aws_s3_bucket.this.id", "module.logs.aws_s3_bucket.this")
    );
    // Nested blocks: the key of a new KMS key, also through a module input.
    let key = |addr: &str| {
        res(&out, addr).attributes["rule"][0]["apply_server_side_encryption_by_default"][0]
            ["kms_master_key_id"]
            .clone()
    };
    let want = unknown_ref("aws_kms_key.s3.arn", "aws_kms_key.s3");
    assert_eq!(
        key("aws_s3_bucket_server_side_encryption_configuration.data"),
        want
    );
    assert_eq!(
        key("module.logs.aws_s3_bucket_server_side_encryption_configuration.this"),
        want
    );
    // Computed attributes without an argument in the configuration stay plain.
    let b = res(&out, "aws_s3_bucket.data");
    assert_eq!(b.attributes["arn"], unknown("aws_s3_bucket.data.arn"));
    assert_eq!(
        b.attributes["server_side_encryption_configuration"],
        unknown("aws_s3_bucket.data.server_side_encryption_configuration")
    );
    assert_eq!(b.account, None);
    assert_eq!(b.region.as_deref(), Some("eu-west-1"));
}

#[test]
fn new_buckets_with_companions_are_assessed() {
    let names = ["acme-data-prod", "acme-logs-prod"];
    let out = load("new_buckets.json");
    assert_all(&outcomes(&out, "AWS-S3-001"), true, &names);
    assert_all(&outcomes(&out, "AWS-S3-011"), true, &names);

    let open = load("new_buckets_open.json");
    assert_all(&outcomes(&open, "AWS-S3-001"), false, &names);
    assert_all(&outcomes(&open, "AWS-S3-011"), true, &names);
}

#[test]
fn instance_keys_module_outputs_and_inputs() {
    let out = load("keys.json");
    // `for_each = aws_s3_bucket.fe` with `each.value.id`.
    for k in ["a", "b"] {
        assert_eq!(
            bucket_arg(
                &out,
                &format!("aws_s3_bucket_public_access_block.fe[\"{k}\"]")
            ),
            &unknown_ref("each.value.id", format!("aws_s3_bucket.fe[\"{k}\"]"))
        );
    }
    // `aws_s3_bucket.c[count.index].id`.
    for i in 0..2 {
        assert_eq!(
            bucket_arg(&out, &format!("aws_s3_bucket_public_access_block.c[{i}]")),
            &unknown_ref("aws_s3_bucket.c", format!("aws_s3_bucket.c[{i}]"))
        );
    }
    assert_eq!(
        bucket_arg(&out, "aws_s3_bucket_versioning.first"),
        &unknown_ref("aws_s3_bucket.c[0].id", "aws_s3_bucket.c[0]")
    );
    // Several instances, or a value through a local: no join is guessed.
    for (addr, expr) in [
        (
            "aws_s3_bucket_versioning.splat",
            "aws_s3_bucket_versioning.splat.bucket",
        ),
        (
            "aws_s3_bucket_versioning.two",
            "aws_s3_bucket_versioning.two.bucket",
        ),
        (
            "aws_s3_bucket_versioning.local",
            "aws_s3_bucket_versioning.local.bucket",
        ),
    ] {
        assert_eq!(bucket_arg(&out, addr), &unknown(expr));
    }
    // `module.store[0].bucket_id` is the module's `aws_s3_bucket.this.id`.
    assert_eq!(
        bucket_arg(&out, "aws_s3_bucket_policy.store"),
        &unknown_ref(
            "aws_s3_bucket.this.id",
            "module.store[0].aws_s3_bucket.this"
        )
    );
    // `var.peer` inside the module is the root's `aws_s3_bucket.fe["b"].id`.
    assert_eq!(
        bucket_arg(&out, "module.store[0].aws_s3_bucket_versioning.peer"),
        &unknown_ref("aws_s3_bucket.fe[\"b\"].id", "aws_s3_bucket.fe[\"b\"]")
    );
    // And the adapter joins them: every bucket's public access block is known.
    let got = outcomes(&out, "AWS-S3-001");
    assert_eq!(got.len(), 5, "{got:?}");
    assert!(
        got.iter().all(|(_, o)| matches!(o, Outcome::Pass(_))),
        "{got:?}"
    );
}

#[test]
fn plans_without_configuration_keep_plain_unknowns() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("single_fail.json")).unwrap())
            .unwrap();
    doc.as_object_mut().unwrap().remove("configuration");
    let p = dir.path().join("plan.json");
    std::fs::write(&p, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = load_plan_json(&p);
    let v = bucket_arg(&out, "aws_s3_bucket_public_access_block.uploads");
    assert!(is_unknown(v));
    assert_eq!(
        v,
        &unknown("aws_s3_bucket_public_access_block.uploads.bucket")
    );
    // Without the join the bucket's setting is unknown: not assessed, never a guess.
    let got = outcomes(&out, "AWS-S3-001");
    assert!(
        matches!(got.as_slice(), [(_, Outcome::NotAssessed(_))]),
        "{got:?}"
    );
    let with = load("single_fail.json");
    assert_all(
        &outcomes(&with, "AWS-S3-001"),
        false,
        &["acme-uploads-prod"],
    );
}

#[test]
fn references_in_a_cycle_end_as_plain_unknowns() {
    // Module outputs read the module's input, which reads the outputs again: four
    // ways each turn, so following them without a limit would never end.
    let plan = serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_s3_bucket_public_access_block.p", "mode": "managed",
            "type": "aws_s3_bucket_public_access_block", "name": "p",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "values": {"block_public_acls": true}
        }]}},
        "resource_changes": [{
            "address": "aws_s3_bucket_public_access_block.p",
            "change": {"actions": ["create"], "after_unknown": {"bucket": true}}
        }],
        "configuration": {"root_module": {
            "resources": [{
                "address": "aws_s3_bucket_public_access_block.p", "mode": "managed",
                "type": "aws_s3_bucket_public_access_block", "name": "p",
                "expressions": {"bucket": {"references": ["module.a.o", "module.a.q", "module.a.r", "module.a.s", "module.a"]}}
            }],
            "module_calls": {"a": {
                "expressions": {"x": {"references": ["module.a.o", "module.a.q", "module.a.r", "module.a.s", "module.a"]}},
                "module": {"outputs": {
                    "o": {"expression": {"references": ["var.x"]}},
                    "q": {"expression": {"references": ["var.x"]}},
                    "r": {"expression": {"references": ["var.x"]}},
                    "s": {"expression": {"references": ["var.x"]}}
                }}
            }}
        }}
    });
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("plan.json");
    std::fs::write(&p, plan.to_string()).unwrap();
    let started = std::time::Instant::now();
    let out = load_plan_json(&p);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    assert_eq!(
        bucket_arg(&out, "aws_s3_bucket_public_access_block.p"),
        &unknown("aws_s3_bucket_public_access_block.p.bucket")
    );
    assert!(started.elapsed().as_secs() < 10);
}
