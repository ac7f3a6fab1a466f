use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-003",
    title: "Root user uses a hardware MFA device",
    severity: Severity::High,
    kind: "aws.account",
    rationale: "A virtual MFA app lives on a phone or laptop that is itself exposed to malware, \
        theft and backups. A dedicated hardware key for the root user keeps the most powerful \
        credential off general-purpose devices.",
    remediation: "Sign in as the root user, register a hardware MFA device (FIDO security key or \
        hardware TOTP token) under Security credentials, then remove the virtual device.",
    frameworks: &[
        "cis-aws-3.0:1.6",
        "nist-800-53-r5:IA-2(1)",
        "pci-dss-4.0:8.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"root": {"access_keys_active": false, "mfa_enabled": true, "hardware_mfa": true}}"#,
        ],
        fail: &[
            r#"{"root": {"access_keys_active": false, "mfa_enabled": true, "hardware_mfa": false}}"#,
            r#"{"root": {"access_keys_active": false, "mfa_enabled": false, "hardware_mfa": false}}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot give the root user an MFA device, so the \
        end-to-end test covers only FAIL; PASS is covered by snapshot fixtures only.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let mfa = match r.attr("root.mfa_enabled").bool() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if !mfa {
        return Outcome::Fail("the root user has no MFA device at all".into());
    }
    flag_must_be(
        r,
        "root.hardware_mfa",
        true,
        "the root user's MFA device is a hardware device",
        "the root user's MFA device is virtual, not hardware",
    )
}
