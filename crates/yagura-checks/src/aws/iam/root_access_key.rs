use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-001",
    title: "Root user has no access keys",
    severity: Severity::Critical,
    kind: "aws.account",
    rationale: "The root user can do anything in the account and cannot be limited by IAM policy. \
        An access key for it is a permanent, unrestricted credential that can leak.",
    remediation:
        "Sign in as root, open Security credentials, and delete every access key. Use IAM \
        roles or users with least privilege for programmatic access.",
    frameworks: &[
        "cis-aws-3.0:1.4",
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:IA-2",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"root": {"access_keys_active": false, "mfa_enabled": true, "hardware_mfa": true}}"#,
        ],
        fail: &[
            r#"{"root": {"access_keys_active": true, "mfa_enabled": true, "hardware_mfa": true}}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot create access keys for the root user, so the \
        end-to-end test covers only PASS; FAIL is covered by snapshot fixtures only.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "root.access_keys_active",
        false,
        "the root user has no active access key",
        "the root user has an active access key",
    )
}
