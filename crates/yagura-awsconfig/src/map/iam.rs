//! IAM types. Config takes them from the account authorization details, so items
//! carry names, attachments and (URL-encoded) policy documents, but no password,
//! MFA or access-key facts: those attributes stay absent.

use super::{arn_or, is_full, name_of, resource, World};
use crate::parse::ConfigItem;
use crate::value::{
    full_list_attr, get, get_any, int_attr, policy_attr, time_attr, to_bool, to_str, Attrs,
};
use serde_json::{json, Value};
use yagura_model::Resource;

/// Whether `arn` is the AWS-managed policy `name` (any partition).
pub(super) fn is_aws_managed(arn: &str, name: &str) -> bool {
    arn.strip_suffix(name)
        .is_some_and(|head| head.starts_with("arn:") && head.ends_with(":iam::aws:policy/"))
}

/// ARNs of the managed policies attached to a user, role or group.
pub(super) fn attached_policy_arns(c: &Value) -> Vec<String> {
    get(c, "attachedManagedPolicies")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|p| get(p, "policyArn").and_then(to_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn iam_arn(item: &ConfigItem, kind: &str, name: &str) -> String {
    let from_cfg = get(&item.configuration, "arn")
        .and_then(to_str)
        .map(str::to_string);
    from_cfg
        .filter(|a| a.starts_with("arn:"))
        .unwrap_or_else(|| {
            arn_or(item, || {
                format!(
                    "arn:{}:iam::{}:{}/{}",
                    super::partition(item),
                    item.account.as_deref().unwrap_or(""),
                    kind,
                    name
                )
            })
        })
}

pub(super) fn user(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["userName"]);
    let name = name_of(item, &["userName"]);
    let mut a = Attrs::new();
    a.put("user_name", json!(name));
    a.set("created", time_attr(get(c, "createDate")));
    // Config always writes a principal's lists (possibly empty).
    let list = |key: &str, field: &str| full_list_attr(get(c, key), Some(field), full);
    a.set(
        "attached_policies",
        list("attachedManagedPolicies", "policyArn"),
    );
    a.set("inline_policies", list("userPolicyList", "policyName"));
    a.set("groups", list("groupList", "groupName"));
    let arn = iam_arn(item, "user", &name);
    resource(item, "aws.iam.user", arn, name, a)
}

pub(super) fn role(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let full = is_full(item, &["roleName"]);
    let name = name_of(item, &["roleName"]);
    let mut a = Attrs::new();
    a.put("role_name", json!(name));
    // Config always writes a principal's lists (possibly empty).
    a.set(
        "attached_policies",
        full_list_attr(get(c, "attachedManagedPolicies"), Some("policyArn"), full),
    );
    a.set(
        "trust_policy",
        policy_attr(get(c, "assumeRolePolicyDocument")),
    );
    // Recent items carry `roleLastUsed`; older ones do not, and then it stays absent.
    a.set(
        "last_used",
        get(c, "roleLastUsed").and_then(|u| match u {
            Value::Null => Some(Value::Null),
            _ => time_attr(get(u, "lastUsedDate")).or(Some(Value::Null)),
        }),
    );
    let arn = iam_arn(item, "role", &name);
    resource(item, "aws.iam.role", arn, name, a)
}

pub(super) fn policy(item: &ConfigItem, _w: &World) -> Resource {
    let c = &item.configuration;
    let name = name_of(item, &["policyName"]);
    let arn = iam_arn(item, "policy", &name);
    let mut a = Attrs::new();
    a.put("policy_name", json!(name));
    a.put(
        "aws_managed",
        Value::Bool(arn.contains(":iam::aws:policy/")),
    );
    a.set("attachment_count", int_attr(get(c, "attachmentCount")));
    let default_version = get(c, "defaultVersionId").and_then(to_str);
    let document = get(c, "policyVersionList")
        .and_then(Value::as_array)
        .and_then(|versions| {
            versions.iter().find(|v| {
                get(v, "isDefaultVersion").and_then(to_bool) == Some(true)
                    || (default_version.is_some()
                        && get(v, "versionId").and_then(to_str) == default_version)
            })
        })
        .and_then(|v| policy_attr(get_any(v, &["document", "policyDocument"])));
    a.set("document", document);
    resource(item, "aws.iam.policy", arn, name, a)
}
