//! IAM customer-managed policies, roles and users, with their attachments.

use crate::args::{arg, known_str, str_list, str_or, Attrs};
use crate::index::{Index, Join, Target};
use crate::{base, global, global_arn, names_of, policy};
use serde_json::{json, Value};
use yagura_model::iac::{is_unknown, unknown, unknown_reason, RawResource};
use yagura_model::Resource;

/// A resource's own name; generated (unknown) when only a prefix or nothing is written.
fn own_name(r: &RawResource) -> Value {
    match arg(&r.attributes, "name") {
        Some(v) => crate::args::to_str("name", v),
        None => unknown(format!("{}.name", r.address)),
    }
}

/// An entry of a list that checks count (attached policies): an unknown policy
/// ARN still is one attachment, so it is listed by its expression.
fn entry(v: &Value) -> Value {
    if is_unknown(v) {
        json!(unknown_reason(v).unwrap_or("(unknown)"))
    } else {
        v.clone()
    }
}

/// The policy ARNs attached by attachment resources in `join`.
fn attached(join: &Join) -> Result<Vec<Value>, Value> {
    if let Some(m) = join.uncertain() {
        return Err(m);
    }
    Ok(join
        .matched
        .iter()
        .map(|c| entry(arg(&c.attributes, "policy_arn").unwrap_or(&Value::Null)))
        .collect())
}

/// `aws_iam_policy_attachment` lists its users/roles/groups by name.
fn exclusive_attachments(
    ix: &Index,
    list_key: &str,
    i: usize,
    names: &[String],
) -> Result<Vec<Value>, Value> {
    let mut out = Vec::new();
    for (_, c) in ix.of_type(&["aws_iam_policy_attachment"]) {
        let members = match arg(&c.attributes, list_key) {
            None => continue,
            Some(Value::Array(m)) => m.clone(),
            Some(v) if is_unknown(v) => return Err(v.clone()),
            Some(v) => vec![v.clone()],
        };
        for m in &members {
            match ix.target(Some(m), c) {
                Target::Res(j) if j == i => out.push(entry(
                    arg(&c.attributes, "policy_arn").unwrap_or(&Value::Null),
                )),
                Target::Literal(l) if names.contains(&l) => out.push(entry(
                    arg(&c.attributes, "policy_arn").unwrap_or(&Value::Null),
                )),
                Target::Unresolved(u) => return Err(u),
                _ => {}
            }
        }
    }
    Ok(out)
}

fn path_name(a: &Attrs, name: &Value) -> Option<String> {
    let path = known_str(a, "path").unwrap_or("/");
    name.as_str().map(|n| format!("{path}{n}"))
}

fn policies(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_iam_policy"]) {
        let a = &r.attributes;
        let name = own_name(r);
        let arn = path_name(a, &name).and_then(|p| global_arn(r, "iam", &format!("policy{p}")));
        let mut res = global(base(r, "aws.iam.policy", name.as_str(), arn));
        res.set("policy_name", name);
        res.set("aws_managed", json!(false));
        res.set("document", policy::document(ix, r, arg(a, "policy")));
        let names = names_of(r);
        let join = ix.join(
            &[
                "aws_iam_role_policy_attachment",
                "aws_iam_user_policy_attachment",
                "aws_iam_group_policy_attachment",
            ],
            "policy_arn",
            i,
            &names,
        );
        let exclusive = ix.join(&["aws_iam_policy_attachment"], "policy_arn", i, &names);
        let mut count = join.matched.len();
        for c in &exclusive.matched {
            for k in ["users", "roles", "groups"] {
                count += match arg(&c.attributes, k) {
                    Some(Value::Array(m)) => m.len(),
                    _ => 0,
                };
            }
        }
        // Roles can also list the policy in `managed_policy_arns`.
        for (_, role) in ix.of_type(&["aws_iam_role"]) {
            if let Some(Value::Array(arns)) = arg(&role.attributes, "managed_policy_arns") {
                count += arns
                    .iter()
                    .filter(|v| matches!(ix.target(Some(v), role), Target::Res(j) if j == i))
                    .count();
            }
        }
        let uncertain = join.uncertain().or(exclusive.uncertain()).or_else(|| {
            exclusive.matched.iter().find_map(|c| {
                ["users", "roles", "groups"]
                    .iter()
                    .find_map(|k| arg(&c.attributes, k).filter(|v| is_unknown(v)).cloned())
            })
        });
        res.set("attachment_count", uncertain.unwrap_or(json!(count)));
        out.push(res);
    }
}

