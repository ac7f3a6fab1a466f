use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ECR-002",
    title: "ECR repository has immutable image tags",
    severity: Severity::Medium,
    kind: "aws.ecr.repository",
    rationale: "With mutable tags, anyone who can push can silently replace the image behind a \
        tag such as `v1.4.2` or `prod`, and every deployment referencing it pulls the new \
        content. Immutable tags make a tag always mean the same reviewed, scanned image.",
    remediation: "Set tag immutability: `aws ecr put-image-tag-mutability --repository-name NAME \
        --image-tag-mutability IMMUTABLE`, and release new versions under new tags.",
    frameworks: &["nist-800-53-r5:CM-2", "nist-800-53-r5:SI-7"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"repository_name": "app", "image_tag_mutability": "IMMUTABLE"}"#],
        fail: &[r#"{"repository_name": "app", "image_tag_mutability": "MUTABLE"}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("image_tag_mutability").str() {
        // IMMUTABLE_WITH_EXCLUSION keeps tags immutable except for listed patterns.
        Ok(Some(m)) if m.starts_with("IMMUTABLE") => {
            Outcome::Pass(format!("image tag mutability is {m}"))
        }
        Ok(Some(m)) => Outcome::Fail(format!(
            "image tag mutability is {m}: pushed tags can be overwritten"
        )),
        Ok(None) => Outcome::Fail(
            "no tag mutability setting: tags can be overwritten (MUTABLE is the default)".into(),
        ),
        Err(e) => e.into(),
    }
}
