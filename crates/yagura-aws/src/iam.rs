//! IAM: account-level settings (password policy, root credentials, support role,
//! S3 account Block Public Access) and the users, roles, policies and server
//! certificates of the account.

use crate::ctx::{list_items, list_pages, Part, Rc};
use crate::error::{Absent, ApiError};
use crate::util::{opt_str, opt_time, strs, tag_map, time};
use aws_sdk_iam::types::{
    AssignmentStatusType, Policy, PolicyScopeType, ReportStateType, Role, SummaryKeyType, User,
};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// AWS-managed policies whose attachments the account resource reports.
const SUPPORT_POLICY: &str = "AWSSupportAccess";
const CLOUDSHELL_POLICY: &str = "AWSCloudShellFullAccess";

/// The root fields read from the credential report.
const ROOT_REPORT_FIELDS: &str =
    "root.password_last_used, root.access_key_1_last_used, root.access_key_2_last_used";

pub(crate) fn account_arn(rc: &Rc<'_>) -> String {
    format!("arn:{}:iam::{}:root", rc.scope.partition, rc.scope.account)
}

/// Attributes of the `aws.account` resource that come from IAM and S3 Control.
pub(crate) async fn account_settings(rc: &Rc<'_>) -> Part {
    let iam = rc.iam();
    let id = account_arn(rc);
    let (pp, summary, report, vmfa, support, cloudshell, s3pab) = tokio::join!(
        password_policy(rc, &iam),
        account_summary(rc, &iam),
        credential_report(rc, &iam),
        root_virtual_mfa(rc, &iam),
        policy_attachments(rc, &iam, SUPPORT_POLICY),
        policy_attachments(rc, &iam, CLOUDSHELL_POLICY),
        account_public_access_block(rc),
    );
    let mut part = Part::default();
    let mut root = Map::new();

    part.observe_setting(&id, "password_policy", pp);
    let mut mfa_enabled = None;
    match summary {
        Ok((mfa, keys)) => {
            mfa_enabled = mfa;
            match mfa {
                Some(m) => {
                    root.insert("mfa_enabled".into(), json!(m));
                }
                None => part.attr_invalid(
                    &id,
                    "root.mfa_enabled, root.hardware_mfa",
                    "iam:GetAccountSummary returned no AccountMFAEnabled",
                ),
            }
            match keys {
                Some(k) => {
                    root.insert("access_keys_active".into(), json!(k));
                }
                None => part.attr_invalid(
                    &id,
                    "root.access_keys_active",
                    "iam:GetAccountSummary returned no AccountAccessKeysPresent",
                ),
            }
        }
        Err(e) => part.attr_failed(
            &id,
            "root.mfa_enabled, root.access_keys_active, root.hardware_mfa",
            &e,
        ),
    }
    match report {
        Ok(Some(row)) => {
            root.insert("password_last_used".into(), row.password_last_used);
            root.insert("access_key_1_last_used".into(), row.key1_last_used);
            root.insert("access_key_2_last_used".into(), row.key2_last_used);
        }
        Ok(None) => part.attr_invalid(
            &id,
            ROOT_REPORT_FIELDS,
            "the credential report has no root account row",
        ),
        Err(why) => part.attr_invalid(&id, ROOT_REPORT_FIELDS, &why),
    }
    match (vmfa, mfa_enabled) {
        (Ok(virtual_root), Some(enabled)) => {
            root.insert("hardware_mfa".into(), json!(enabled && !virtual_root));
        }
        (Ok(_), None) => {}
        (Err(e), _) => part.attr_failed(&id, "root.hardware_mfa", &e),
    }
    part.settings.insert("root".into(), Value::Object(root));
    part.observe_setting(
        &id,
        "support_policy_attached",
        support.map(|n| json!(n > 0)),
    );
    part.observe_setting(
        &id,
        "cloudshell_full_access_attachments",
        cloudshell.map(|n| json!(n)),
    );
    part.observe_setting(&id, "s3_public_access_block", s3pab);
    part
}

