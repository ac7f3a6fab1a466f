use super::trails::name;
use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-009",
    title: "CloudTrail trails are logging",
    severity: Severity::Medium,
    kind: "aws.cloudtrail.trail",
    rationale: "A stopped trail still looks configured but records nothing. Stopping logging is a \
        common first step of an intruder hiding their actions.",
    remediation: "Run `aws cloudtrail start-logging --name TRAIL`, find out who stopped it (the \
        StopLogging event), and alarm on StopLogging (see AWS-CLOUDWATCH-005).",
    frameworks: &[
        "nist-800-53-r5:AU-12",
        "nist-800-53-r5:AU-2",
        "pci-dss-4.0:10.2.1",
        "pci-dss-4.0:10.7.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"trail_name": "main", "is_logging": true}"#],
        fail: &[r#"{"trail_name": "main", "is_logging": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "is_logging",
        true,
        format!("trail {} is logging", name(r)),
        format!("trail {} exists but logging is stopped", name(r)),
    )
}
