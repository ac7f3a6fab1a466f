//! ECR repositories with lifecycle and repository policies.

use crate::ctx::{Part, Rc};
use crate::util::{opt_str, parse_policy};
use futures::future::join_all;
use serde_json::{json, Value};

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let ecr = rc.ecr();
    let mut part = Part::default();
    let list = match rc
        .call(
            "ecr",
            "DescribeRepositories",
            ecr.describe_repositories()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        Ok(l) => l,
        Err(e) => {
            part.service_failed(rc, &e);
            part.mark("ecr", false);
            return part;
        }
    };
    let parts = join_all(list.into_iter().map(|repo| {
        let ecr = &ecr;
        async move {
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
            match life {
                Ok(_) => r.set("lifecycle_policy", json!(true)),
                Err(e) if e.is("LifecyclePolicyNotFoundException") => {
                    r.set("lifecycle_policy", json!(false))
                }
                Err(e) => part.attr_failed(arn, "lifecycle_policy", &e),
            }
            match policy {
                Ok(o) => match o.policy_text().map(parse_policy) {
                    Some(Ok(doc)) => r.set("policy", doc),
                    Some(Err(why)) => part.attr_invalid(arn, "policy", &why),
                    None => r.set("policy", Value::Null),
                },
                Err(e) if e.is("RepositoryPolicyNotFoundException") => r.set("policy", Value::Null),
                Err(e) => part.attr_failed(arn, "policy", &e),
            }
            part.resources.push(r);
            part
        }
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("ecr", true);
    part
}
