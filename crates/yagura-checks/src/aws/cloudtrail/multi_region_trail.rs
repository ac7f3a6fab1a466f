use super::trails::{coverage_gaps, name, search, Search};
use crate::util::require_observed;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-CLOUDTRAIL-001",
    title: "A multi-region CloudTrail trail records all management events",
    severity: Severity::High,
    kind: "aws.account",
    rationale: "CloudTrail is the record of who did what in the account. A trail that covers \
        every region and both read and write management events is needed to investigate \
        incidents, including activity in regions you do not normally use.",
    remediation: "Create (or update) a trail with `--is-multi-region-trail`, event selectors \
        that include management events of type All, and start logging: \
        `aws cloudtrail start-logging --name TRAIL`.",
    frameworks: &[
        "cis-aws-3.0:3.1",
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
        "pci-dss-4.0:10.2.1",
        "pci-dss-4.0:10.2.1.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"observed": ["cloudtrail"], "$related": [{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "regional", "is_multi_region": false, "is_logging": true, "management_events": {"read": true, "write": true}}}, {"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": true, "management_events": {"read": true, "write": true}}}]}"#,
        ],
        fail: &[
            r#"{"observed": ["cloudtrail"]}"#,
            r#"{"observed": ["cloudtrail"], "$related": [{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": false, "management_events": {"read": false, "write": true}}}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    if let Err(o) = require_observed(r, "cloudtrail") {
        return o;
    }
    match search(ctx, r, coverage_gaps) {
        Search::Found(t) => Outcome::Pass(format!(
            "trail {} is multi-region, logging, and records read and write management events",
            name(t)
        )),
        Search::NoneQualify(reasons) if reasons.is_empty() => {
            Outcome::Fail("the account has no CloudTrail trail".into())
        }
        Search::NoneQualify(reasons) => Outcome::Fail(format!(
            "no trail covers all regions' management events: {}",
            reasons.join("; ")
        )),
        Search::Unknown(why) => {
            Outcome::NotAssessed(format!("no qualifying trail found, and {why}"))
        }
    }
}
