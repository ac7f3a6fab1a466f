use super::password_policy::require_policy;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-016",
    title: "IAM password policy requires symbols, numbers, upper- and lower-case letters",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale: "Passwords drawn from a small character set are easier to guess and crack. \
        Requiring every character class widens the search space for each character.",
    remediation: "Update the account password policy with `--require-symbols --require-numbers \
        --require-uppercase-characters --require-lowercase-characters` (the call replaces the \
        whole policy, so pass the other settings too).",
    frameworks: &["nist-800-53-r5:IA-5(1)", "pci-dss-4.0:8.3.6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"password_policy": {"minimum_length": 14, "require_symbols": true, "require_numbers": true, "require_uppercase": true, "require_lowercase": true}}"#,
        ],
        fail: &[
            r#"{"password_policy": {"minimum_length": 14, "require_symbols": false, "require_numbers": true, "require_uppercase": true, "require_lowercase": false}}"#,
            r#"{"password_policy": null}"#,
        ],
    },
    notes: "",
};

const CLASSES: [(&str, &str); 4] = [
    ("password_policy.require_symbols", "symbols"),
    ("password_policy.require_numbers", "numbers"),
    ("password_policy.require_uppercase", "upper-case letters"),
    ("password_policy.require_lowercase", "lower-case letters"),
];

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_policy(
        r,
        "the account has no password policy, so no character classes are required",
    ) {
        return o;
    }
    let mut missing = Vec::new();
    for (path, label) in CLASSES {
        match r.attr(path).bool() {
            Ok(true) => {}
            Ok(false) => missing.push(label),
            Err(e) => return e.into(),
        }
    }
    if missing.is_empty() {
        Outcome::Pass(
            "the password policy requires symbols, numbers, upper- and lower-case letters".into(),
        )
    } else {
        Outcome::Fail(format!(
            "the password policy does not require {}",
            missing.join(", ")
        ))
    }
}
