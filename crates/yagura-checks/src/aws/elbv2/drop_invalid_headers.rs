use super::kind::require_application;
use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ELB-002",
    title: "Application Load Balancer drops invalid HTTP header fields",
    severity: Severity::Medium,
    kind: "aws.elbv2.load_balancer",
    rationale: "Header names that do not conform to the HTTP specification are passed through \
        to targets by default. Back ends may interpret them differently from the load balancer, \
        which enables request smuggling and header injection; dropping them removes that \
        ambiguity.",
    remediation: "Enable the attribute: `aws elbv2 modify-load-balancer-attributes \
        --load-balancer-arn ARN --attributes \
        Key=routing.http.drop_invalid_header_fields.enabled,Value=true`.",
    frameworks: &[
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:CM-6",
        "pci-dss-4.0:6.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"type": "application", "drop_invalid_header_fields": true}"#,
            r#"{"type": "network", "drop_invalid_header_fields": null}"#,
        ],
        fail: &[r#"{"type": "application", "drop_invalid_header_fields": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_application(r, "dropping invalid header fields") {
        return o;
    }
    flag_must_be(
        r,
        "drop_invalid_header_fields",
        true,
        "invalid HTTP header fields are dropped",
        "routing.http.drop_invalid_header_fields is off: invalid headers reach the targets",
    )
}
