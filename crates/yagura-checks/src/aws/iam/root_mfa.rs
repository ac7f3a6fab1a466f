use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-002",
    title: "Root user has MFA enabled",
    severity: Severity::Critical,
    kind: "aws.account",
    rationale: "The root user holds unrestricted power over the account. Without a second factor, \
        anyone who learns or resets the root password takes over everything, including billing \
        and the ability to close the account.",
    remediation: "Sign in as the root user, open Security credentials, and assign an MFA device \
        (preferably a hardware security key) under Multi-factor authentication.",
    frameworks: &[
        "cis-aws-3.0:1.5",
        "nist-800-53-r5:IA-2(1)",
        "nist-800-53-r5:IA-2",
        "pci-dss-4.0:8.4.1",
        "pci-dss-4.0:8.4.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"root": {"access_keys_active": false, "mfa_enabled": true, "hardware_mfa": false}}"#,
        ],
        fail: &[
            r#"{"root": {"access_keys_active": false, "mfa_enabled": false, "hardware_mfa": false}}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot give the root user an MFA device, so the \
        end-to-end test covers only FAIL; PASS is covered by snapshot fixtures only.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "root.mfa_enabled",
        true,
        "the root user has an MFA device",
        "the root user has no MFA device",
    )
}
