use super::trails::{name, trail_bucket};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-003",
    title: "The CloudTrail S3 bucket has server access logging enabled",
    severity: Severity::Low,
    kind: "aws.cloudtrail.trail",
    rationale: "Server access logs on the bucket that stores CloudTrail logs show who read, \
        changed or deleted the audit trail itself, which is exactly what an intruder covering \
        their tracks would do.",
    remediation:
        "Enable server access logging on the trail's bucket, delivering to a separate \
        bucket: `aws s3api put-bucket-logging --bucket TRAIL_BUCKET --bucket-logging-status \
        '{\"LoggingEnabled\":{\"TargetBucket\":\"LOG_BUCKET\",\"TargetPrefix\":\"cloudtrail/\"}}'`.",
    frameworks: &[
        "cis-aws-3.0:3.4",
        "nist-800-53-r5:AU-9",
        "nist-800-53-r5:AU-2",
        "pci-dss-4.0:10.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"trail_name": "main", "s3_bucket": "fixture-related-0", "$related": [{"kind": "aws.s3.bucket", "attributes": {"logging": {"target_bucket": "access-logs", "target_prefix": "cloudtrail/"}}}]}"#,
        ],
        fail: &[
            r#"{"trail_name": "main", "s3_bucket": "fixture-related-0", "$related": [{"kind": "aws.s3.bucket", "attributes": {"logging": null}}]}"#,
        ],
    },
    notes: "Fixtures name the bucket by the fixture resource's name (`fixture-related-0`); in \
        scans it is the bucket name, matched against the bucket resource's name or ARN. A bucket \
        outside the inventory (e.g. in a log-archive account that was not scanned) is \
        NOT_ASSESSED.",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let (bucket, b) = match trail_bucket(r, ctx.inventory) {
        Ok(found) => found,
        Err(o) => return o,
    };
    match b.attr("logging").value() {
        Ok(Value::Null) => Outcome::Fail(format!(
            "bucket {bucket} of trail {} has no server access logging",
            name(r)
        )),
        Ok(l) => {
            let target = l
                .get("target_bucket")
                .and_then(Value::as_str)
                .unwrap_or("(unknown)");
            Outcome::Pass(format!(
                "bucket {bucket} of trail {} logs access to {target}",
                name(r)
            ))
        }
        Err(e) => Outcome::NotAssessed(format!("bucket {bucket}: {e}")),
    }
}
