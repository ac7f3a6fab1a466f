use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use yagura_model::iac::{unknown, unknown_ref, RawResource};
use yagura_terraform::{
    is_plan_json, load_files, load_module_dir, load_plan_json, Options, Output,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(name: &str) -> Output {
    load_module_dir(&fixture(name), &Options::default())
}

fn res<'a>(out: &'a Output, addr: &str) -> &'a RawResource {
    out.resources
        .iter()
        .find(|r| r.address == addr)
        .unwrap_or_else(|| {
            let all: Vec<&str> = out.resources.iter().map(|r| r.address.as_str()).collect();
            panic!("no {addr} in {all:?}")
        })
}

fn attr<'a>(r: &'a RawResource, k: &str) -> &'a Value {
    r.attributes
        .get(k)
        .unwrap_or_else(|| panic!("{} has no {k}: {:?}", r.address, r.attributes))
}

#[test]
fn variable_precedence_defaults_tfvars_var_files_and_cli() {
    let opts = Options {
        vars: vec![
            ("from_cli".into(), "cli".into()),
            ("cli_number".into(), "41".into()),
            ("cli_string".into(), "007".into()),
            ("cli_list".into(), "[\"a\", \"b\"]".into()),
        ],
        var_files: vec![fixture("vars/extra.tfvars.json")],
    };
    let out = load_module_dir(&fixture("vars"), &opts);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let r = res(&out, "aws_s3_bucket.v");
    assert_eq!(attr(r, "a"), "default-value");
    assert_eq!(attr(r, "b"), "tfvars");
    assert_eq!(attr(r, "c"), "auto");
    assert_eq!(attr(r, "d"), "var-file");
    assert_eq!(attr(r, "e"), "cli");
    assert_eq!(attr(r, "n"), 42);
    // A string-typed variable keeps the raw text.
    assert_eq!(attr(r, "s"), "007");
    assert_eq!(attr(r, "l"), &json!(["a", "b"]));
    // No value anywhere: unknown, never guessed, and it propagates.
    assert_eq!(attr(r, "u"), &unknown("var.no_value"));
    assert_eq!(attr(r, "t"), &unknown("prefix-${var.no_value}"));
    assert!(out.files.iter().any(|f| f.ends_with("terraform.tfvars")));
    assert!(out.files.iter().any(|f| f.ends_with("b.auto.tfvars")));
}

#[test]
fn locals_expressions_and_functions() {
    let out = load("locals");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let r = res(&out, "aws_security_group.sg");
    let expect = json!({
        "name": "app-prod",
        "tags": {"owner": "team", "env": "prod", "Name": "app-prod"},
        "subnets": ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
        "upper": {"ENV": "prod"},
        "joined": "22,443",
        "names": ["a", "b"],
        "cond": "yes",
        "fmt": "x-007",
        "lookup": "fallback",
        "len": 2,
        "contains": true,
        "flat": [1, 2, 3],
        "distinct": ["a", "b"],
        "coalesce": "first",
        "try_missing": "tried",
        "can_ok": true,
        "json": "{\"a\":1}",
        "decoded": {"k": [true]},
        "replaced": "a_b_c",
        "substr": "ell",
        "trimmed": "x",
        "math": 6,
        "zip": {"a": 1, "b": 2},
        "b64": "hi",
        "one": "only",
        "sorted": ["a", "b"],
        "rev": [2, 1],
        "sliced": ["b", "c"],
        "idx": 1,
        "regex": ["web", "12"],
        "keys": ["a", "b"],
        "file": "from file",
        "tpl": "hello world: x;y;",
        "heredoc": "hello prod\nport 22\nport 443\n",
        "split": ["a", "b"],
        "setunion": ["a", "b"],
        "toset": ["a", "b"],
        "strip": "a b c",
        "files": ["policies/a.json", "policies/sub/b.json"],
        "top": ["a.json"]
    });
    for (k, v) in expect.as_object().unwrap() {
        assert_eq!(attr(r, k), v, "attribute {k}");
    }
    assert_eq!(r.location.start_line, Some(13));
    assert_eq!(r.location.end_line, Some(59));
}