pub(crate) async fn password_policy(
    rc: &Rc<'_>,
    iam: &aws_sdk_iam::Client,
) -> Result<Value, ApiError> {
    rc.call(
        "iam",
        "GetAccountPasswordPolicy",
        iam.get_account_password_policy().send(),
    )
    .await
    .map(|out| {
        out.password_policy.map_or(Value::Null, |p| {
            json!({
                "minimum_length": p.minimum_password_length,
                "require_symbols": p.require_symbols,
                "require_numbers": p.require_numbers,
                "require_uppercase": p.require_uppercase_characters,
                "require_lowercase": p.require_lowercase_characters,
                "allow_users_to_change": p.allow_users_to_change_password,
                "max_age_days": p.max_password_age.filter(|_| p.expire_passwords),
                "reuse_prevention": p.password_reuse_prevention,
                "hard_expiry": p.hard_expiry.unwrap_or(false),
            })
        })
    })
    // The account has no password policy: observed, unset.
    .absent_as("NoSuchEntity", Value::Null)
}

/// `(AccountMFAEnabled, AccountAccessKeysPresent)` from the account summary.
async fn account_summary(
    rc: &Rc<'_>,
    iam: &aws_sdk_iam::Client,
) -> Result<(Option<bool>, Option<bool>), ApiError> {
    let out = rc
        .call("iam", "GetAccountSummary", iam.get_account_summary().send())
        .await?;
    let map = out.summary_map.unwrap_or_default();
    Ok((
        map.get(&SummaryKeyType::AccountMfaEnabled).map(|v| *v > 0),
        map.get(&SummaryKeyType::AccountAccessKeysPresent)
            .map(|v| *v > 0),
    ))
}

/// The root account's row of the credential report.
#[derive(Debug, PartialEq)]
pub(crate) struct RootRow {
    pub password_last_used: Value,
    pub key1_last_used: Value,
    pub key2_last_used: Value,
}

/// Generates the credential report (waiting while AWS builds it) and reads the
/// root row. `Err` carries a reason; the root's last-used fields then stay absent.
async fn credential_report(
    rc: &Rc<'_>,
    iam: &aws_sdk_iam::Client,
) -> Result<Option<RootRow>, String> {
    let mut delay = Duration::from_millis(500);
    let mut complete = false;
    for _ in 0..8 {
        let out = rc
            .call(
                "iam",
                "GenerateCredentialReport",
                iam.generate_credential_report().send(),
            )
            .await
            .map_err(|e| format!("{}: {}", e.call(), e.describe()))?;
        if out.state == Some(ReportStateType::Complete) {
            complete = true;
            break;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(4));
    }
    if !complete {
        tracing::debug!("credential report still in progress, trying to read it anyway");
    }
    let out = rc
        .call(
            "iam",
            "GetCredentialReport",
            iam.get_credential_report().send(),
        )
        .await
        .map_err(|e| format!("{}: {}", e.call(), e.describe()))?;
    let content = out
        .content
        .ok_or_else(|| "iam:GetCredentialReport returned no content".to_string())?;
    parse_root_row(content.as_ref())
}

/// Parses the credential report CSV and returns the `<root_account>` row.
pub(crate) fn parse_root_row(csv_bytes: &[u8]) -> Result<Option<RootRow>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_bytes);
    let headers = rdr
        .headers()
        .map_err(|e| format!("credential report is not valid CSV: {e}"))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(user), Some(pw), Some(k1), Some(k2)) = (
        col("user"),
        col("password_last_used"),
        col("access_key_1_last_used_date"),
        col("access_key_2_last_used_date"),
    ) else {
        return Err("credential report lacks the expected columns".into());
    };
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("credential report is not valid CSV: {e}"))?;
        if rec.get(user) == Some("<root_account>") {
            let t = |i: usize| report_time(rec.get(i).unwrap_or(""));
            return Ok(Some(RootRow {
                password_last_used: t(pw),
                key1_last_used: t(k1),
                key2_last_used: t(k2),
            }));
        }
    }
    Ok(None)
}

