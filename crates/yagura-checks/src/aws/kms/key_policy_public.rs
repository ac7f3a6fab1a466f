use crate::util::{actions, name_of, public_allow_statements};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-KMS-003",
    title: "KMS key policies do not allow access to everyone",
    severity: Severity::High,
    kind: "aws.kms.key",
    rationale: "A key policy statement whose principal is `*` without a narrowing condition lets \
        any AWS account use, or even administer, the key, and with it decrypt the data it \
        protects.",
    remediation: "Replace the `*` principal with the account, roles or services that need the \
        key, or add a condition such as `kms:CallerAccount`, `aws:PrincipalOrgID` or \
        `kms:ViaService` that limits who can use it.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:SC-12",
        "pci-dss-4.0:3.6.1",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"key_id": "k1", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}}"#,
            r#"{"key_id": "k2", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.us-east-1.amazonaws.com"}}}]}}"#,
        ],
        fail: &[
            r#"{"key_id": "k3", "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}}"#,
        ],
    },
    notes: "",
};

/// KMS-specific condition keys that tie a `*` principal to one account or service.
const KMS_NARROWING: [&str; 2] = ["kms:calleraccount", "kms:viaservice"];

fn kms_narrowed(stmt: &serde_json::Value) -> bool {
    let Some(serde_json::Value::Object(ops)) = stmt.get("Condition") else {
        return false;
    };
    ops.values().any(|kv| {
        kv.as_object().is_some_and(|m| {
            m.keys()
                .any(|k| KMS_NARROWING.contains(&k.to_ascii_lowercase().as_str()))
        })
    })
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let id = name_of(r, "key_id");
    let doc = match r.attr("policy").value() {
        Ok(d) => d,
        Err(e) => return e.into(),
    };
    let open: Vec<String> = public_allow_statements(doc)
        .iter()
        .filter(|(_, s)| !kms_narrowed(s))
        .flat_map(|(_, s)| actions(s))
        .collect();
    if open.is_empty() {
        Outcome::Pass(format!("the policy of key {id} grants nothing to everyone"))
    } else {
        Outcome::Fail(format!(
            "the policy of key {id} allows everyone: {}",
            open.join(", ")
        ))
    }
}
