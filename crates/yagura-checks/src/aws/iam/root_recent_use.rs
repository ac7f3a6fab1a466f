use crate::util::days_since;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-004",
    title: "Root user has not been used in the last 90 days",
    severity: Severity::High,
    kind: "aws.account",
    rationale: "Everyday work done as the root user escapes IAM least privilege and permission \
        boundaries, and every session exposes the one credential that can do anything. Recent \
        root activity means it is being used for tasks that an IAM role should do.",
    remediation: "Create IAM roles (or IAM Identity Center permission sets) for administrative \
        work, stop signing in as root except for the few tasks that require it, and delete any \
        root access keys.",
    frameworks: &[
        "cis-aws-3.0:1.7",
        "nist-800-53-r5:AC-6(2)",
        "nist-800-53-r5:AC-6",
        "pci-dss-4.0:8.2.2",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"root": {"password_last_used": "2025-11-02T10:00:00Z", "access_key_1_last_used": null, "access_key_2_last_used": null}}"#,
            r#"{"root": {"password_last_used": null, "access_key_1_last_used": null, "access_key_2_last_used": null}}"#,
        ],
        fail: &[
            r#"{"root": {"password_last_used": "2026-05-20T08:00:00Z", "access_key_1_last_used": null, "access_key_2_last_used": null}}"#,
            r#"{"root": {"password_last_used": "2024-01-01T00:00:00Z", "access_key_1_last_used": null, "access_key_2_last_used": "2026-04-01T00:00:00Z"}}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot produce the root account row of the credential \
        report; the check is covered by snapshot fixtures only (the end-to-end test asserts it \
        is NOT_ASSESSED there).",
};

/// Root activity within this many days counts as "recent".
const WINDOW_DAYS: i64 = 90;

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let creds = [
        ("root.password_last_used", "password"),
        ("root.access_key_1_last_used", "access key 1"),
        ("root.access_key_2_last_used", "access key 2"),
    ];
    let mut recent = Vec::new();
    for (path, label) in creds {
        let last = match r.attr(path).str() {
            Ok(v) => v,
            Err(e) => return e.into(),
        };
        let Some(last) = last else { continue };
        match days_since(last, ctx.now) {
            Some(d) if d < WINDOW_DAYS => recent.push(format!("{label} used {d} day(s) ago")),
            Some(_) => {}
            None => {
                return Outcome::NotAssessed(format!(
                    "root {label} last-used time `{last}` is not a valid time"
                ))
            }
        }
    }
    if recent.is_empty() {
        Outcome::Pass(format!(
            "the root user has not been used in the last {WINDOW_DAYS} days"
        ))
    } else {
        Outcome::Fail(format!(
            "the root user was used recently: {}",
            recent.join(", ")
        ))
    }
}
