use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ECR-003",
    title: "ECR repository has a lifecycle policy",
    severity: Severity::Low,
    kind: "aws.ecr.repository",
    rationale: "Without a lifecycle policy every image ever pushed is kept, including old, \
        vulnerable and untagged ones that can still be pulled and deployed. Expiring them \
        shrinks what can be deployed by mistake and what scanners must track.",
    remediation: "Add a lifecycle policy that expires untagged images after a few days and \
        keeps a bounded number of tagged releases: `aws ecr put-lifecycle-policy \
        --repository-name NAME --lifecycle-policy-text file://policy.json`.",
    frameworks: &["nist-800-53-r5:SI-12", "nist-800-53-r5:CM-8"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"repository_name": "app", "lifecycle_policy": true}"#],
        fail: &[r#"{"repository_name": "app", "lifecycle_policy": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "lifecycle_policy",
        true,
        "the repository has a lifecycle policy",
        "the repository has no lifecycle policy, so images are never expired",
    )
}