/// A credential-report time: `N/A`, `no_information` and the like mean "never".
fn report_time(s: &str) -> Value {
    match chrono::DateTime::parse_from_rfc3339(s) {
        Ok(t) => Value::String(
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
        Err(_) => Value::Null,
    }
}

/// Whether the root user's MFA device is a virtual one.
async fn root_virtual_mfa(rc: &Rc<'_>, iam: &aws_sdk_iam::Client) -> Result<bool, ApiError> {
    let devices = list_items!(
        rc,
        "iam",
        "ListVirtualMFADevices",
        iam.list_virtual_mfa_devices()
            .assignment_status(AssignmentStatusType::Assigned)
    )
    .await?;
    let root = account_arn(rc);
    Ok(devices.iter().any(|d| {
        d.serial_number.ends_with(":mfa/root-account-mfa-device")
            || d.user.as_ref().is_some_and(|u| u.arn == root)
    }))
}

/// How many users, groups and roles have an AWS-managed policy attached.
async fn policy_attachments(
    rc: &Rc<'_>,
    iam: &aws_sdk_iam::Client,
    name: &str,
) -> Result<usize, ApiError> {
    let arn = format!("arn:{}:iam::aws:policy/{name}", rc.scope.partition);
    list_pages!(
        rc,
        "iam",
        "ListEntitiesForPolicy",
        iam.list_entities_for_policy().policy_arn(arn)
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .map(|p| p.policy_groups().len() + p.policy_users().len() + p.policy_roles().len())
            .sum()
    })
    // A partition without this managed policy has nothing attached to it.
    .absent_as("NoSuchEntity", 0)
}

async fn account_public_access_block(rc: &Rc<'_>) -> Result<Value, ApiError> {
    let s3c = rc.s3control();
    rc.call(
        "s3control",
        "GetPublicAccessBlock",
        s3c.get_public_access_block()
            .account_id(&rc.scope.account)
            .send(),
    )
    .await
    .map(|out| {
        out.public_access_block_configuration
            .map_or(Value::Null, |c| {
                json!({
                    "block_public_acls": c.block_public_acls.unwrap_or(false),
                    "ignore_public_acls": c.ignore_public_acls.unwrap_or(false),
                    "block_public_policy": c.block_public_policy.unwrap_or(false),
                    "restrict_public_buckets": c.restrict_public_buckets.unwrap_or(false),
                })
            })
    })
    .absent_as("NoSuchPublicAccessBlockConfiguration", Value::Null)
}

/// Users, roles, policies and server certificates. `iam` is complete when all
/// four lists were read.
pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let iam = rc.iam();
    let (users, roles, policies, certs) = tokio::join!(
        users(rc, &iam),
        roles(rc, &iam),
        policies(rc, &iam),
        server_certificates(rc, &iam)
    );
    Part::from_listings(rc, "iam", [users, roles, policies, certs])
}

async fn users(rc: &Rc<'_>, iam: &aws_sdk_iam::Client) -> Result<Part, ApiError> {
    let list = list_items!(rc, "iam", "ListUsers", iam.list_users()).await?;
    Ok(Part::join(list.into_iter().map(|u| user(rc, iam, u))).await)
}

