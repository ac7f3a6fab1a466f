use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-008",
    title: "S3 bucket has lifecycle rules",
    severity: Severity::Low,
    kind: "aws.s3.bucket",
    rationale: "Data kept longer than needed is data that can leak. Lifecycle rules expire or \
        archive objects and old versions on a schedule, which enforces the retention policy and \
        limits what a compromise can expose.",
    remediation: "Add a lifecycle configuration that expires objects (and noncurrent versions, \
        and incomplete multipart uploads) according to your retention policy: `aws s3api \
        put-bucket-lifecycle-configuration --bucket NAME --lifecycle-configuration file://rules.json`.",
    frameworks: &["nist-800-53-r5:SI-12"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"lifecycle_rules": 2}"#],
        fail: &[r#"{"lifecycle_rules": 0}"#, r#"{"lifecycle_rules": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("lifecycle_rules").i64() {
        Ok(Some(n)) if n > 0 => Outcome::Pass(format!("the bucket has {n} lifecycle rule(s)")),
        Ok(_) => {
            Outcome::Fail("the bucket has no lifecycle rules, so objects are kept forever".into())
        }
        Err(e) => e.into(),
    }
}
