use crate::util::{flag_must_be, name_of};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-KMS-001",
    title: "Rotation is enabled for customer-managed symmetric KMS keys",
    severity: Severity::Medium,
    kind: "aws.kms.key",
    rationale: "Automatic rotation replaces a key's cryptographic material every year while old \
        ciphertext stays readable. It limits how much data depends on one piece of key \
        material, as key-management standards expect.",
    remediation: "Run `aws kms enable-key-rotation --key-id KEY_ID` (optionally with \
        `--rotation-period-in-days`).",
    frameworks: &[
        "cis-aws-3.0:3.6",
        "nist-800-53-r5:SC-12",
        "pci-dss-4.0:3.7.4",
        "pci-dss-4.0:3.6.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"key_id": "1234abcd-0000-0000-0000-000000000001", "key_manager": "CUSTOMER", "key_spec": "SYMMETRIC_DEFAULT", "key_state": "Enabled", "rotation_enabled": true}"#,
            r#"{"key_id": "1234abcd-0000-0000-0000-000000000002", "key_manager": "CUSTOMER", "key_spec": "RSA_2048", "key_state": "Enabled", "rotation_enabled": null}"#,
            r#"{"key_id": "1234abcd-0000-0000-0000-000000000003", "key_manager": "AWS", "key_spec": "SYMMETRIC_DEFAULT", "key_state": "Enabled", "rotation_enabled": true}"#,
        ],
        fail: &[
            r#"{"key_id": "1234abcd-0000-0000-0000-000000000004", "key_manager": "CUSTOMER", "key_spec": "SYMMETRIC_DEFAULT", "key_state": "Enabled", "rotation_enabled": false}"#,
        ],
    },
    notes: "Keys outside the control's scope (AWS-managed, asymmetric or HMAC, or not enabled) \
        pass with a message that starts with `not applicable:`.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let id = name_of(r, "key_id");
    let field = |path: &'static str| r.attr(path).str().map(|v| v.unwrap_or(""));
    let (manager, spec, state) = match (field("key_manager"), field("key_spec"), field("key_state"))
    {
        (Ok(m), Ok(s), Ok(st)) => (m, s, st),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return e.into(),
    };
    if manager != "CUSTOMER" {
        return Outcome::Pass(format!(
            "not applicable: key {id} is managed by {manager}, not the customer"
        ));
    }
    if spec != "SYMMETRIC_DEFAULT" {
        return Outcome::Pass(format!(
            "not applicable: key {id} has spec {spec}, which cannot rotate automatically"
        ));
    }
    if state != "Enabled" {
        return Outcome::Pass(format!("not applicable: key {id} is in state {state}"));
    }
    flag_must_be(
        r,
        "rotation_enabled",
        true,
        format!("key {id} has automatic rotation enabled"),
        format!("customer-managed symmetric key {id} has automatic rotation disabled"),
    )
}
