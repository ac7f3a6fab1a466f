use super::age::judge_age;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SECRETSMANAGER-002",
    title: "Secrets Manager secret has been rotated within the last 90 days",
    severity: Severity::Medium,
    kind: "aws.secretsmanager.secret",
    rationale: "Rotation that is configured but failing, or a secret never rotated at all, \
        leaves the same credential in use for months. Checking the actual last rotation catches \
        broken rotation functions as well as secrets without rotation.",
    remediation: "Rotate the secret now (`aws secretsmanager rotate-secret --secret-id ID`), \
        fix the rotation function if rotation is failing (see its CloudWatch logs), and keep \
        the schedule at 90 days or less.",
    frameworks: &[
        "nist-800-53-r5:IA-5",
        "pci-dss-4.0:8.6.3",
        "pci-dss-4.0:8.3.9",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"secret_name": "db", "last_rotated": "2026-05-01T00:00:00Z", "created": "2024-01-01T00:00:00Z"}"#,
            r#"{"secret_name": "db", "last_rotated": null, "created": "2026-04-01T00:00:00Z"}"#,
        ],
        fail: &[
            r#"{"secret_name": "db", "last_rotated": "2025-12-01T00:00:00Z", "created": "2024-01-01T00:00:00Z"}"#,
            r#"{"secret_name": "db", "last_rotated": null, "created": "2025-01-01T00:00:00Z"}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot backdate a secret's creation or rotation (it \
        stamps them with the current time), so the end-to-end test covers only PASS; FAIL is \
        covered by snapshot fixtures only.",
};

const MAX_DAYS: i64 = 90;

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    judge_age(
        r,
        ctx,
        "last_rotated",
        "was last rotated",
        "was never rotated; its value dates from creation",
        MAX_DAYS,
    )
}
