use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-LOGS-002",
    title: "CloudWatch log group is encrypted with a KMS key",
    severity: Severity::Low,
    kind: "aws.logs.log_group",
    rationale: "Log events are encrypted by CloudWatch in any case, but only with a KMS key you \
        control can you restrict who decrypts them, audit every use in CloudTrail, and make the \
        logs unreadable at once by disabling the key. Logs often contain tokens and personal \
        data.",
    remediation: "Associate a customer managed key whose policy allows the regional CloudWatch \
        Logs service principal: `aws logs associate-kms-key --log-group-name NAME --kms-key-id \
        KEY_ARN`.",
    frameworks: &[
        "nist-800-53-r5:AU-9",
        "nist-800-53-r5:SC-28",
        "pci-dss-4.0:10.3.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"log_group_name": "/app", "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1"}"#,
        ],
        fail: &[r#"{"log_group_name": "/app", "kms_key_id": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("kms_key_id").str() {
        Ok(Some(key)) => Outcome::Pass(format!("the log group is encrypted with {key}")),
        Ok(None) => Outcome::Fail("the log group is not associated with a KMS key".into()),
        Err(e) => e.into(),
    }
}
