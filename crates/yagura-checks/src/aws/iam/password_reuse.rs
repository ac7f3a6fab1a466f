use super::password_policy::require_policy;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-006",
    title: "IAM password policy prevents reuse of the last 24 passwords",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale: "When users may cycle back to an old password, a password that leaked once keeps \
        working. Remembering the last 24 passwords makes reuse impractical.",
    remediation: "Set the account password policy's reuse prevention to 24: \
        `aws iam update-account-password-policy --password-reuse-prevention 24` (the call \
        replaces the whole policy, so pass the other settings too).",
    frameworks: &[
        "cis-aws-3.0:1.9",
        "nist-800-53-r5:IA-5(1)",
        "pci-dss-4.0:8.3.7",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"password_policy": {"minimum_length": 14, "reuse_prevention": 24}}"#],
        fail: &[
            r#"{"password_policy": {"minimum_length": 14, "reuse_prevention": 5}}"#,
            r#"{"password_policy": {"minimum_length": 14, "reuse_prevention": null}}"#,
            r#"{"password_policy": null}"#,
        ],
    },
    notes: "",
};

const MIN: i64 = 24;

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_policy(
        r,
        "the account has no password policy, so passwords may be reused",
    ) {
        return o;
    }
    match r.attr("password_policy.reuse_prevention").i64() {
        Ok(Some(n)) if n >= MIN => Outcome::Pass(format!(
            "the password policy remembers the last {n} passwords"
        )),
        Ok(Some(n)) => Outcome::Fail(format!(
            "the password policy remembers only the last {n} passwords (required: {MIN})"
        )),
        Ok(None) => Outcome::Fail(format!(
            "the password policy does not prevent reuse (required: last {MIN})"
        )),
        Err(e) => e.into(),
    }
}