#[test]
fn count_and_for_each_instances() {
    let out = load("count");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    assert_eq!(attr(res(&out, "aws_instance.web[0]"), "ami"), "ami-0");
    assert_eq!(attr(res(&out, "aws_instance.web[1]"), "ami"), "ami-1");
    assert!(!out
        .resources
        .iter()
        .any(|r| r.address.starts_with("aws_instance.none")));
    let logs = res(&out, "aws_s3_bucket.b[\"logs\"]");
    assert_eq!(attr(logs, "bucket"), "bucket-logs");
    assert_eq!(attr(logs, "enabled"), true);
    assert_eq!(
        attr(res(&out, "aws_s3_bucket.b[\"data\"]"), "enabled"),
        false
    );
    assert_eq!(
        attr(res(&out, "aws_iam_user.u[\"alice\"]"), "name"),
        "alice"
    );
    assert_eq!(attr(res(&out, "aws_iam_user.u[\"bob\"]"), "name"), "bob");
    // Unknown count: one instance with an unknown count.index.
    let maybe = res(&out, "aws_instance.maybe[*]");
    assert_eq!(attr(maybe, "ami"), &unknown("ami-${count.index}"));
    assert_eq!(maybe.location.start_line, Some(28));

    let refs = res(&out, "aws_eip.refs");
    assert_eq!(attr(refs, "first"), "ami-0");
    assert_eq!(attr(refs, "all"), &json!(["ami-0", "ami-1"]));
    assert_eq!(
        attr(refs, "logs_id"),
        &unknown_ref("aws_s3_bucket.b[\"logs\"].id", "aws_s3_bucket.b[\"logs\"]")
    );
    assert_eq!(attr(refs, "logs"), "bucket-logs");
    assert_eq!(
        attr(refs, "ids"),
        &json!([
            unknown_ref("aws_instance.web[*].id", "aws_instance.web"),
            unknown_ref("aws_instance.web[*].id", "aws_instance.web")
        ])
    );
    assert_eq!(
        attr(refs, "maybe"),
        &unknown_ref("aws_instance.maybe[0].ami", "aws_instance.maybe")
    );
}

#[test]
fn dynamic_blocks_with_iterator_and_nesting() {
    let out = load("dynamic");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let r = res(&out, "aws_security_group.sg");
    assert_eq!(
        attr(r, "ingress"),
        &json!([
            {"from_port": 80},
            {"from_port": 22, "cidr_blocks": ["10.0.0.0/8"], "tag": [{"cidr": "10.0.0.0/8", "pos": 0}]},
            {"from_port": 443, "cidr_blocks": ["0.0.0.0/0", "::/0"],
             "tag": [{"cidr": "0.0.0.0/0", "pos": 0}, {"cidr": "::/0", "pos": 1}]}
        ])
    );
    // How many egress blocks there are is unknown.
    assert_eq!(attr(r, "egress"), &unknown("var.unknown_rules"));
}

