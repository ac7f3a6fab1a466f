use crate::util::name_of;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-KMS-002",
    title: "KMS keys are not scheduled for deletion unintentionally",
    severity: Severity::Low,
    kind: "aws.kms.key",
    rationale: "Once a KMS key is deleted, everything encrypted under it is unrecoverable. A key \
        pending deletion may still protect data, and the waiting period is the only chance to \
        cancel a mistaken or malicious deletion.",
    remediation: "Check whether anything still uses the key (CloudTrail Decrypt/GenerateDataKey \
        events); if so, run `aws kms cancel-key-deletion --key-id KEY_ID` and re-enable it.",
    frameworks: &[
        "nist-800-53-r5:SC-12",
        "nist-800-53-r5:CP-9",
        "pci-dss-4.0:3.6.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"key_id": "1234abcd-0000-0000-0000-000000000001", "key_manager": "CUSTOMER", "key_state": "Enabled"}"#,
            r#"{"key_id": "1234abcd-0000-0000-0000-000000000003", "key_manager": "CUSTOMER", "key_state": "Disabled"}"#,
        ],
        fail: &[
            r#"{"key_id": "1234abcd-0000-0000-0000-000000000002", "key_manager": "CUSTOMER", "key_state": "PendingDeletion"}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let id = name_of(r, "key_id");
    match r.attr("key_state").str() {
        Ok(Some(s)) if s == "PendingDeletion" || s == "PendingReplicaDeletion" => {
            Outcome::Fail(format!("key {id} is scheduled for deletion (state {s})"))
        }
        Ok(Some(s)) => Outcome::Pass(format!(
            "key {id} is not scheduled for deletion (state {s})"
        )),
        Ok(None) => Outcome::NotAssessed(format!("the state of key {id} is unknown")),
        Err(e) => e.into(),
    }
}
