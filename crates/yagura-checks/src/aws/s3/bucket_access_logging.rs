use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-006",
    title: "S3 bucket has server access logging enabled",
    severity: Severity::Medium,
    kind: "aws.s3.bucket",
    rationale: "Server access logs record every request made to the bucket, including \
        anonymous ones that CloudTrail data events can miss. Without them, investigating a leak \
        or abuse of the bucket has no request-level evidence.",
    remediation: "Enable server access logging to a separate log bucket that only the logging \
        service can write to: `aws s3api put-bucket-logging --bucket NAME --bucket-logging-status \
        '{\"LoggingEnabled\":{\"TargetBucket\":\"LOGBUCKET\",\"TargetPrefix\":\"NAME/\"}}'`.",
    frameworks: &[
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
        "pci-dss-4.0:10.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"logging": {"target_bucket": "central-access-logs", "target_prefix": "data/"}}"#,
        ],
        fail: &[r#"{"logging": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let logging = match r.attr("logging").value() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if logging.is_null() {
        return Outcome::Fail("server access logging is not enabled".into());
    }
    let target = logging
        .get("target_bucket")
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)");
    let prefix = logging
        .get("target_prefix")
        .and_then(Value::as_str)
        .unwrap_or("");
    Outcome::Pass(format!(
        "server access logs are delivered to s3://{target}/{prefix}"
    ))
}
