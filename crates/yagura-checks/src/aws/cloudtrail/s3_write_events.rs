use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-005",
    title: "S3 object-level write events are logged by a multi-region trail",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale: "Management events do not show who uploaded, overwrote or deleted objects. \
        Object-level write logging is needed to investigate tampering and ransomware-style \
        deletion of S3 data.",
    remediation: "Add a data-event selector for `AWS::S3::Object` covering all buckets with \
        read/write type WriteOnly or All to a multi-region trail (`aws cloudtrail \
        put-event-selectors`).",
    frameworks: &[
        "cis-aws-3.0:3.8",
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
        "pci-dss-4.0:10.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"observed": ["cloudtrail"], "$related": [{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": true, "s3_data_events": {"read": false, "write": true}}}]}"#,
        ],
        fail: &[
            r#"{"observed": ["cloudtrail"], "$related": [{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": true, "s3_data_events": {"read": true, "write": false}}}, {"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "local", "is_multi_region": false, "is_logging": true, "s3_data_events": {"read": true, "write": true}}}]}"#,
            r#"{"observed": ["cloudtrail"]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    super::s3_data_events::eval(r, ctx, "write")
}
