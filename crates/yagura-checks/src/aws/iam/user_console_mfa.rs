use crate::util::name_of;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-007",
    title: "IAM users with a console password have MFA enabled",
    severity: Severity::High,
    kind: "aws.iam.user",
    rationale: "A console password alone falls to phishing, reuse and guessing. A second factor \
        stops a stolen password from becoming a console session.",
    remediation: "Have the user register an MFA device (Security credentials → Assign MFA \
        device), or remove the console password if the user does not need the console. An IAM \
        policy that denies actions without `aws:MultiFactorAuthPresent` enforces it.",
    frameworks: &[
        "cis-aws-3.0:1.10",
        "nist-800-53-r5:IA-2(1)",
        "nist-800-53-r5:IA-2(2)",
        "pci-dss-4.0:8.4.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"user_name": "alice", "password_enabled": true, "mfa_devices": 1}"#,
            r#"{"user_name": "ci-bot", "password_enabled": false, "mfa_devices": 0}"#,
        ],
        fail: &[r#"{"user_name": "bob", "password_enabled": true, "mfa_devices": 0}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let name = name_of(r, "user_name");
    let password = match r.attr("password_enabled").bool() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if !password {
        return Outcome::Pass(format!("user {name} has no console password"));
    }
    match r.attr("mfa_devices").i64() {
        Ok(Some(n)) if n > 0 => Outcome::Pass(format!(
            "user {name} has a console password and {n} MFA device(s)"
        )),
        Ok(_) => Outcome::Fail(format!(
            "user {name} has a console password but no MFA device"
        )),
        Err(e) => e.into(),
    }
}