#[test]
fn modules_local_downloaded_outputs_and_providers() {
    let out = load("modules");
    let b = res(&out, "module.bucket.aws_s3_bucket.this");
    assert_eq!(attr(b, "bucket"), "logs-bucket");
    assert_eq!(attr(b, "versioning"), &json!([{"enabled": true}]));
    assert!(
        b.location.file.ends_with("modules/bucket/main.tf"),
        "{}",
        b.location.file
    );
    assert_eq!(b.location.start_line, Some(5));
    assert_eq!(b.region.as_deref(), Some("us-east-1"));
    assert_eq!(b.account, None);

    assert_eq!(
        attr(
            res(&out, "module.buckets[\"a\"].aws_s3_bucket.this"),
            "bucket"
        ),
        "a-bucket"
    );
    assert_eq!(
        attr(
            res(&out, "module.buckets[\"b\"].aws_s3_bucket.this"),
            "bucket"
        ),
        "b-bucket"
    );
    let c1 = res(&out, "module.counted[1].aws_s3_bucket.this");
    assert_eq!(attr(c1, "bucket"), "c1-bucket");
    // The providers map passes the aliased configuration.
    assert_eq!(c1.region.as_deref(), Some("us-west-2"));
    assert_eq!(c1.account.as_deref(), Some("123456789012"));
    let west = res(&out, "aws_s3_bucket.west");
    assert_eq!(west.region.as_deref(), Some("us-west-2"));

    // Downloaded registry module (modules.json), and a local module inside it.
    let vpc = res(&out, "module.vpc.aws_vpc.this");
    assert_eq!(attr(vpc, "cidr_block"), "10.0.0.0/16");
    let fl = res(&out, "module.vpc.module.sub.aws_flow_log.this");
    assert_eq!(
        attr(fl, "vpc_id"),
        &unknown_ref("aws_vpc.this.id", "module.vpc.aws_vpc.this")
    );

    let p = res(&out, "aws_s3_bucket_policy.p");
    assert_eq!(attr(p, "bucket"), "logs-bucket");
    assert_eq!(
        attr(p, "id_ref"),
        &unknown_ref("aws_s3_bucket.this.id", "module.bucket.aws_s3_bucket.this")
    );
    assert_eq!(attr(p, "vpc"), "10.0.0.0/16");
    assert_eq!(attr(p, "miss"), &unknown("module.missing.anything"));
    assert_eq!(attr(p, "names"), &json!(["a-bucket", "b-bucket"]));

    // Unknown module count: one instance, `[*]` in the address.
    let maybe = res(&out, "module.maybe[*].aws_s3_bucket.this");
    assert_eq!(attr(maybe, "bucket"), "maybe-bucket");

    assert_eq!(out.issues.len(), 1, "{:?}", out.issues);
    let i = &out.issues[0];
    assert!(i.message.contains("not-downloaded.git"), "{i}");
    assert_eq!(i.line, Some(32));
    assert!(out
        .files
        .iter()
        .any(|f| f.ends_with(".terraform/modules/vpc/modules/sub/main.tf")));
}

#[test]
fn reference_cycles_are_issues_not_hangs() {
    let out = load("cycles");
    let msgs: Vec<String> = out.issues.iter().map(|i| i.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("cycle") && m.contains("aws_security_group")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("cycle") && m.contains("local.")),
        "{msgs:?}"
    );
    assert_eq!(attr(res(&out, "aws_s3_bucket.ok"), "bucket"), "fine");
    assert!(yagura_model::iac::is_unknown(attr(
        res(&out, "aws_s3_bucket.ok"),
        "loop"
    )));
    assert!(yagura_model::iac::is_unknown(attr(
        res(&out, "aws_security_group.a"),
        "name"
    )));
}

#[test]
fn cyclic_module_sources_are_issues() {
    let out = load("module_cycle");
    assert_eq!(attr(res(&out, "aws_s3_bucket.root"), "bucket"), "root");
    assert_eq!(
        attr(res(&out, "module.child.aws_s3_bucket.inner"), "bucket"),
        "inner"
    );
    assert!(
        out.issues
            .iter()
            .any(|i| i.message.contains("cyclic module source")),
        "{:?}",
        out.issues
    );
}

#[test]
fn malformed_files_are_reported_and_others_still_load() {
    let out = load("malformed");
    assert_eq!(attr(res(&out, "aws_s3_bucket.good"), "bucket"), "good");
    assert_eq!(out.resources.len(), 1);
    let bad = out
        .issues
        .iter()
        .find(|i| i.file.ends_with("bad.tf"))
        .expect("bad.tf issue");
    assert_eq!(bad.line, Some(3));
    assert!(bad.message.contains("syntax error"), "{bad}");
    assert!(out.issues.iter().any(|i| i.file.ends_with("binary.tf")));
    let latin = out
        .issues
        .iter()
        .find(|i| i.file.ends_with("latin1.tf"))
        .expect("latin1 issue");
    assert_eq!(latin.line, Some(2));
}

