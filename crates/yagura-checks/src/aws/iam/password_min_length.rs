use super::password_policy::require_policy;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-005",
    title: "IAM password policy requires at least 14 characters",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale: "Short passwords fall quickly to guessing and offline cracking. Without a policy, \
        AWS accepts IAM user passwords of only 8 characters.",
    remediation: "Set the account password policy's minimum length to 14 or more: \
        `aws iam update-account-password-policy --minimum-password-length 14` (the call \
        replaces the whole policy, so pass the other settings too).",
    frameworks: &[
        "cis-aws-3.0:1.8",
        "nist-800-53-r5:IA-5(1)",
        "pci-dss-4.0:8.3.6",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"password_policy": {"minimum_length": 16, "reuse_prevention": 24}}"#],
        fail: &[
            r#"{"password_policy": {"minimum_length": 8, "reuse_prevention": 24}}"#,
            r#"{"password_policy": null}"#,
        ],
    },
    notes: "",
};

const MIN: i64 = 14;

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let no_policy = format!(
        "the account has no password policy, so passwords need only 8 characters (required: {MIN})"
    );
    if let Err(o) = require_policy(r, no_policy) {
        return o;
    }
    match r.attr("password_policy.minimum_length").i64() {
        Ok(Some(n)) if n >= MIN => {
            Outcome::Pass(format!("the password policy requires {n} characters"))
        }
        Ok(Some(n)) => Outcome::Fail(format!(
            "the password policy requires only {n} characters (required: {MIN})"
        )),
        Ok(None) => Outcome::Fail(format!(
            "the password policy sets no minimum length (required: {MIN})"
        )),
        Err(e) => e.into(),
    }
}
