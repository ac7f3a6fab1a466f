use crate::util::{actions, is_allow, name_of, resources, statements};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-012",
    title: "No attached IAM policy grants full `*:*` administrative privileges",
    severity: Severity::High,
    kind: "aws.iam.policy",
    rationale: "A policy that allows every action on every resource makes whoever holds it a full \
        administrator, able to disable logging, create users and read all data. Such power \
        should be rare, deliberate and visible, not granted by custom policies.",
    remediation: "Replace the statement with the specific actions and resources the principals \
        need (IAM Access Analyzer can generate a policy from CloudTrail activity), or detach the \
        policy from every user, group and role.",
    frameworks: &[
        "cis-aws-3.0:1.16",
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:AC-6(2)",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"policy_name": "s3-read", "aws_managed": false, "attachment_count": 2, "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}}"#,
            r#"{"policy_name": "break-glass", "aws_managed": false, "attachment_count": 0, "document": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}"#,
            r#"{"policy_name": "deny-all", "aws_managed": false, "attachment_count": 1, "document": {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}"#,
        ],
        fail: &[
            r#"{"policy_name": "admin", "aws_managed": false, "attachment_count": 1, "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}"#,
            r#"{"policy_name": "AdministratorAccess", "aws_managed": true, "attachment_count": 3, "document": {"Statement": [{"Sid": "All", "Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}]}}"#,
        ],
    },
    notes: "",
};

fn is_everything(s: &str) -> bool {
    s == "*" || s == "*:*"
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let name = name_of(r, "policy_name");
    let attachments = match r.attr("attachment_count").i64() {
        Ok(Some(n)) => n,
        Ok(None) => {
            return Outcome::NotAssessed(format!(
                "the attachment count of policy {name} is unknown"
            ))
        }
        Err(e) => return e.into(),
    };
    let doc = match r.attr("document").value() {
        Ok(d) => d,
        Err(e) => return e.into(),
    };
    let admin = statements(doc).iter().any(|s| {
        is_allow(s)
            && actions(s).iter().any(|a| is_everything(a))
            && resources(s).iter().any(|x| x == "*")
    });
    match (admin, attachments > 0) {
        (true, true) => Outcome::Fail(format!(
            "policy {name} allows every action on every resource and has {attachments} attachment(s) to users, groups or roles"
        )),
        (true, false) => Outcome::Pass(format!("policy {name} allows \"*\" on \"*\" but is not attached to anything")),
        (false, _) => Outcome::Pass(format!("policy {name} does not allow \"*\" actions on \"*\" resources")),
    }
}
