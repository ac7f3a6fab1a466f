use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-007",
    title: "S3 bucket has ACLs disabled (Object Ownership: bucket owner enforced)",
    severity: Severity::Medium,
    kind: "aws.s3.bucket",
    rationale: "Access control lists are a second, object-by-object permission system that is \
        easy to overlook: a single object ACL can make data public or leave objects owned by \
        another account. With BucketOwnerEnforced, ACLs are ignored and only policies decide \
        access, and the bucket owner owns every object.",
    remediation: "Set Object Ownership to BucketOwnerEnforced after moving any access that \
        relied on ACLs into the bucket policy: `aws s3api put-bucket-ownership-controls --bucket \
        NAME --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-6",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"ownership": "BucketOwnerEnforced"}"#],
        fail: &[r#"{"ownership": "ObjectWriter"}"#, r#"{"ownership": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("ownership").str() {
        Ok(Some("BucketOwnerEnforced")) => {
            Outcome::Pass("ACLs are disabled: Object Ownership is BucketOwnerEnforced".into())
        }
        Ok(Some(other)) => Outcome::Fail(format!("Object Ownership is {other}, so ACLs still grant access")),
        Ok(None) => Outcome::Fail(
            "the bucket has no Object Ownership controls: ACLs are in effect and objects written by \
             other accounts stay theirs"
                .into(),
        ),
        Err(e) => e.into(),
    }
}
