//! KMS keys with rotation status and key policy.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::error::ApiError;
use aws_sdk_kms::types::{AliasListEntry, KeySpec, OriginType};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let kms = rc.kms();
    let (keys, aliases) = tokio::join!(
        list_items!(rc, "kms", "ListKeys", kms.list_keys()),
        list_items!(rc, "kms", "ListAliases", kms.list_aliases()),
    );
    let keys = keys.map(|keys| {
        let names = key_names(aliases);
        keys.into_iter().filter_map(|k| k.key_id).map(move |id| {
            let name = names.get(&id).cloned().unwrap_or_else(|| id.clone());
            (id, name)
        })
    });
    per_item(rc, "kms", keys, |(id, name)| key(rc, &kms, id, name)).await
}

/// Key id → alias name. Aliases only name keys. AWS-managed aliases (`alias/aws/…`)
/// may point at keys AWS has not created yet; they are ignored unless the key itself
/// was listed.
fn key_names(aliases: Result<Vec<AliasListEntry>, ApiError>) -> HashMap<String, String> {
    let mut names: HashMap<String, String> = HashMap::new();
    match aliases {
        Ok(aliases) => {
            for a in aliases {
                if let (Some(name), Some(target)) = (a.alias_name(), a.target_key_id()) {
                    names
                        .entry(target.to_string())
                        .or_insert_with(|| name.trim_start_matches("alias/").to_string());
                }
            }
        }
        Err(e) => tracing::debug!(error = %e, "key aliases unavailable, naming keys by id"),
    }
    names
}

async fn key(rc: &Rc<'_>, kms: &aws_sdk_kms::Client, id: String, name: String) -> Part {
    let mut part = Part::default();
    let meta = match rc
        .call("kms", "DescribeKey", kms.describe_key().key_id(&id).send())
        .await
    {
        Ok(out) => out.key_metadata,
        Err(e) => {
            let arn = rc.arn("kms", &format!("key/{id}"));
            part.attr_failed(
                &arn,
                "key_manager, key_spec, key_state, rotation_enabled, policy",
                &e,
            );
            let mut r = rc.resource("aws.kms.key", &arn, name);
            r.set("key_id", json!(id));
            part.resources.push(r);
            return part;
        }
    };
    let Some(meta) = meta else { return part };
    let arn = meta
        .arn()
        .map(str::to_string)
        .unwrap_or_else(|| rc.arn("kms", &format!("key/{id}")));
    let mut r = rc.resource("aws.kms.key", &arn, name);
    r.set("key_id", json!(meta.key_id()));
    r.set("key_manager", json!(meta.key_manager().map(|m| m.as_str())));
    r.set("key_spec", json!(meta.key_spec().map(|s| s.as_str())));
    r.set("key_state", json!(meta.key_state().map(|s| s.as_str())));
    // Automatic rotation exists only for symmetric keys with KMS-generated material.
    let rotatable = meta
        .key_spec()
        .is_none_or(|s| *s == KeySpec::SymmetricDefault)
        && meta.origin().is_none_or(|o| *o == OriginType::AwsKms);
    let (rotation, policy) = tokio::join!(
        async {
            if !rotatable {
                return Ok(Value::Null);
            }
            rc.call(
                "kms",
                "GetKeyRotationStatus",
                kms.get_key_rotation_status().key_id(&id).send(),
            )
            .await
            .map(|o| json!(o.key_rotation_enabled()))
        },
        rc.call(
            "kms",
            "GetKeyPolicy",
            kms.get_key_policy()
                .key_id(&id)
                .policy_name("default")
                .send()
        ),
    );
    part.observe(&mut r, "rotation_enabled", rotation);
    part.observe_policy(&mut r, "policy", policy.map(|o| o.policy));
    part.resources.push(r);
    part
}