#[test]
fn single_files_and_oversized_or_deep_input() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("one.tf");
    std::fs::write(
        &f,
        "resource \"aws_s3_bucket\" \"x\" {\n  bucket = \"a\"\n}\n",
    )
    .unwrap();
    let deep = dir.path().join("deep.tf");
    std::fs::write(
        &deep,
        format!(
            "locals {{\n  x = {}1{}\n}}\n",
            "[".repeat(5000),
            "]".repeat(5000)
        ),
    )
    .unwrap();
    let big = dir.path().join("big.tf");
    let fh = std::fs::File::create(&big).unwrap();
    fh.set_len(17 * 1024 * 1024).unwrap();
    let out = load_files(&[f.clone(), deep, big], &Options::default());
    assert_eq!(attr(res(&out, "aws_s3_bucket.x"), "bucket"), "a");
    assert_eq!(out.issues.len(), 2, "{:?}", out.issues);
    assert!(out.issues.iter().any(|i| i.message.contains("16 MiB")));
    assert!(out.issues.iter().any(|i| i.message.contains("nesting")));

    // Long reference chains stop at the depth cap instead of overflowing the stack.
    let chain = dir.path().join("chain.tf");
    let mut s = String::from("locals {\n  l0 = 1\n");
    for i in 1..3000 {
        s.push_str(&format!("  l{i} = local.l{} + 1\n", i - 1));
    }
    s.push_str("}\nresource \"x\" \"y\" {\n  v = local.l2999\n  w = local.l10\n}\n");
    std::fs::write(&chain, s).unwrap();
    let out = load_files(&[chain], &Options::default());
    let r = res(&out, "x.y");
    assert_eq!(attr(r, "w"), 11);
    assert!(!out.issues.is_empty());
}

#[test]
fn json_configuration_syntax() {
    let out = load("json");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let r = res(&out, "aws_s3_bucket.j");
    assert_eq!(attr(r, "bucket"), "jsonbucket-x");
    assert_eq!(attr(r, "tags"), &json!({"a": "b"}));
    assert_eq!(attr(r, "versioning"), &json!([{"enabled": true}]));
    assert_eq!(r.location.start_line, Some(7));
    assert_eq!(r.location.end_line, Some(11));
}

#[test]
fn plan_json_with_after_unknown() {
    let p = fixture("plan/plan.json");
    assert!(is_plan_json(&std::fs::read_to_string(&p).unwrap()));
    assert!(!is_plan_json("{\"resource\": {}}"));
    let out = load_plan_json(&p);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let b = res(&out, "aws_s3_bucket.b");
    assert_eq!(attr(b, "bucket"), "plan-bucket");
    assert_eq!(attr(b, "arn"), &unknown("aws_s3_bucket.b.arn"));
    assert_eq!(
        attr(b, "versioning"),
        &json!([{"enabled": true, "mfa_delete": false}])
    );
    assert_eq!(b.region.as_deref(), Some("eu-central-1"));
    assert_eq!(b.location.start_line, None);
    assert!(b.location.file.ends_with("plan.json"));
    let pab = res(&out, "module.m.aws_s3_bucket_public_access_block.pab");
    assert_eq!(pab.type_name, "aws_s3_bucket_public_access_block");
    assert_eq!(attr(pab, "block_public_acls"), true);
    assert!(yagura_model::iac::is_unknown(attr(pab, "bucket")));

    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("p.json");
    std::fs::write(&broken, "{\"planned_values\": [").unwrap();
    let out = load_plan_json(&broken);
    assert!(out.resources.is_empty());
    assert_eq!(out.issues.len(), 1);
}

