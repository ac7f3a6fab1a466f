use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-013",
    title: "A support role with AWSSupportAccess exists",
    severity: Severity::Low,
    kind: "aws.account",
    rationale: "During an incident someone must be able to open and manage AWS Support cases. \
        A dedicated role with the AWSSupportAccess policy gives that ability without handing out \
        broader rights or the root user.",
    remediation: "Create a role (or group) for incident handlers and attach the AWS-managed \
        policy `arn:aws:iam::aws:policy/AWSSupportAccess` to it.",
    frameworks: &[
        "cis-aws-3.0:1.17",
        "nist-800-53-r5:IR-4",
        "nist-800-53-r5:IR-6",
        "pci-dss-4.0:12.10.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"support_policy_attached": true}"#],
        fail: &[r#"{"support_policy_attached": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "support_policy_attached",
        true,
        "AWSSupportAccess is attached to at least one IAM entity",
        "AWSSupportAccess is not attached to any role, user or group",
    )
}
