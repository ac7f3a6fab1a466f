use crate::util::{actions, is_allow, name_of, resources, statements};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-021",
    title: "Customer-managed IAM policy does not grant full `*:*` administrative privileges",
    severity: Severity::High,
    kind: "aws.iam.policy",
    rationale: "A customer-managed policy allowing every action on every resource is a full \
        administrator grant waiting for an attachment; in code it is often attached elsewhere \
        by ARN, out of sight of the review. Unlike AWS-IAM-012 this holds whether or not the \
        policy is attached yet, so it catches the grant before deploy.",
    remediation: "Write the specific actions and resources the principals need (IAM Access \
        Analyzer can generate them from CloudTrail activity); for real administrators attach the \
        AWS-managed AdministratorAccess policy deliberately, where it is visible.",
    frameworks: &[
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:AC-6(2)",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"policy_name": "s3-read", "aws_managed": false, "document": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}}"#,
            r#"{"policy_name": "AdministratorAccess", "aws_managed": true, "document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}"#,
            r#"{"policy_name": "deny-all", "aws_managed": false, "document": {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}"#,
        ],
        fail: &[
            r#"{"policy_name": "admin", "aws_managed": false, "attachment_count": 0, "document": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}"#,
            r#"{"policy_name": "ops", "aws_managed": false, "document": {"Statement": [{"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let name = name_of(r, "policy_name");
    if r.attr("aws_managed").bool().unwrap_or(false) {
        return Outcome::Pass(format!(
            "policy {name} is AWS-managed; its attachments are judged by AWS-IAM-012"
        ));
    }
    let doc = match r.attr("document").value() {
        Ok(d) => d,
        Err(e) => return e.into(),
    };
    let admin = statements(doc).iter().any(|s| {
        is_allow(s)
            && actions(s).iter().any(|a| a == "*" || a == "*:*")
            && resources(s).iter().any(|x| x == "*")
    });
    if admin {
        Outcome::Fail(format!(
            "policy {name} allows every action on every resource"
        ))
    } else {
        Outcome::Pass(format!(
            "policy {name} does not allow \"*\" actions on \"*\" resources"
        ))
    }
}