async fn user(rc: &Rc<'_>, iam: &aws_sdk_iam::Client, u: User) -> Part {
    let mut part = Part::default();
    let mut r = rc.resource("aws.iam.user", &u.arn, &u.user_name);
    r.tags = tag_map(u.tags().iter().map(|t| (Some(t.key()), Some(t.value()))));
    r.set("user_name", json!(u.user_name));
    r.set("created", time(&u.create_date));
    r.set(
        "password_last_used",
        opt_time(u.password_last_used.as_ref()),
    );
    let name = u.user_name.as_str();

    let (login, mfa, keys, attached, inline, groups) = tokio::join!(
        rc.call(
            "iam",
            "GetLoginProfile",
            iam.get_login_profile().user_name(name).send()
        ),
        list_items!(
            rc,
            "iam",
            "ListMFADevices",
            iam.list_mfa_devices().user_name(name)
        ),
        access_keys(rc, iam, name),
        list_items!(
            rc,
            "iam",
            "ListAttachedUserPolicies",
            iam.list_attached_user_policies().user_name(name)
        ),
        list_items!(
            rc,
            "iam",
            "ListUserPolicies",
            iam.list_user_policies().user_name(name)
        ),
        list_items!(
            rc,
            "iam",
            "ListGroupsForUser",
            iam.list_groups_for_user().user_name(name)
        ),
    );
    let login = login
        .map(|_| json!(true))
        .absent_as("NoSuchEntity", json!(false));
    part.observe(&mut r, "password_enabled", login);
    part.observe(&mut r, "mfa_devices", mfa.map(|d| json!(d.len())));
    part.observe(&mut r, "access_keys", keys);
    let attached = attached.map(|p| strs(p.iter().filter_map(|p| p.policy_arn())));
    part.observe(&mut r, "attached_policies", attached);
    let inline = inline.map(|p| strs(p.iter().map(String::as_str)));
    part.observe(&mut r, "inline_policies", inline);
    let groups = groups.map(|g| strs(g.iter().map(|g| g.group_name.as_str())));
    part.observe(&mut r, "groups", groups);
    part.resources.push(r);
    part
}

/// The user's access keys with their last use. A key whose last use cannot be
/// read makes the whole list unobserved: a partial list could hide a stale key.
async fn access_keys(
    rc: &Rc<'_>,
    iam: &aws_sdk_iam::Client,
    user: &str,
) -> Result<Value, ApiError> {
    let keys = list_items!(
        rc,
        "iam",
        "ListAccessKeys",
        iam.list_access_keys().user_name(user)
    )
    .await?;
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let id = k.access_key_id().unwrap_or_default().to_string();
        let last = rc
            .call(
                "iam",
                "GetAccessKeyLastUsed",
                iam.get_access_key_last_used().access_key_id(&id).send(),
            )
            .await?;
        out.push(json!({
            "id": id,
            "status": opt_str(k.status().map(|s| s.as_str())),
            "created": opt_time(k.create_date()),
            "last_used": opt_time(last.access_key_last_used().and_then(|l| l.last_used_date())),
        }));
    }
    Ok(Value::Array(out))
}

async fn roles(rc: &Rc<'_>, iam: &aws_sdk_iam::Client) -> Result<Part, ApiError> {
    let list = list_items!(rc, "iam", "ListRoles", iam.list_roles()).await?;
    Ok(Part::join(list.into_iter().map(|r| role(rc, iam, r))).await)
}

async fn role(rc: &Rc<'_>, iam: &aws_sdk_iam::Client, role: Role) -> Part {
    let mut part = Part::default();
    let mut r = rc.resource("aws.iam.role", &role.arn, &role.role_name);
    r.tags = tag_map(role.tags().iter().map(|t| (Some(t.key()), Some(t.value()))));
    r.set("role_name", json!(role.role_name));
    match role.assume_role_policy_document.as_deref() {
        Some(doc) => part.set_policy_text(&mut r, "trust_policy", doc),
        None => part.attr_invalid(
            &r.id,
            "trust_policy",
            "iam:ListRoles returned no trust policy",
        ),
    }
    let (attached, detail) = tokio::join!(
        list_items!(
            rc,
            "iam",
            "ListAttachedRolePolicies",
            iam.list_attached_role_policies().role_name(&role.role_name)
        ),
        // ListRoles does not return the last use; GetRole does.
        rc.call(
            "iam",
            "GetRole",
            iam.get_role().role_name(&role.role_name).send()
        ),
    );
    let attached = attached.map(|p| strs(p.iter().filter_map(|p| p.policy_arn())));
    part.observe(&mut r, "attached_policies", attached);
    match detail {
        Ok(out) => match out.role.and_then(|r| r.role_last_used) {
            Some(used) => r.set("last_used", opt_time(used.last_used_date())),
            None => part.attr_invalid(&r.id, "last_used", "iam:GetRole returned no RoleLastUsed"),
        },
        Err(e) => part.attr_failed(&r.id, "last_used", &e),
    }
    part.resources.push(r);
    part
}

