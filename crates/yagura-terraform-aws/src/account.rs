//! Account- and region-level settings. An `aws.account` or `aws.region` exists
//! only when the configuration holds a resource that sets something at that
//! level, and carries only what the code shows: no `observed` list, since a
//! configuration never shows a whole account.

use crate::args::{arg, block, bool_or, int_or, known_str, str_or};
use crate::index::{Index, Target};
use crate::{base, global, partition};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use yagura_model::iac::{unknown, RawResource};
use yagura_model::Resource;

/// `aws_iam_account_password_policy` in the model's shape (defaults as AWS
/// applies them to a policy that leaves a setting out).
fn password_policy(r: &RawResource) -> Value {
    let a = &r.attributes;
    let max_age = match int_or(a, "max_password_age", None) {
        Value::Number(n) if n.as_i64() == Some(0) => Value::Null,
        other => other,
    };
    json!({
        "minimum_length": int_or(a, "minimum_password_length", Some(6)),
        "require_symbols": bool_or(a, "require_symbols", false),
        "require_numbers": bool_or(a, "require_numbers", false),
        "require_uppercase": bool_or(a, "require_uppercase_characters", false),
        "require_lowercase": bool_or(a, "require_lowercase_characters", false),
        "allow_users_to_change": bool_or(a, "allow_users_to_change_password", false),
        "max_age_days": max_age,
        "reuse_prevention": int_or(a, "password_reuse_prevention", None),
        "hard_expiry": bool_or(a, "hard_expiry", false),
    })
}

fn accounts(ix: &Index, out: &mut Vec<Resource>) {
    // One account per provider account (usually unknown, so one in all).
    let mut groups: BTreeMap<Option<String>, Vec<&RawResource>> = BTreeMap::new();
    for (_, r) in ix.of_type(&[
        "aws_iam_account_password_policy",
        "aws_s3_account_public_access_block",
    ]) {
        groups.entry(r.account.clone()).or_default().push(r);
    }
    for (account, members) in groups {
        let Some(first) = members.first() else {
            continue;
        };
        let arn = account
            .as_ref()
            .map(|a| format!("arn:{}:iam::{a}:root", partition(first)));
        let name = account.clone().unwrap_or_else(|| first.address.clone());
        let mut res = global(base(first, "aws.account", Some(&name), arn));
        res.tags = Default::default();
        for m in &members {
            match m.type_name.as_str() {
                "aws_iam_account_password_policy" => res.set("password_policy", password_policy(m)),
                _ => {
                    let attrs = &m.attributes;
                    // `account_id` names another account: its settings are not this one's.
                    if known_str(attrs, "account_id")
                        .is_some_and(|id| account.as_deref().is_some_and(|a| a != id))
                    {
                        continue;
                    }
                    res.set("s3_public_access_block", crate::s3::pab_flags(attrs));
                }
            }
        }
        out.push(res);
    }
}

/// Config recorders with their status resources.
fn recorders(ix: &Index, members: &[&RawResource]) -> Value {
    let mut list = Vec::new();
    for r in members
        .iter()
        .filter(|r| r.type_name == "aws_config_configuration_recorder")
    {
        let a = &r.attributes;
        let name = str_or(a, "name", Some("default"));
        let (all, global_types) = match block(a, "recording_group") {
            Ok(Some(g)) => (
                bool_or(g, "all_supported", true),
                bool_or(g, "include_global_resource_types", false),
            ),
            Ok(None) => (json!(true), json!(false)),
            Err(m) => (m.clone(), m),
        };
        // The recorder records only once a status resource starts it.
        let mut recording = json!(false);
        for (_, s) in ix.of_type(&["aws_config_configuration_recorder_status"]) {
            let hit = match ix.target_of(s, "name") {
                Target::Res(j) => std::ptr::eq(&ix.raw[j], *r),
                Target::Literal(l) => name.as_str() == Some(l.as_str()),
                Target::Unresolved(m) => {
                    recording = m;
                    continue;
                }
                Target::External => false,
            };
            if hit {
                recording = bool_or(&s.attributes, "is_enabled", false);
            }
        }
        list.push(json!({
            "name": name,
            "recording": recording,
            "all_supported": all,
            "include_global_resource_types": global_types,
            "last_status": null,
        }));
    }
    crate::args::hoist(Value::Array(list))
}

const REGION_TYPES: [&str; 5] = [
    "aws_ebs_encryption_by_default",
    "aws_config_configuration_recorder",
    "aws_securityhub_account",
    "aws_accessanalyzer_analyzer",
    "aws_config_configuration_recorder_status",
];

fn regions(ix: &Index, out: &mut Vec<Resource>) {
    let mut groups: BTreeMap<(Option<String>, Option<String>), Vec<&RawResource>> = BTreeMap::new();
    for (_, r) in ix.of_type(&REGION_TYPES) {
        groups
            .entry((r.region.clone(), r.account.clone()))
            .or_default()
            .push(r);
    }
    for ((region, account), members) in groups {
        let Some(first) = members
            .iter()
            .find(|m| m.type_name != "aws_config_configuration_recorder_status")
        else {
            continue;
        };
        let arn = match (&region, &account) {
            (Some(reg), Some(acct)) => Some(format!(
                "arn:{}:ec2:{reg}:{acct}:region-settings",
                partition(first)
            )),
            _ => None,
        };
        let name = region.clone().unwrap_or_else(|| first.address.clone());
        let mut res = base(first, "aws.region", Some(&name), arn);
        res.tags = Default::default();
        let has = |t: &str| members.iter().any(|m| m.type_name == t);
        if has("aws_ebs_encryption_by_default") {
            res.set(
                "ebs_encryption_by_default",
                crate::ec2::ebs_default_for(ix, first),
            );
        }
        if has("aws_config_configuration_recorder") {
            res.set("config_recorders", recorders(ix, &members));
        }
        if has("aws_securityhub_account") {
            res.set("security_hub_enabled", json!(true));
        }
        if has("aws_accessanalyzer_analyzer") {
            let analyzers: Vec<Value> = members
                .iter()
                .filter(|m| m.type_name == "aws_accessanalyzer_analyzer")
                .map(|m| {
                    let name = match arg(&m.attributes, "analyzer_name") {
                        Some(v) => crate::args::to_str("analyzer_name", v),
                        None => unknown(format!("{}.analyzer_name", m.address)),
                    };
                    json!({"name": name, "type": str_or(&m.attributes, "type", Some("ACCOUNT")), "status": "ACTIVE"})
                })
                .collect();
            res.set("access_analyzers", Value::Array(analyzers));
        }
        out.push(res);
    }
}

pub(crate) fn adapt(ix: &Index, out: &mut Vec<Resource>) {
    accounts(ix, out);
    regions(ix, out);
}
