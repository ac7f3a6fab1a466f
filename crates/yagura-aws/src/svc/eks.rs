//! EKS clusters.

use crate::ctx::{Part, Rc};
use crate::util::{opt_str, strs};
use futures::future::join_all;
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let eks = rc.eks();
    let mut part = Part::default();
    let names = match rc
        .call(
            "eks",
            "ListClusters",
            eks.list_clusters()
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
            part.mark("eks", false);
            return part;
        }
    };
    let parts = join_all(names.into_iter().map(|name| {
        let eks = &eks;
        async move {
            let mut part = Part::default();
            let fallback = rc.arn("eks", &format!("cluster/{name}"));
            let cluster = match rc
                .call(
                    "eks",
                    "DescribeCluster",
                    eks.describe_cluster().name(&name).send(),
                )
                .await
            {
                Ok(o) => o.cluster,
                Err(e) => {
                    part.attr_failed(&fallback, "all cluster settings", &e);
                    None
                }
            };
            let arn = cluster
                .as_ref()
                .and_then(|c| c.arn())
                .map(str::to_string)
                .unwrap_or(fallback);
            let mut r = rc.resource("aws.eks.cluster", &arn, &name);
            r.set("cluster_name", json!(name));
            if let Some(c) = cluster {
                if let Some(tags) = c.tags() {
                    r.tags = tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                }
                r.set("version", opt_str(c.version()));
                match c.resources_vpc_config() {
                    Some(v) => {
                        r.set("endpoint_public_access", json!(v.endpoint_public_access()));
                        r.set(
                            "public_access_cidrs",
                            strs(v.public_access_cidrs().iter().map(String::as_str)),
                        );
                    }
                    None => part.attr_invalid(
                        &arn,
                        "endpoint_public_access",
                        "eks:DescribeCluster returned no VPC configuration",
                    ),
                }
                // Envelope encryption of secrets with a customer KMS key; the
                // configuration's resource list is deprecated (it is always secrets).
                let secrets = c
                    .encryption_config()
                    .iter()
                    .any(|e| e.provider().and_then(|p| p.key_arn()).is_some());
                r.set("secrets_encryption", json!(secrets));
                let mut enabled: Vec<&str> = c
                    .logging()
                    .map(|l| l.cluster_logging())
                    .unwrap_or_default()
                    .iter()
                    .filter(|s| s.enabled().unwrap_or(false))
                    .flat_map(|s| s.types().iter().map(|t| t.as_str()))
                    .collect();
                enabled.sort_unstable();
                enabled.dedup();
                r.set("logging_enabled", strs(enabled));
            }
            part.resources.push(r);
            part
        }
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("eks", true);
    part
}
