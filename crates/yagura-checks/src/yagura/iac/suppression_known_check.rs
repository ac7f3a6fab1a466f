use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "YAGURA-IAC-002",
    title: "Inline suppression names an existing check",
    severity: Severity::Low,
    kind: "yagura.suppression",
    rationale: "A suppression whose code matches no check (a typo, or a code from another tool) \
        mutes nothing. The author believes a finding is handled while it stays open, or a later \
        check with that pattern gets silenced by accident.",
    remediation: "Use a code from `yagura checks list` (globs such as `K8S-POD-*` are allowed), \
        or delete the suppression.",
    frameworks: &["nist-800-53-r5:CM-6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"code": "AWS-S3-001", "reason": "r", "target": "r"}"#,
            r#"{"code": "aws-s3-*", "reason": "r", "target": "r"}"#,
            r#"{"code": "SECRET-aws-access-key-id", "reason": "test key", "target": "r"}"#,
        ],
        fail: &[r#"{"code": "CKV_AWS_20", "reason": "r", "target": "r"}"#],
    },
    notes: "Secret findings (`SECRET-<detector>`) come from the secret scanner, not the registry; \
        any `SECRET-` code is accepted.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let code = match r.attr("code").str() {
        Ok(Some(c)) => c,
        Ok(None) => return Outcome::Fail("suppression names no check".into()),
        Err(e) => return e.into(),
    };
    if code.len() > 64 {
        return Outcome::Fail("suppression code is not a check code".into());
    }
    if code.to_ascii_uppercase().starts_with("SECRET-") {
        return Outcome::Pass(format!("{code} is a secret-scanner code"));
    }
    // The same glob semantics that apply the suppression (yagura-iac), so a code
    // passes here exactly when it can mute something.
    let Ok(glob) = globset::GlobBuilder::new(code)
        .case_insensitive(true)
        .build()
    else {
        return Outcome::Fail(format!("`{code}` is not a valid code pattern"));
    };
    let matcher = glob.compile_matcher();
    let hits = crate::registry()
        .iter()
        .filter(|c| matcher.is_match(c.code))
        .count();
    if hits == 0 {
        Outcome::Fail(format!(
            "no check matches `{code}`; the suppression mutes nothing"
        ))
    } else {
        Outcome::Pass(format!("`{code}` matches {hits} check(s)"))
    }
}
