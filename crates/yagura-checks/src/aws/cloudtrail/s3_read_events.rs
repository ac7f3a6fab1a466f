use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-006",
    title: "S3 object-level read events are logged by a multi-region trail",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale: "Management events do not show who downloaded objects. Object-level read logging \
        is what reveals data exfiltration from S3 and its scope.",
    remediation: "Add a data-event selector for `AWS::S3::Object` covering all buckets with \
        read/write type ReadOnly or All to a multi-region trail (`aws cloudtrail \
        put-event-selectors`).",
    frameworks: &[
        "cis-aws-3.0:3.9",
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
        "pci-dss-4.0:10.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"observed": ["cloudtrail"], "$related": [{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": true, "s3_data_events": {"read": true, "write": true}}}]}"#,
        ],
        fail: &[
            r#"{"observed": ["cloudtrail"], "$related": [{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": false, "s3_data_events": {"read": true, "write": true}}}]}"#,
            r#"{"observed": ["cloudtrail"], "$related": [{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": true, "s3_data_events": {"read": false, "write": true}}}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    super::s3_data_events::eval(r, ctx, "read")
}
