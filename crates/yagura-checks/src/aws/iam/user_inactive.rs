use super::user_keys::{credentials, user_name};
use crate::util::days_since;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-019",
    title: "IAM users inactive for 90 days are disabled",
    severity: Severity::Medium,
    kind: "aws.iam.user",
    rationale: "A user who has neither signed in nor used an access key for 90 days most likely \
        belongs to someone who left or a retired workload. While its credentials stay enabled, \
        it is an unwatched way in.",
    remediation: "Confirm with the owner, then remove the user's console password and \
        deactivate its access keys, or delete the user.",
    frameworks: &[
        "nist-800-53-r5:AC-2(3)",
        "nist-800-53-r5:AC-2",
        "pci-dss-4.0:8.2.6",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"user_name": "alice", "created": "2024-01-01T00:00:00Z", "password_enabled": true, "password_last_used": "2025-12-01T00:00:00Z", "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA1", "status": "Active", "created": "2025-01-01T00:00:00Z", "last_used": "2026-05-01T00:00:00Z"}]}"#,
            r#"{"user_name": "retired", "created": "2020-01-01T00:00:00Z", "password_enabled": false, "password_last_used": null, "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA2", "status": "Inactive", "created": "2020-01-01T00:00:00Z", "last_used": null}]}"#,
        ],
        fail: &[
            r#"{"user_name": "bob", "created": "2024-01-01T00:00:00Z", "password_enabled": true, "password_last_used": "2025-12-01T00:00:00Z", "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA3", "status": "Active", "created": "2025-01-01T00:00:00Z", "last_used": "2026-01-15T00:00:00Z"}]}"#,
            r#"{"user_name": "ghost", "created": "2025-06-01T00:00:00Z", "password_enabled": true, "password_last_used": null, "access_keys": []}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot backdate users or credentials (it stamps them \
        with the current time), so the end-to-end test covers only PASS; FAIL is covered by \
        snapshot fixtures only.",
};

const MAX_IDLE_DAYS: i64 = 90;

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let name = user_name(r);
    let (password, keys) = match credentials(r) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let active: Vec<_> = keys.iter().filter(|k| k.active).collect();
    if !password && active.is_empty() {
        return Outcome::Pass(format!(
            "user {name} has no console password and no active access key"
        ));
    }
    let mut uses = Vec::new();
    if password {
        match r.attr("password_last_used").str() {
            Ok(Some(t)) => uses.push(t),
            Ok(None) => {}
            Err(e) => return e.into(),
        }
    }
    uses.extend(active.iter().filter_map(|k| k.last_used));
    let mut most_recent: Option<i64> = None;
    for t in uses {
        let Some(d) = days_since(t, ctx.now) else {
            return Outcome::NotAssessed(format!(
                "user {name} has an invalid last-used time `{t}`"
            ));
        };
        most_recent = Some(most_recent.map_or(d, |m| m.min(d)));
    }
    match most_recent {
        Some(d) if d < MAX_IDLE_DAYS => Outcome::Pass(format!("user {name} was last active {d} day(s) ago")),
        Some(d) => Outcome::Fail(format!(
            "user {name} has enabled credentials but was last active {d} days ago (limit {MAX_IDLE_DAYS})"
        )),
        None => {
            // Never used: judge by the user's age so new users get a grace period.
            let created = match r.attr("created").str() {
                Ok(Some(t)) => t,
                Ok(None) => return Outcome::NotAssessed(format!("the creation time of user {name} was not observed")),
                Err(e) => return e.into(),
            };
            match days_since(created, ctx.now) {
                Some(d) if d < MAX_IDLE_DAYS => {
                    Outcome::Pass(format!("user {name} was created {d} day(s) ago and has not been used yet"))
                }
                Some(d) => Outcome::Fail(format!(
                    "user {name} has enabled credentials that were never used in the {d} days since it was created"
                )),
                None => Outcome::NotAssessed(format!("user {name} has an invalid creation time `{created}`")),
            }
        }
    }
}
