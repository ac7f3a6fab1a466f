//! ECR repositories with lifecycle and repository policies.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::error::Absent;
use crate::util::opt_str;
use aws_sdk_ecr::types::Repository;
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let ecr = rc.ecr();
    let list = list_items!(
        rc,
        "ecr",
        "DescribeRepositories",
        ecr.describe_repositories()
    )
    .await;
    per_item(rc, "ecr", list, |repo| repository(rc, &ecr, repo)).await
}

async fn repository(rc: &Rc<'_>, ecr: &aws_sdk_ecr::Client, repo: Repository) -> Part {
    let mut part = Part::default();
    let (Some(arn), Some(name)) = (repo.repository_arn(), repo.repository_name()) else {
        return part;
    };
    let mut r = rc.resource("aws.ecr.repository", arn, name);
    r.set("repository_name", json!(name));
    r.set(
        "scan_on_push",
        json!(repo
            .image_scanning_configuration()
            .is_some_and(|c| c.scan_on_push())),
    );
    r.set(
        "image_tag_mutability",
        opt_str(repo.image_tag_mutability().map(|m| m.as_str())),
    );
    r.set(
        "encryption_type",
        opt_str(
            repo.encryption_configuration()
                .map(|c| c.encryption_type().as_str()),
        ),
    );
    let (life, policy) = tokio::join!(
        rc.call(
            "ecr",
            "GetLifecyclePolicy",
            ecr.get_lifecycle_policy().repository_name(name).send()
        ),
        rc.call(
            "ecr",
            "GetRepositoryPolicy",
            ecr.get_repository_policy().repository_name(name).send()
        ),
    );
    let life = life
        .map(|_| json!(true))
        .absent_as("LifecyclePolicyNotFoundException", json!(false));
    part.observe(&mut r, "lifecycle_policy", life);
    let policy = policy
        .map(|o| o.policy_text)
        .absent_as("RepositoryPolicyNotFoundException", None);
    part.observe_policy(&mut r, "policy", policy);
    part.resources.push(r);
    part
}
