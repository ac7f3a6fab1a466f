use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ACCOUNT-004",
    title: "AWS Security Hub is enabled in the region",
    severity: Severity::Medium,
    kind: "aws.region",
    rationale: "Security Hub gathers findings from GuardDuty, Inspector, Macie, Config and \
        partner tools and checks resources against best-practice standards. Without it, \
        findings stay scattered and regressions go unnoticed.",
    remediation: "Enable Security Hub in every region (`aws securityhub enable-security-hub \
        --region REGION`), ideally through a delegated administrator account for the whole \
        organization.",
    frameworks: &[
        "cis-aws-3.0:4.16",
        "nist-800-53-r5:CA-7",
        "nist-800-53-r5:SI-4",
        "pci-dss-4.0:11.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"security_hub_enabled": true}"#],
        fail: &[r#"{"security_hub_enabled": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let region = r.region.as_deref().unwrap_or("this region");
    flag_must_be(
        r,
        "security_hub_enabled",
        true,
        format!("Security Hub is enabled in {region}"),
        format!("Security Hub is not enabled in {region}"),
    )
}
