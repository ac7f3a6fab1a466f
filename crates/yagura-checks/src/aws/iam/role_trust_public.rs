use crate::util::{actions, name_of, public_allow_statements};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-020",
    title: "IAM role trust policies do not let any AWS principal assume the role",
    severity: Severity::Critical,
    kind: "aws.iam.role",
    rationale: "A trust policy whose principal is `*` without a narrowing condition lets anyone \
        with an AWS account assume the role and receive its permissions.",
    remediation: "Name the exact accounts, roles or services allowed to assume the role in the \
        trust policy's Principal, or add a condition such as `aws:PrincipalOrgID` that limits \
        it to your organization.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:AC-21",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"role_name": "deploy", "trust_policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}}"#,
            r#"{"role_name": "org-audit", "trust_policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]}}"#,
        ],
        fail: &[
            r#"{"role_name": "open", "trust_policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let name = name_of(r, "role_name");
    let doc = match r.attr("trust_policy").value() {
        Ok(d) => d,
        Err(e) => return e.into(),
    };
    let open: Vec<String> = public_allow_statements(doc)
        .iter()
        .flat_map(|(_, s)| actions(s))
        .collect();
    if open.is_empty() {
        Outcome::Pass(format!(
            "role {name} can only be assumed by named principals"
        ))
    } else {
        Outcome::Fail(format!(
            "role {name} lets any AWS principal call {}",
            open.join(", ")
        ))
    }
}
