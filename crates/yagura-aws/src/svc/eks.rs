//! EKS clusters.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::util::{opt_str, strs};
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let eks = rc.eks();
    let names = list_items!(rc, "eks", "ListClusters", eks.list_clusters()).await;
    per_item(rc, "eks", names, |name| cluster(rc, &eks, name)).await
}

async fn cluster(rc: &Rc<'_>, eks: &aws_sdk_eks::Client, name: String) -> Part {
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
