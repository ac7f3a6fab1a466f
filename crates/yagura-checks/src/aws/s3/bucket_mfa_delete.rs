use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-010",
    title: "S3 bucket requires MFA to delete object versions",
    severity: Severity::Low,
    kind: "aws.s3.bucket",
    rationale: "With MFA Delete, permanently deleting an object version or changing the \
        bucket's versioning state needs the root user's MFA code. Stolen access keys alone then \
        cannot wipe the version history that versioning is meant to protect.",
    remediation: "As the root user with an MFA device, enable versioning with MFA Delete: `aws \
        s3api put-bucket-versioning --bucket NAME --versioning-configuration \
        Status=Enabled,MFADelete=Enabled --mfa 'SERIAL CODE'`. Where this is impractical, use S3 \
        Object Lock instead.",
    frameworks: &[
        "cis-aws-3.0:2.1.2",
        "nist-800-53-r5:CP-9",
        "nist-800-53-r5:IA-2(1)",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"versioning": {"status": "Enabled", "mfa_delete": true}}"#],
        fail: &[
            r#"{"versioning": {"status": "Enabled", "mfa_delete": false}}"#,
            r#"{"versioning": null}"#,
        ],
    },
    notes: "CIS lists this control as manual because only the root user can enable it; the \
        setting itself is read from GetBucketVersioning. The emulator used in CI (moto) cannot \
        answer GetBucketVersioning in a form the AWS SDK for Rust parses (its XML root element \
        is wrong); the check is covered by snapshot fixtures only (the end-to-end test asserts \
        it is NOT_ASSESSED there).",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let v = match r.attr("versioning").value() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if v.is_null() {
        return Outcome::Fail("versioning, and so MFA Delete, has never been enabled".into());
    }
    match v.get("mfa_delete") {
        Some(Value::Bool(true)) => Outcome::Pass("MFA Delete is enabled".into()),
        Some(Value::Bool(false)) | Some(Value::Null) => {
            Outcome::Fail("MFA Delete is not enabled".into())
        }
        _ => Outcome::NotAssessed("attribute `versioning.mfa_delete` was not observed".into()),
    }
}
