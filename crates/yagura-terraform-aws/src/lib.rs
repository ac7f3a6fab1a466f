//! Maps Terraform AWS provider resources onto yagura's normalized AWS resources,
//! the same kinds and attributes the live collector produces, so every AWS check
//! runs unchanged on code (see `docs/resource-model-terraform-aws.md`).
//!
//! Companion resources are joined into the resource they configure (a bucket's
//! public-access block, a security group's rules) by reference or by literal name.
//! An argument that is not written takes the provider's default; a value unknown
//! until apply stays unknown, so a check that needs it is NOT_ASSESSED.

mod account;
mod args;
mod ec2;
mod iam;
mod index;
mod policy;
mod s3;
mod services;

use args::{known_str, tags};
use index::Index;
use yagura_model::iac::RawResource;
use yagura_model::Resource;

/// Normalized AWS resources for the Terraform resources in `raw`. Resource types
/// that have no normalized kind (or are only joined into another) produce nothing.
pub fn adapt(raw: &[RawResource]) -> Vec<Resource> {
    let ix = Index::new(raw);
    let mut out = Vec::new();
    s3::adapt(&ix, &mut out);
    ec2::adapt(&ix, &mut out);
    iam::adapt(&ix, &mut out);
    services::adapt(&ix, &mut out);
    account::adapt(&ix, &mut out);
    out
}

/// The argument holding a resource type's own name, for joins by literal name.
fn name_key(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "aws_s3_bucket" => "bucket",
        "aws_lambda_function" => "function_name",
        "aws_db_instance" => "identifier",
        "aws_rds_cluster" => "cluster_identifier",
        "aws_ebs_volume" | "aws_kms_key" | "aws_vpc" | "aws_subnet" => return None,
        "aws_iam_role"
        | "aws_iam_user"
        | "aws_iam_policy"
        | "aws_iam_group"
        | "aws_cloudwatch_log_group"
        | "aws_ecr_repository"
        | "aws_sns_topic"
        | "aws_sqs_queue"
        | "aws_secretsmanager_secret"
        | "aws_lb"
        | "aws_alb"
        | "aws_eks_cluster"
        | "aws_dynamodb_table"
        | "aws_cloudtrail"
        | "aws_security_group"
        | "aws_config_configuration_recorder"
        | "aws_launch_template" => "name",
        _ => return None,
    })
}

/// The literal identifiers a resource is known by: its name (and the bucket ARN,
/// which needs no account), plus `id` and `arn` when a plan already knows them.
pub(crate) fn names_of(r: &RawResource) -> Vec<String> {
    let a = &r.attributes;
    let mut out = Vec::new();
    if let Some(n) = name_key(&r.type_name).and_then(|k| known_str(a, k)) {
        out.push(n.to_string());
        if r.type_name == "aws_s3_bucket" {
            out.push(format!("arn:{}:s3:::{n}", partition(r)));
        }
    }
    for k in ["id", "arn"] {
        if let Some(v) = known_str(a, k) {
            out.push(v.to_string());
        }
    }
    out
}

/// The AWS partition of a resource's region.
pub(crate) fn partition(r: &RawResource) -> &'static str {
    match r.region.as_deref() {
        Some(reg) if reg.starts_with("cn-") => "aws-cn",
        Some(reg) if reg.starts_with("us-gov-") => "aws-us-gov",
        _ => "aws",
    }
}

/// A regional ARN, when region and account are both known.
pub(crate) fn regional_arn(r: &RawResource, service: &str, resource: &str) -> Option<String> {
    match (&r.region, &r.account) {
        (Some(reg), Some(acct)) => Some(format!(
            "arn:{}:{service}:{reg}:{acct}:{resource}",
            partition(r)
        )),
        _ => None,
    }
}

/// A global (IAM) ARN, when the account is known.
pub(crate) fn global_arn(r: &RawResource, service: &str, resource: &str) -> Option<String> {
    r.account
        .as_ref()
        .map(|acct| format!("arn:{}:{service}::{acct}:{resource}", partition(r)))
}

/// A normalized resource for `r`: the id is the ARN when fully known (a plan's
/// known `arn`, or one built from the name, region and account), else
/// `terraform:<address>`; the name is the resource's own name when known, else
/// the address.
pub(crate) fn base(
    r: &RawResource,
    kind: &str,
    name: Option<&str>,
    arn: Option<String>,
) -> Resource {
    let id = known_str(&r.attributes, "arn")
        .map(str::to_string)
        .or(arn)
        .unwrap_or_else(|| format!("terraform:{}", r.address));
    let mut res = Resource::new(kind, id, name.unwrap_or(&r.address));
    res.source = r.source;
    res.location = Some(r.location.clone());
    res.region = r.region.clone();
    res.account = r.account.clone();
    res.tags = tags(&r.attributes);
    res
}

/// Global resources (IAM, the account) carry region `global`, as from every collector.
pub(crate) fn global(mut res: Resource) -> Resource {
    res.region = Some("global".into());
    res
}

#[cfg(test)]
mod tests;
