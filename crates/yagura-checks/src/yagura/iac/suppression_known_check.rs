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

/// A glob over codes, matched case-insensitively; only `*` and `?` are special.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob_match(&pattern[1..], text) || (!text.is_empty() && glob_match(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => glob_match(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p.eq_ignore_ascii_case(t) => glob_match(&pattern[1..], &text[1..]),
        _ => false,
    }
}

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
    let hits = crate::registry()
        .iter()
        .filter(|c| glob_match(code.as_bytes(), c.code.as_bytes()))
        .count();
    if hits == 0 {
        Outcome::Fail(format!(
            "no check matches `{code}`; the suppression mutes nothing"
        ))
    } else {
        Outcome::Pass(format!("`{code}` matches {hits} check(s)"))
    }
}