#[test]
fn iam_policy_documents_render_to_json() {
    let out = load("iam");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let doc = res(&out, "data.aws_iam_policy_document.known");
    assert_eq!(doc.type_name, "aws_iam_policy_document");
    let p = res(&out, "aws_s3_bucket_policy.p");
    let policy: Value = serde_json::from_str(attr(p, "policy").as_str().unwrap()).unwrap();
    assert_eq!(
        policy,
        json!({
            "Version": "2012-10-17",
            "Id": "p1",
            "Statement": [
                {"Sid": "DenyInsecure", "Effect": "Deny", "Action": "s3:*",
                 "Resource": ["arn:aws:s3:::logs/*", "arn:aws:s3:::logs"],
                 "Principal": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*",
                 "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:root"]}}
            ]
        })
    );
    assert_eq!(
        attr(p, "bucket"),
        &unknown_ref("aws_s3_bucket.b.id", "aws_s3_bucket.b")
    );
    // A statement with an unknown resource ARN leaves the document unknown.
    let q = res(&out, "aws_s3_bucket_policy.q");
    assert_eq!(
        attr(q, "policy"),
        &unknown_ref(
            "data.aws_iam_policy_document.dynamic_unknown.json",
            "data.aws_iam_policy_document.dynamic_unknown"
        )
    );
}

#[test]
fn values_doubling_through_locals_stop_at_the_size_cap() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("main.tf");
    let mut s = format!("locals {{\n  a0 = \"{}\"\n", "x".repeat(1000));
    for i in 1..60 {
        s.push_str(&format!(
            "  a{i} = \"${{local.a{p}}}${{local.a{p}}}\"\n",
            p = i - 1
        ));
        s.push_str(&format!(
            "  l{i} = concat(local.l{p}, local.l{p})\n",
            p = i - 1
        ));
    }
    s.push_str("  l0 = [\"a\", \"b\"]\n}\nresource \"x\" \"y\" {\n  a = local.a59\n  l = local.l59\n  ok = length(local.l3)\n}\n");
    std::fs::write(&f, s).unwrap();
    let t = std::time::Instant::now();
    let out = load_files(&[f], &Options::default());
    assert!(t.elapsed().as_secs() < 30);
    let r = res(&out, "x.y");
    assert!(yagura_model::iac::is_unknown(attr(r, "a")));
    assert!(yagura_model::iac::is_unknown(attr(r, "l")));
    assert_eq!(attr(r, "ok"), 16);
    assert!(
        out.issues.iter().any(|i| i.message.contains("too large")),
        "{:?}",
        out.issues
    );
}

#[test]
fn file_functions_stay_inside_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("mod")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    std::fs::write(root.join("mod/p.json"), "{\"a\": 1}").unwrap();
    std::fs::write(
        root.join("main.tf"),
        "module \"m\" {\n  source = \"./mod\"\n}\nresource \"x\" \"y\" {\n  abs = file(\"/etc/hostname\")\n  up = file(\"../secret.txt\")\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("mod/main.tf"),
        "resource \"x\" \"z\" {\n  a = jsondecode(file(\"${path.module}/p.json\")).a\n  b = jsondecode(file(\"p.json\")).a\n}\n",
    )
    .unwrap();
    let out = load_module_dir(&root, &Options::default());
    let y = res(&out, "x.y");
    assert!(yagura_model::iac::is_unknown(attr(y, "abs")));
    assert!(yagura_model::iac::is_unknown(attr(y, "up")));
    let z = res(&out, "module.m.x.z");
    assert_eq!(attr(z, "a"), 1);
    assert_eq!(attr(z, "b"), 1);
}

#[test]
fn override_files_merge_into_blocks() {
    let out = load("override");
    let b = res(&out, "aws_s3_bucket.b");
    assert_eq!(attr(b, "bucket"), "over-prod");
    assert_eq!(attr(b, "acl"), "private");
    assert_eq!(attr(b, "tags"), &json!({"owner": "override"}));
    assert_eq!(attr(b, "versioning"), &json!([{"enabled": true}]));
    assert_eq!(attr(b, "logging"), &json!([{"target_bucket": "logs"}]));
    assert!(b.location.file.ends_with("main.tf"));
    assert_eq!(attr(res(&out, "module.m.aws_sqs_queue.q"), "name"), "over");
    assert!(!out.resources.iter().any(|r| r.address.contains("nope")));
    assert_eq!(out.issues.len(), 1, "{:?}", out.issues);
    assert!(out.issues[0].message.contains("undeclared resource"));
    assert_eq!(out.issues[0].line, Some(10));
}
