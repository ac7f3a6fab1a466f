use super::user_keys::{credentials, user_name};
use crate::util::days_since;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-008",
    title: "IAM credentials unused for 45 days or more are disabled",
    severity: Severity::Medium,
    kind: "aws.iam.user",
    rationale: "A password or access key nobody uses still works for whoever finds it, and its \
        misuse stands out less. Disabling idle credentials shrinks what can be stolen.",
    remediation: "Remove the console password (`aws iam delete-login-profile`) and deactivate \
        access keys (`aws iam update-access-key --status Inactive`) that have not been used in \
        45 days; delete them once nothing breaks.",
    frameworks: &[
        "cis-aws-3.0:1.12",
        "nist-800-53-r5:AC-2(3)",
        "nist-800-53-r5:IA-5",
        "pci-dss-4.0:8.2.6",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"user_name": "alice", "created": "2024-01-01T00:00:00Z", "password_enabled": true, "password_last_used": "2026-05-25T00:00:00Z", "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA1", "status": "Active", "created": "2025-01-01T00:00:00Z", "last_used": "2026-05-31T00:00:00Z"}, {"id": "AKIAAAAAAAAAAAAAAAA2", "status": "Inactive", "created": "2024-01-01T00:00:00Z", "last_used": null}]}"#,
            r#"{"user_name": "newbie", "created": "2026-05-20T00:00:00Z", "password_enabled": true, "password_last_used": null, "access_keys": []}"#,
        ],
        fail: &[
            r#"{"user_name": "bob", "created": "2024-01-01T00:00:00Z", "password_enabled": true, "password_last_used": "2026-01-10T00:00:00Z", "access_keys": []}"#,
            r#"{"user_name": "svc", "created": "2024-01-01T00:00:00Z", "password_enabled": false, "password_last_used": null, "access_keys": [{"id": "AKIAAAAAAAAAAAAAAAA3", "status": "Active", "created": "2025-02-01T00:00:00Z", "last_used": null}]}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot backdate credentials (it stamps them with the \
        current time), so the end-to-end test covers only PASS; FAIL is covered by snapshot \
        fixtures only.",
};

const MAX_IDLE_DAYS: i64 = 45;

/// Days since a credential was last used, or since it was created if never used.
fn idle_days(
    last_used: Option<&str>,
    created: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<i64> {
    days_since(last_used.or(created)?, now)
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let name = user_name(r);
    let (password, keys) = match credentials(r) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let mut idle = Vec::new();
    if password {
        let last = match r.attr("password_last_used").str() {
            Ok(v) => v,
            Err(e) => return e.into(),
        };
        let created = r.attr("created").str().ok().flatten();
        match idle_days(last, created, ctx.now) {
            Some(d) if d >= MAX_IDLE_DAYS => idle.push(match last {
                Some(_) => format!("console password last used {d} days ago"),
                None => {
                    format!("console password never used ({d} days since the user was created)")
                }
            }),
            Some(_) => {}
            None => {
                return Outcome::NotAssessed(format!(
                    "cannot tell how long user {name}'s password has been idle"
                ))
            }
        }
    }
    for k in keys.iter().filter(|k| k.active) {
        match idle_days(k.last_used, k.created, ctx.now) {
            Some(d) if d >= MAX_IDLE_DAYS => idle.push(match k.last_used {
                Some(_) => format!("access key {} last used {d} days ago", k.id),
                None => format!(
                    "access key {} never used ({d} days since it was created)",
                    k.id
                ),
            }),
            Some(_) => {}
            None => {
                return Outcome::NotAssessed(format!(
                    "cannot tell how long access key {} has been idle",
                    k.id
                ))
            }
        }
    }
    if idle.is_empty() {
        Outcome::Pass(format!(
            "user {name} has no enabled credential idle for {MAX_IDLE_DAYS} days or more"
        ))
    } else {
        Outcome::Fail(format!(
            "user {name} has idle credentials: {}",
            idle.join("; ")
        ))
    }
}
