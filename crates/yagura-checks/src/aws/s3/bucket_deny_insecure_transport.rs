use super::policy::read_policy;
use crate::util::{actions, principal_is_public, resources, statements};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-S3-002",
    title: "S3 bucket policy denies requests that do not use TLS",
    severity: Severity::Medium,
    kind: "aws.s3.bucket",
    rationale: "S3 accepts plain HTTP unless the bucket policy refuses it. Requests sent without \
        TLS expose object data and request signatures to anyone on the network path; only an \
        explicit Deny on aws:SecureTransport = false makes encryption in transit mandatory.",
    remediation: "Add a bucket policy statement with Effect Deny, Principal \"*\", Action \
        \"s3:*\", Resource the bucket ARN and `ARN/*`, and Condition \
        `{\"Bool\": {\"aws:SecureTransport\": \"false\"}}`.",
    frameworks: &[
        "cis-aws-3.0:2.1.1",
        "nist-800-53-r5:SC-8",
        "nist-800-53-r5:SC-13",
        "pci-dss-4.0:4.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}"#,
            r#"{"policy": "{\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": [\"*\"], \"Resource\": \"arn:aws:s3:::b/*\", \"Condition\": {\"Bool\": {\"aws:securetransport\": false}}}]}"}"#,
        ],
        fail: &[
            r#"{"policy": null}"#,
            r#"{"policy": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}"#,
            r#"{"policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}}"#,
        ],
    },
    notes: "",
};

/// `aws:SecureTransport` compared with `false` under a Bool operator.
fn requires_insecure_transport(stmt: &Value) -> bool {
    let Some(Value::Object(ops)) = stmt.get("Condition") else {
        return false;
    };
    ops.iter()
        .filter(|(op, _)| {
            op.eq_ignore_ascii_case("Bool") || op.eq_ignore_ascii_case("BoolIfExists")
        })
        .filter_map(|(_, kv)| kv.as_object())
        .flat_map(|m| m.iter())
        .filter(|(k, _)| k.eq_ignore_ascii_case("aws:SecureTransport"))
        .any(|(_, v)| {
            crate::util::one_or_many(v).iter().any(|x| match x {
                Value::Bool(b) => !b,
                Value::String(s) => s.eq_ignore_ascii_case("false"),
                _ => false,
            })
        })
}

/// A Deny for everyone, on every S3 action, covering the objects, when TLS is absent.
fn denies_insecure(stmt: &Value) -> bool {
    stmt.get("Effect").and_then(Value::as_str) == Some("Deny")
        && principal_is_public(stmt)
        && actions(stmt)
            .iter()
            .any(|a| a == "*" || a.eq_ignore_ascii_case("s3:*"))
        && resources(stmt)
            .iter()
            .any(|r| r == "*" || r.ends_with("/*"))
        && requires_insecure_transport(stmt)
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let policy = match read_policy(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if policy.is_null() {
        return Outcome::Fail(
            "the bucket has no bucket policy, so requests over plain HTTP are accepted".into(),
        );
    }
    let stmts = statements(policy);
    if let Some(s) = stmts.iter().find(|s| denies_insecure(s)) {
        let sid = s.get("Sid").and_then(Value::as_str).unwrap_or("(no Sid)");
        return Outcome::Pass(format!(
            "bucket policy statement {sid} denies s3:* to everyone when aws:SecureTransport is false"
        ));
    }
    // Say what is there, so a partial statement is easy to spot.
    let partial = stmts.iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Deny") && requires_insecure_transport(s)
    });
    if partial {
        Outcome::Fail(
            "a Deny on aws:SecureTransport = false exists but does not cover all S3 actions (s3:*) \
             on the bucket's objects for every principal"
                .into(),
        )
    } else {
        Outcome::Fail(format!(
            "none of the bucket policy's {} statement(s) denies requests where aws:SecureTransport is false",
            stmts.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::aws::s3::testutil::run;
    use yagura_model::Outcome;

    #[test]
    fn deny_for_one_account_only_is_not_enough() {
        let o = run(
            &CHECK,
            r#"{"policy": {"Statement": [{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}"#,
        );
        assert!(matches!(o, Outcome::Fail(_)), "{o:?}");
    }
}