async fn policies(rc: &Rc<'_>, iam: &aws_sdk_iam::Client) -> Result<Part, ApiError> {
    let (local, aws) = tokio::join!(
        list_items!(
            rc,
            "iam",
            "ListPolicies",
            iam.list_policies().scope(PolicyScopeType::Local)
        ),
        list_items!(
            rc,
            "iam",
            "ListPolicies",
            iam.list_policies()
                .scope(PolicyScopeType::Aws)
                .only_attached(true)
        ),
    );
    let all = local?
        .into_iter()
        .map(|p| (p, false))
        .chain(aws?.into_iter().map(|p| (p, true)));
    Ok(Part::join(all.map(|(p, aws_managed)| policy(rc, iam, p, aws_managed))).await)
}

async fn policy(rc: &Rc<'_>, iam: &aws_sdk_iam::Client, p: Policy, aws_managed: bool) -> Part {
    let mut part = Part::default();
    let (Some(arn), Some(name)) = (p.arn(), p.policy_name()) else {
        return part;
    };
    let mut r = rc.resource("aws.iam.policy", arn, name);
    r.tags = tag_map(p.tags().iter().map(|t| (Some(t.key()), Some(t.value()))));
    r.set("policy_name", json!(name));
    r.set("aws_managed", json!(aws_managed));
    r.set("attachment_count", json!(p.attachment_count().unwrap_or(0)));
    match p.default_version_id() {
        Some(v) => match rc
            .call(
                "iam",
                "GetPolicyVersion",
                iam.get_policy_version()
                    .policy_arn(arn)
                    .version_id(v)
                    .send(),
            )
            .await
        {
            Ok(out) => match out.policy_version.and_then(|v| v.document) {
                Some(doc) => part.set_policy_text(&mut r, "document", &doc),
                None => part.attr_invalid(
                    &r.id,
                    "document",
                    "iam:GetPolicyVersion returned no document",
                ),
            },
            Err(e) => part.attr_failed(&r.id, "document", &e),
        },
        None => part.attr_invalid(
            &r.id,
            "document",
            "iam:ListPolicies returned no default version",
        ),
    }
    part.resources.push(r);
    part
}

async fn server_certificates(rc: &Rc<'_>, iam: &aws_sdk_iam::Client) -> Result<Part, ApiError> {
    let list = list_items!(
        rc,
        "iam",
        "ListServerCertificates",
        iam.list_server_certificates()
    )
    .await?;
    let mut part = Part::default();
    for c in list {
        let mut r = rc.resource(
            "aws.iam.server_certificate",
            &c.arn,
            &c.server_certificate_name,
        );
        r.set("certificate_name", json!(c.server_certificate_name));
        match c.expiration() {
            Some(t) => r.set("expiration", time(t)),
            None => part.attr_invalid(
                &r.id,
                "expiration",
                "iam:ListServerCertificates returned no expiration",
            ),
        }
        part.resources.push(r);
    }
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_report_root_row() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n\
            alice,arn:aws:iam::1:user/alice,2024-01-01T00:00:00+00:00,true,2024-02-01T00:00:00+00:00,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
            <root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,2024-03-04T05:06:07+02:00,not_supported,not_supported,true,true,N/A,2024-05-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
        let row = parse_root_row(csv.as_bytes()).unwrap().unwrap();
        assert_eq!(
            row,
            RootRow {
                password_last_used: json!("2024-03-04T03:06:07Z"),
                key1_last_used: json!("2024-05-01T00:00:00Z"),
                key2_last_used: Value::Null,
            }
        );
        assert_eq!(
            parse_root_row(b"user,arn\nbob,x\n").unwrap_err(),
            "credential report lacks the expected columns"
        );
        let no_root = "user,password_last_used,access_key_1_last_used_date,access_key_2_last_used_date\nbob,N/A,N/A,N/A\n";
        assert_eq!(parse_root_row(no_root.as_bytes()).unwrap(), None);
    }
}
