use crate::util::name_of;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-011",
    title: "IAM users receive permissions only through groups",
    severity: Severity::Low,
    kind: "aws.iam.user",
    rationale: "Policies attached to individual users are hard to review and tend to linger after \
        a job changes. Granting permissions through groups (or roles) keeps access tied to \
        functions, so it is easier to audit and revoke.",
    remediation: "Create a group for the job function, attach the policies to it, add the user \
        to the group, then detach the user's managed policies and delete its inline policies.",
    frameworks: &[
        "cis-aws-3.0:1.15",
        "nist-800-53-r5:AC-2",
        "nist-800-53-r5:AC-6",
        "pci-dss-4.0:7.2.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"user_name": "alice", "attached_policies": [], "inline_policies": [], "groups": ["developers"]}"#,
        ],
        fail: &[
            r#"{"user_name": "bob", "attached_policies": ["arn:aws:iam::aws:policy/AdministratorAccess"], "inline_policies": [], "groups": []}"#,
            r#"{"user_name": "carol", "attached_policies": null, "inline_policies": ["extra-s3"], "groups": ["developers"]}"#,
        ],
    },
    notes: "",
};

fn names(list: &[serde_json::Value]) -> Vec<&str> {
    list.iter().filter_map(|v| v.as_str()).collect()
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let name = name_of(r, "user_name");
    let attached = match r.attr("attached_policies").array() {
        Ok(a) => names(a),
        Err(e) => return e.into(),
    };
    let inline = match r.attr("inline_policies").array() {
        Ok(a) => names(a),
        Err(e) => return e.into(),
    };
    if attached.is_empty() && inline.is_empty() {
        return Outcome::Pass(format!("user {name} has no policies of its own"));
    }
    let mut parts = Vec::new();
    if !attached.is_empty() {
        parts.push(format!("attached managed policies {}", attached.join(", ")));
    }
    if !inline.is_empty() {
        parts.push(format!("inline policies {}", inline.join(", ")));
    }
    Outcome::Fail(format!("user {name} has {}", parts.join(" and ")))
}
