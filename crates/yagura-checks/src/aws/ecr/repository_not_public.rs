use crate::aws::s3::policy::{policy_not_public, NotPublicTexts};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ECR-004",
    title: "ECR repository policy does not grant access to everyone",
    severity: Severity::High,
    kind: "aws.ecr.repository",
    rationale: "A repository policy with Principal \"*\" and no condition lets any AWS account \
        pull the images, exposing application code, embedded configuration and sometimes \
        secrets, or, with push actions, replace them with malicious ones.",
    remediation: "Rewrite the repository policy to name the accounts or organization that need \
        access (`aws:PrincipalOrgID` condition), or remove it: `aws ecr delete-repository-policy \
        --repository-name NAME`. Use ECR Public for images meant to be public.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-21",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"repository_name": "app", "policy": null}"#,
            r#"{"repository_name": "app", "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}]}}"#,
        ],
        fail: &[
            r#"{"repository_name": "app", "policy": {"Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    policy_not_public(
        r,
        &NotPublicTexts {
            no_policy: "the repository has no repository policy",
            none_public: "no repository policy statement grants access to everyone",
            policy: "the repository policy",
        },
    )
}
