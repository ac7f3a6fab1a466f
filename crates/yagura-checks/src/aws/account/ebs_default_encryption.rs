use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ACCOUNT-001",
    title: "EBS encryption by default is enabled in the region",
    severity: Severity::Medium,
    kind: "aws.region",
    rationale: "With encryption by default on, every new EBS volume and snapshot copy in the \
        region is encrypted, so no one can forget it. Unencrypted volumes expose data in \
        snapshots and on the underlying storage.",
    remediation: "Run `aws ec2 enable-ebs-encryption-by-default --region REGION` in every region \
        you use (optionally set a customer-managed default key with \
        `modify-ebs-default-kms-key-id`).",
    frameworks: &[
        "cis-aws-3.0:2.2.1",
        "nist-800-53-r5:SC-28",
        "nist-800-53-r5:SC-13",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"ebs_encryption_by_default": true}"#],
        fail: &[r#"{"ebs_encryption_by_default": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let region = r.region.as_deref().unwrap_or("this region");
    flag_must_be(
        r,
        "ebs_encryption_by_default",
        true,
        format!("EBS encryption by default is on in {region}"),
        format!("EBS encryption by default is off in {region}"),
    )
}
