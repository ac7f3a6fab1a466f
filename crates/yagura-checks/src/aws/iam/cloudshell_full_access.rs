use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-015",
    title: "AWSCloudShellFullAccess is not attached to any IAM entity",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale: "Full CloudShell access lets a user upload and download files to a shell with \
        internet access, a convenient channel to move data out of the account that bypasses \
        other controls.",
    remediation: "Detach `arn:aws:iam::aws:policy/AWSCloudShellFullAccess` from every user, group \
        and role; grant a narrower custom policy that denies file transfer if CloudShell is \
        needed.",
    frameworks: &[
        "cis-aws-3.0:1.22",
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:AC-4",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"cloudshell_full_access_attachments": 0}"#],
        fail: &[r#"{"cloudshell_full_access_attachments": 2}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("cloudshell_full_access_attachments").i64() {
        Ok(Some(n)) if n > 0 => Outcome::Fail(format!(
            "AWSCloudShellFullAccess is attached to {n} IAM user(s), group(s) or role(s)"
        )),
        Ok(Some(_)) => {
            Outcome::Pass("AWSCloudShellFullAccess is not attached to any IAM entity".into())
        }
        Ok(None) => Outcome::NotAssessed(
            "the number of AWSCloudShellFullAccess attachments is unknown".into(),
        ),
        Err(e) => e.into(),
    }
}
