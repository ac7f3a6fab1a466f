//! Resource-policy and ACL analysis shared by the checks in this area (S3 bucket
//! policies, and the Lambda, SNS, SQS and ECR resource policies).

use crate::util::{actions, public_allow_statements};
use crate::Ctx;
use serde_json::Value;
use yagura_model::{Missing, Outcome, Resource};

/// The `policy` attribute: a document object or `null` (no policy). A policy
/// that was observed but cannot be read as a JSON object (a malformed string) is
/// NOT_ASSESSED: treating it as empty would report a false PASS.
pub(crate) fn read_policy(r: &Resource) -> Result<&Value, Outcome> {
    let v = r.attr("policy").value().map_err(Outcome::from)?;
    let readable = match v {
        Value::Null | Value::Object(_) => true,
        Value::String(s) => serde_json::from_str::<Value>(s).is_ok_and(|d| d.is_object()),
        _ => false,
    };
    if readable {
        Ok(v)
    } else {
        Err(Outcome::NotAssessed(
            "the `policy` document is not a readable JSON policy".into(),
        ))
    }
}

/// Case-insensitive match of an IAM action pattern (`*` and `?` wildcards).
pub(crate) fn action_matches(pattern: &str, action: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let a: Vec<char> = action.to_ascii_lowercase().chars().collect();
    // Iterative wildcard matching with backtracking to the last `*`.
    let (mut pi, mut ai) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ai < a.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == a[ai]) {
            pi += 1;
            ai += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ai));
            pi += 1;
        } else if let Some((sp, sa)) = star {
            pi = sp + 1;
            ai = sa + 1;
            star = Some((sp, sa + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn not_actions(stmt: &Value) -> Option<Vec<String>> {
    stmt.get("NotAction").map(|v| {
        crate::util::one_or_many(v)
            .into_iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    })
}

/// Whether a statement's action list (or `NotAction` list) lets through `action`.
pub(crate) fn statement_allows_action(stmt: &Value, action: &str) -> bool {
    if let Some(excluded) = not_actions(stmt) {
        return !excluded.iter().any(|p| action_matches(p, action));
    }
    actions(stmt).iter().any(|p| action_matches(p, action))
}

/// A short human label for a statement: its Sid, or its position, plus its actions.
pub(crate) fn describe_statement(index: usize, stmt: &Value) -> String {
    let name = match stmt.get("Sid").and_then(Value::as_str) {
        Some(sid) if !sid.is_empty() => format!("statement \"{sid}\""),
        _ => format!("statement #{}", index + 1),
    };
    let what = match not_actions(stmt) {
        Some(excluded) => format!("every action except {}", excluded.join(", ")),
        None => {
            let a = actions(stmt);
            if a.is_empty() {
                "no listed action".to_string()
            } else {
                a.join(", ")
            }
        }
    };
    format!("{name} ({what})")
}

/// Descriptions of the statements that grant anyone access, for failure messages.
pub(crate) fn public_statements(policy: &Value) -> Vec<String> {
    public_allow_statements(policy)
        .iter()
        .map(|(i, s)| describe_statement(*i, s))
        .collect()
}

/// The groups S3 ACLs use to mean "everyone" and "any AWS account".
pub(crate) const ALL_USERS_URI: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
pub(crate) const AUTHENTICATED_USERS_URI: &str =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/// ACL grants to everyone or to every AWS account carrying one of `permissions`,
/// described as `READ to AllUsers`.
pub(crate) fn public_acl_grants(grants: &[Value], permissions: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for g in grants {
        let who = match g.get("grantee_uri").and_then(Value::as_str) {
            Some(ALL_USERS_URI) => "AllUsers (everyone)",
            Some(AUTHENTICATED_USERS_URI) => "AuthenticatedUsers (any AWS account)",
            _ => continue,
        };
        let perm = g.get("permission").and_then(Value::as_str).unwrap_or("");
        if permissions.contains(&perm) {
            let text = format!("{perm} to {who}");
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

/// Whether a Block Public Access setting (`ignore_public_acls`,
/// `restrict_public_buckets`) is on for the bucket, either on the bucket itself or
/// account-wide. `Err` when the bucket's own setting was not observed and the
/// account does not settle it.
pub(crate) fn public_access_blocked(
    r: &Resource,
    ctx: &Ctx,
    setting: &str,
) -> Result<bool, Missing> {
    let on = |v: &Value| v.get(setting).and_then(Value::as_bool) == Some(true);
    let account = ctx
        .inventory
        .related("aws.account", r)
        .any(|a| a.attributes.get("s3_public_access_block").is_some_and(on));
    if account {
        return Ok(true);
    }
    r.attr("public_access_block").value().map(on)
}

/// The verdict shared by the public read and public write checks: `acl` and
/// `stmts` are the public ACL grants and policy statements found for that access.
pub(crate) fn judge_public_access(
    r: &Resource,
    ctx: &Ctx,
    access: &str,
    acl: &[String],
    stmts: &[String],
) -> Outcome {
    if acl.is_empty() && stmts.is_empty() {
        return Outcome::Pass(format!(
            "no ACL grant or bucket policy statement gives public {access} access"
        ));
    }
    let mut exposed = Vec::new();
    let mut neutralized = Vec::new();
    for (found, setting, what) in [
        (acl, "ignore_public_acls", "ACL grants"),
        (stmts, "restrict_public_buckets", "bucket policy"),
    ] {
        if found.is_empty() {
            continue;
        }
        let text = format!("{what}: {}", found.join("; "));
        match public_access_blocked(r, ctx, setting) {
            Ok(true) => neutralized.push(format!("{text} (ignored: Block Public Access {setting} is on)")),
            Ok(false) => exposed.push(text),
            Err(_) => {
                return Outcome::NotAssessed(format!(
                    "public {access} access is configured ({text}) but the bucket's Block Public Access \
                     settings were not observed, so whether it takes effect is unknown"
                ))
            }
        }
    }
    if exposed.is_empty() {
        Outcome::Pass(format!(
            "public {access} grants exist but Block Public Access overrides them: {}",
            neutralized.join("; ")
        ))
    } else {
        Outcome::Fail(format!(
            "public {access} access allowed by {}",
            exposed.join(" and ")
        ))
    }
}

/// The public read and public write checks: ACL grants carrying one of
/// `permissions` and public policy statements allowing one of `actions`, judged
/// by [`judge_public_access`].
pub(crate) fn public_access(
    r: &Resource,
    ctx: &Ctx,
    access: &str,
    actions: &[&str],
    permissions: &[&str],
) -> Outcome {
    let grants = match r.attr("acl_grants").array() {
        Ok(g) => g,
        Err(e) => return e.into(),
    };
    let policy = match read_policy(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let acl = public_acl_grants(grants, permissions);
    let stmts: Vec<String> = public_allow_statements(policy)
        .iter()
        .filter(|(_, s)| actions.iter().any(|a| statement_allows_action(s, a)))
        .map(|(i, s)| describe_statement(*i, s))
        .collect();
    judge_public_access(r, ctx, access, &acl, &stmts)
}

/// What a resource-policy check says in each case; `policy` names the document
/// in the failure ("the queue policy grants everyone: …").
pub(crate) struct NotPublicTexts {
    pub no_policy: &'static str,
    pub none_public: &'static str,
    pub policy: &'static str,
}

/// The Lambda, SNS, SQS and ECR checks: the resource's `policy` must not grant
/// anything to everyone without a narrowing condition.
pub(crate) fn policy_not_public(r: &Resource, texts: &NotPublicTexts) -> Outcome {
    let policy = match read_policy(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if policy.is_null() {
        return Outcome::Pass(texts.no_policy.into());
    }
    let public = public_statements(policy);
    if public.is_empty() {
        Outcome::Pass(texts.none_public.into())
    } else {
        Outcome::Fail(format!(
            "{} grants everyone: {}",
            texts.policy,
            public.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards() {
        assert!(action_matches("s3:*", "s3:GetObject"));
        assert!(action_matches("S3:get*", "s3:GetObject"));
        assert!(action_matches("*", "sqs:SendMessage"));
        assert!(action_matches("s3:Get?bject", "s3:GetObject"));
        assert!(!action_matches("s3:Put*", "s3:GetObject"));
        assert!(!action_matches("s3:GetObject", "s3:GetObjectAcl"));
        assert!(action_matches("s3:*Object*", "s3:GetObjectVersion"));
    }

    #[test]
    fn not_action_is_inverted() {
        let s = json!({"Effect": "Allow", "Principal": "*", "NotAction": "s3:Delete*"});
        assert!(statement_allows_action(&s, "s3:GetObject"));
        assert!(!statement_allows_action(&s, "s3:DeleteObject"));
    }

    #[test]
    fn public_statements_are_described() {
        let p = json!({"Statement": [
            {"Sid": "Pub", "Effect": "Allow", "Principal": "*", "Action": ["sns:Publish"]},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sns:*"}
        ]});
        assert_eq!(
            public_statements(&p),
            vec!["statement \"Pub\" (sns:Publish)".to_string()]
        );
    }

    #[test]
    fn malformed_policies_are_not_read() {
        let mut r = Resource::new("aws.sqs.queue", "q", "q");
        r.attributes = json!({"policy": "{not json"});
        assert!(matches!(read_policy(&r), Err(Outcome::NotAssessed(_))));
        r.attributes = json!({"policy": "{\"Statement\": []}"});
        assert!(read_policy(&r).is_ok());
        r.attributes = json!({"policy": null});
        assert_eq!(read_policy(&r), Ok(&Value::Null));
    }

    #[test]
    fn acl_grants() {
        let g = vec![
            json!({"grantee_type": "Group", "grantee_uri": ALL_USERS_URI, "permission": "READ"}),
            json!({"grantee_type": "CanonicalUser", "grantee_uri": null, "permission": "FULL_CONTROL"}),
        ];
        assert_eq!(
            public_acl_grants(&g, &["READ"]),
            vec!["READ to AllUsers (everyone)".to_string()]
        );
        assert!(public_acl_grants(&g, &["WRITE"]).is_empty());
    }

    #[test]
    fn resource_policy_verdicts() {
        let texts = NotPublicTexts {
            no_policy: "no policy at all",
            none_public: "nothing public",
            policy: "the thing policy",
        };
        let mut r = Resource::new("aws.sqs.queue", "q", "q");
        r.attributes = json!({"policy": null});
        assert_eq!(
            policy_not_public(&r, &texts),
            Outcome::Pass("no policy at all".into())
        );
        r.attributes = json!({"policy": {"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sqs:*"}
        ]}});
        assert_eq!(
            policy_not_public(&r, &texts),
            Outcome::Pass("nothing public".into())
        );
        r.attributes = json!({"policy": {"Statement": [
            {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage"}
        ]}});
        assert_eq!(
            policy_not_public(&r, &texts),
            Outcome::Fail(
                "the thing policy grants everyone: statement \"Open\" (sqs:SendMessage)".into()
            )
        );
        r.attributes = json!({"policy": "{not json"});
        assert!(matches!(
            policy_not_public(&r, &texts),
            Outcome::NotAssessed(_)
        ));
    }
}
