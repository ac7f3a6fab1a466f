use crate::util::{actions, is_allow, name_of, statements};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-018",
    title: "Customer-managed IAM policies do not allow all actions of a service",
    severity: Severity::Medium,
    kind: "aws.iam.policy",
    rationale: "An action such as `s3:*` or `iam:*` grants every present and future API of the \
        service, including destructive and permission-changing ones the principal never needs. \
        Naming actions keeps grants least-privileged.",
    remediation: "Replace `service:*` with the specific actions the principals use (IAM Access \
        Analyzer policy generation and last-accessed data show which), e.g. `s3:GetObject` and \
        `s3:PutObject` instead of `s3:*`.",
    frameworks: &[
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:AC-3",
        "pci-dss-4.0:7.2.1",
        "pci-dss-4.0:7.2.5",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"policy_name": "app", "aws_managed": false, "attachment_count": 1, "document": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}}"#,
            r#"{"policy_name": "AmazonS3FullAccess", "aws_managed": true, "attachment_count": 1, "document": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}"#,
        ],
        fail: &[
            r#"{"policy_name": "app", "aws_managed": false, "attachment_count": 0, "document": {"Statement": [{"Effect": "Allow", "Action": ["s3:*", "kms:Decrypt"], "Resource": "arn:aws:s3:::data/*"}, {"Effect": "Allow", "Action": "IAM:*", "Resource": "*"}]}}"#,
        ],
    },
    notes: "",
};

/// `service:*` (any case); `*` alone is the full-admin case of AWS-IAM-012.
fn service_wildcard(action: &str) -> bool {
    action
        .split_once(':')
        .is_some_and(|(svc, act)| act == "*" && !svc.is_empty() && svc != "*")
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let name = name_of(r, "policy_name");
    match r.attr("aws_managed").bool() {
        Ok(true) => {
            return Outcome::Pass(format!("not applicable: {name} is an AWS-managed policy"))
        }
        Ok(false) => {}
        Err(e) => return e.into(),
    }
    let doc = match r.attr("document").value() {
        Ok(d) => d,
        Err(e) => return e.into(),
    };
    let mut found: Vec<String> = Vec::new();
    for s in statements(doc).iter().filter(|s| is_allow(s)) {
        for a in actions(s) {
            if service_wildcard(&a) && !found.contains(&a) {
                found.push(a);
            }
        }
    }
    if found.is_empty() {
        Outcome::Pass(format!(
            "policy {name} allows no service-wide wildcard actions"
        ))
    } else {
        Outcome::Fail(format!(
            "policy {name} allows service-wide wildcard actions: {}",
            found.join(", ")
        ))
    }
}
