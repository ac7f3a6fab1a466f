use super::trails::name;
use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-002",
    title: "CloudTrail log file validation is enabled",
    severity: Severity::Medium,
    kind: "aws.cloudtrail.trail",
    rationale:
        "With log file validation, CloudTrail writes signed digest files that prove whether \
        a log file was changed or deleted after delivery. Without it, an intruder who reaches \
        the bucket can rewrite history unnoticed.",
    remediation: "Run `aws cloudtrail update-trail --name TRAIL --enable-log-file-validation`, \
        and verify logs with `aws cloudtrail validate-logs` when investigating.",
    frameworks: &[
        "cis-aws-3.0:3.2",
        "nist-800-53-r5:AU-9",
        "nist-800-53-r5:SI-7",
        "pci-dss-4.0:10.3.2",
        "pci-dss-4.0:10.3.4",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"trail_name": "main", "log_file_validation": true}"#],
        fail: &[r#"{"trail_name": "main", "log_file_validation": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "log_file_validation",
        true,
        format!("trail {} has log file validation enabled", name(r)),
        format!("trail {} has log file validation disabled", name(r)),
    )
}
