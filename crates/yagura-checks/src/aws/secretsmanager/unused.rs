use super::age::judge_age;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SECRETSMANAGER-003",
    title: "Secrets Manager secret has been used within the last 90 days",
    severity: Severity::Low,
    kind: "aws.secretsmanager.secret",
    rationale: "A secret nobody has read for three months usually belongs to a retired system, \
        yet the credential it holds often still works. Unused secrets are attack surface with \
        no owner watching them; removing them, and disabling the credential, shrinks it.",
    remediation: "Confirm the secret is no longer needed, disable the credential it holds at \
        its source, then schedule deletion with a recovery window: `aws secretsmanager \
        delete-secret --secret-id ID --recovery-window-in-days 30`.",
    frameworks: &[
        "nist-800-53-r5:AC-2",
        "nist-800-53-r5:AC-2(3)",
        "pci-dss-4.0:8.2.6",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"secret_name": "db", "last_accessed": "2026-05-30T00:00:00Z", "created": "2024-01-01T00:00:00Z"}"#,
            r#"{"secret_name": "db", "last_accessed": null, "created": "2026-05-01T00:00:00Z"}"#,
        ],
        fail: &[
            r#"{"secret_name": "db", "last_accessed": "2026-01-15T00:00:00Z", "created": "2024-01-01T00:00:00Z"}"#,
            r#"{"secret_name": "db", "last_accessed": null, "created": "2025-06-01T00:00:00Z"}"#,
        ],
    },
    notes: "Secrets Manager records the last access date at day granularity. The emulator used \
        in CI (moto) cannot backdate a secret's creation or last access (it stamps them with the \
        current time), so the end-to-end test covers only PASS; FAIL is covered by snapshot \
        fixtures only.",
};

const MAX_DAYS: i64 = 90;

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    judge_age(
        r,
        ctx,
        "last_accessed",
        "was last read",
        "has never been read since it was created",
        MAX_DAYS,
    )
}
