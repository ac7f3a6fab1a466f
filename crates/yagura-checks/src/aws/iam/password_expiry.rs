use super::password_policy::require_policy;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-017",
    title: "IAM password policy expires passwords within 90 days",
    severity: Severity::Low,
    kind: "aws.account",
    rationale: "A password that never expires stays useful to whoever obtained it for as long as \
        the user exists. PCI DSS requires periodic changes where passwords are the only factor.",
    remediation: "Set the account password policy's maximum age to 90 days or less: \
        `aws iam update-account-password-policy --max-password-age 90` (the call replaces the \
        whole policy, so pass the other settings too). Prefer MFA everywhere; then expiry \
        matters less.",
    frameworks: &["nist-800-53-r5:IA-5(1)", "pci-dss-4.0:8.3.9"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"password_policy": {"minimum_length": 14, "max_age_days": 90}}"#],
        fail: &[
            r#"{"password_policy": {"minimum_length": 14, "max_age_days": 365}}"#,
            r#"{"password_policy": {"minimum_length": 14, "max_age_days": null}}"#,
            r#"{"password_policy": null}"#,
        ],
    },
    notes: "",
};

const MAX: i64 = 90;

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_policy(
        r,
        "the account has no password policy, so passwords never expire",
    ) {
        return o;
    }
    match r.attr("password_policy.max_age_days").i64() {
        Ok(Some(n)) if (1..=MAX).contains(&n) => {
            Outcome::Pass(format!("passwords expire after {n} days"))
        }
        Ok(Some(n)) if n > MAX => Outcome::Fail(format!(
            "passwords expire only after {n} days (required: {MAX} or less)"
        )),
        // 0 or null: AWS treats both as "never expires".
        Ok(_) => Outcome::Fail(format!(
            "passwords never expire (required: {MAX} days or less)"
        )),
        Err(e) => e.into(),
    }
}
