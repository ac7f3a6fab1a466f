use super::*;
use serde_json::json;

const OWNER_TAG: &str = r#"# METADATA
# title: S3 buckets carry an owner tag
# custom:
#   code: ACME-S3-001
#   severity: high
#   kinds: [aws.s3.bucket]
#   frameworks: ["acme:T-1"]
#   remediation: Tag it.
package acme.owner

deny contains msg if {
    not input.tags.owner
    msg := sprintf("bucket %s has no owner tag", [input.name])
}
"#;

fn bucket(tags: serde_json::Value) -> Resource {
    let mut r = Resource::new("aws.s3.bucket", "arn:aws:s3:::b1", "b1");
    r.tags = serde_json::from_value(tags).unwrap();
    r
}

#[test]
fn metadata_comes_from_the_annotation() {
    let p = Policy::from_source("owner.rego", OWNER_TAG).unwrap();
    assert_eq!(p.package, "data.acme.owner");
    assert_eq!(p.meta.code, "ACME-S3-001");
    assert_eq!(p.meta.severity, Severity::High);
    assert_eq!(p.meta.frameworks, vec!["acme:T-1"]);
    assert!(p.applies_to("aws.s3.bucket"));
    assert!(!p.applies_to("aws.ec2.instance"));
}

#[test]
fn deny_yields_fail_and_empty_deny_yields_pass() {
    let mut p = Policy::from_source("owner.rego", OWNER_TAG).unwrap();
    let fail = p.evaluate(&bucket(json!({}))).unwrap();
    assert_eq!(fail, Outcome::Fail("bucket b1 has no owner tag".into()));
    let pass = p.evaluate(&bucket(json!({"owner": "data-team"}))).unwrap();
    assert!(matches!(pass, Outcome::Pass(_)), "{pass:?}");
}

#[test]
fn attributes_are_visible_to_policies() {
    let src = r#"# METADATA
# title: versioning
# custom: {code: ACME-S3-002}
package acme.versioning

deny contains "versioning is off" if {
    input.attributes.versioning.status != "Enabled"
}
"#;
    let mut p = Policy::from_source("v.rego", src).unwrap();
    let mut r = bucket(json!({}));
    r.attributes = json!({"versioning": {"status": "Suspended"}});
    assert_eq!(
        p.evaluate(&r).unwrap(),
        Outcome::Fail("versioning is off".into())
    );
    r.attributes = json!({"versioning": {"status": "Enabled"}});
    assert!(matches!(p.evaluate(&r).unwrap(), Outcome::Pass(_)));
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let src = "# METADATA\n# title: t\n# custom: {code: X-1}\npackage x\n\ndeny contains msg if {\n  msg := \n}\n";
    let e = Policy::from_source("broken.rego", src).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("broken.rego:"), "{text}");
    assert!(matches!(e, PolicyError::Parse { .. }));
}

#[test]
fn missing_metadata_is_an_error_with_a_line() {
    let e = Policy::from_source("m.rego", "package x\n").unwrap_err();
    assert!(e.to_string().starts_with("m.rego:1: METADATA"), "{e}");
    let e = Policy::from_source(
        "m.rego",
        "# METADATA\n# title: t\n# custom:\n#   severity: urgent\n#   code: X\npackage x\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown severity"), "{e}");
}

#[test]
fn load_dir_keeps_good_policies_next_to_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.rego"), OWNER_TAG).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("sub/b.rego"),
        "# METADATA\n# title: t\n# custom: {code: B}\npackage b\ndeny contains x if {\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let (policies, errors) = load_dir(dir.path());
    assert_eq!(policies.len(), 1);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("b.rego"), "{}", errors[0]);
}
