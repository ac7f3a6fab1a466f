use super::user_keys::{keys, user_name};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-009",
    title: "IAM users have at most one active access key",
    severity: Severity::Medium,
    kind: "aws.iam.user",
    rationale: "Two active keys on one user double the long-lived secrets that can leak, and the \
        second key is often a forgotten leftover from a rotation that was never finished.",
    remediation: "Find which key is in use (`aws iam get-access-key-last-used`), move every \
        consumer to it, then deactivate and delete the other key.",
    frameworks: &[
        "cis-aws-3.0:1.13",
        "nist-800-53-r5:IA-5",
        "nist-800-53-r5:AC-2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"user_name": "deploy", "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA1", "status": "Active", "created": "2026-03-01T00:00:00Z", "last_used": null}, {"id": "AKIAAAAAAAAAAAAAAAA2", "status": "Inactive", "created": "2025-01-01T00:00:00Z", "last_used": null}]}"#,
            r#"{"user_name": "alice", "access_keys": []}"#,
        ],
        fail: &[
            r#"{"user_name": "deploy", "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA1", "status": "Active", "created": "2026-03-01T00:00:00Z", "last_used": null}, {"id": "AKIAAAAAAAAAAAAAAAA2", "status": "Active", "created": "2025-01-01T00:00:00Z", "last_used": null}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let keys = match keys(r) {
        Ok(k) => k,
        Err(o) => return o,
    };
    let name = user_name(r);
    let active: Vec<&str> = keys.iter().filter(|k| k.active).map(|k| k.id).collect();
    if active.len() > 1 {
        Outcome::Fail(format!(
            "user {name} has {} active access keys: {}",
            active.len(),
            active.join(", ")
        ))
    } else {
        Outcome::Pass(format!(
            "user {name} has {} active access key(s)",
            active.len()
        ))
    }
}