fn roles(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_iam_role"]) {
        let a = &r.attributes;
        let name = own_name(r);
        let arn = path_name(a, &name).and_then(|p| global_arn(r, "iam", &format!("role{p}")));
        let mut res = global(base(r, "aws.iam.role", name.as_str(), arn));
        res.set("role_name", name);
        res.set(
            "trust_policy",
            policy::document(ix, r, arg(a, "assume_role_policy")),
        );
        let names = names_of(r);
        let join = ix.join(&["aws_iam_role_policy_attachment"], "role", i, &names);
        let list = attached(&join).and_then(|mut l| {
            l.extend(exclusive_attachments(ix, "roles", i, &names)?);
            match str_list(a, "managed_policy_arns") {
                Value::Array(m) => l.extend(m.iter().map(entry)),
                other => return Err(other),
            }
            Ok(l)
        });
        res.set("attached_policies", list.map_or_else(|m| m, Value::Array));
        out.push(res);
    }
}

fn users(ix: &Index, out: &mut Vec<Resource>) {
    for (i, r) in ix.of_type(&["aws_iam_user"]) {
        let a = &r.attributes;
        let name = own_name(r);
        let arn = path_name(a, &name).and_then(|p| global_arn(r, "iam", &format!("user{p}")));
        let mut res = global(base(r, "aws.iam.user", name.as_str(), arn));
        res.set("user_name", name);
        let names = names_of(r);
        let join = ix.join(&["aws_iam_user_policy_attachment"], "user", i, &names);
        let list = attached(&join).and_then(|mut l| {
            l.extend(exclusive_attachments(ix, "users", i, &names)?);
            Ok(l)
        });
        res.set("attached_policies", list.map_or_else(|m| m, Value::Array));
        let inline = ix.join(&["aws_iam_user_policy"], "user", i, &names);
        let inline = match inline.uncertain() {
            Some(m) => m,
            None => Value::Array(
                inline
                    .matched
                    .iter()
                    .map(|c| match arg(&c.attributes, "name") {
                        Some(v) => entry(v),
                        None => json!(c.address),
                    })
                    .collect(),
            ),
        };
        res.set("inline_policies", inline);
        let login = ix.join(&["aws_iam_user_login_profile"], "user", i, &names);
        res.set(
            "password_enabled",
            match (login.matched.is_empty(), login.uncertain()) {
                (false, _) => json!(true),
                (true, Some(m)) => m,
                (true, None) => json!(false),
            },
        );
        let keys = ix.join(&["aws_iam_access_key"], "user", i, &names);
        let keys = match keys.uncertain() {
            Some(m) => m,
            None => Value::Array(
                keys.matched
                    .iter()
                    .map(|k| {
                        json!({
                            "id": crate::ec2::computed(k, "id"),
                            "status": str_or(&k.attributes, "status", Some("Active")),
                            "created": unknown(format!("{}.create_date", k.address)),
                            "last_used": null,
                        })
                    })
                    .collect(),
            ),
        };
        res.set("access_keys", keys);
        let groups = ix.join(&["aws_iam_user_group_membership"], "user", i, &names);
        let groups = match groups.uncertain() {
            Some(m) => m,
            None => {
                let mut g = Vec::new();
                for c in &groups.matched {
                    match str_list(&c.attributes, "groups") {
                        Value::Array(l) => g.extend(l.iter().map(entry)),
                        other => g.push(entry(&other)),
                    }
                }
                Value::Array(g)
            }
        };
        res.set("groups", groups);
        out.push(res);
    }
}

pub(crate) fn adapt(ix: &Index, out: &mut Vec<Resource>) {
    policies(ix, out);
    roles(ix, out);
    users(ix, out);
}
