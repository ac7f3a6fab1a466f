use super::user_keys::{keys, user_name};
use crate::util::days_since;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-010",
    title: "Active access keys are rotated within 90 days",
    severity: Severity::Medium,
    kind: "aws.iam.user",
    rationale: "An access key is a long-lived secret that ends up in config files, CI systems and \
        laptops. Rotating it regularly limits how long a copy that leaked stays useful.",
    remediation: "Create a second key, switch every consumer to it, then deactivate and delete \
        the old key. Better, replace the user's keys with an IAM role and short-lived \
        credentials.",
    frameworks: &[
        "cis-aws-3.0:1.14",
        "nist-800-53-r5:IA-5",
        "pci-dss-4.0:8.6.3",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"user_name": "deploy", "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA1", "status": "Active", "created": "2026-04-01T00:00:00Z", "last_used": "2026-05-30T00:00:00Z"}, {"id": "AKIAAAAAAAAAAAAAAAA2", "status": "Inactive", "created": "2024-01-01T00:00:00Z", "last_used": null}]}"#,
            r#"{"user_name": "alice", "access_keys": null}"#,
        ],
        fail: &[
            r#"{"user_name": "deploy", "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA1", "status": "Active", "created": "2025-06-01T00:00:00Z", "last_used": "2026-05-30T00:00:00Z"}]}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot backdate access keys (it stamps them with the \
        current time), so the end-to-end test covers only PASS; FAIL is covered by snapshot \
        fixtures only.",
};

const MAX_AGE_DAYS: i64 = 90;

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let keys = match keys(r) {
        Ok(k) => k,
        Err(o) => return o,
    };
    let name = user_name(r);
    let mut old = Vec::new();
    for k in keys.iter().filter(|k| k.active) {
        let Some(created) = k.created else {
            return Outcome::NotAssessed(format!(
                "the creation time of access key {} was not observed",
                k.id
            ));
        };
        match days_since(created, ctx.now) {
            Some(d) if d > MAX_AGE_DAYS => old.push(format!("{} ({d} days old)", k.id)),
            Some(_) => {}
            None => {
                return Outcome::NotAssessed(format!(
                    "access key {} has an invalid creation time `{created}`",
                    k.id
                ))
            }
        }
    }
    if old.is_empty() {
        Outcome::Pass(format!(
            "user {name} has no active access key older than {MAX_AGE_DAYS} days"
        ))
    } else {
        Outcome::Fail(format!(
            "user {name} has active access keys not rotated in {MAX_AGE_DAYS} days: {}",
            old.join(", ")
        ))
    }
}
