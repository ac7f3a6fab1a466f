use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SNS-003",
    title: "SNS topic has no subscriptions delivering over plain HTTP",
    severity: Severity::Medium,
    kind: "aws.sns.topic",
    rationale: "An `http` subscription delivers every message, and the subscription \
        confirmation, unencrypted across the internet, where it can be read or altered. HTTPS \
        endpoints protect the message in transit and authenticate the receiver.",
    remediation: "Subscribe the HTTPS URL of the endpoint (`aws sns subscribe --topic-arn ARN \
        --protocol https --notification-endpoint https://...`) and remove the HTTP \
        subscription with `aws sns unsubscribe --subscription-arn SUB_ARN`.",
    frameworks: &["nist-800-53-r5:SC-8", "pci-dss-4.0:4.2.1"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"topic_name": "t", "subscriptions": [{"protocol": "https", "endpoint": "https://hooks.example.com/x", "subscription_arn": "arn:aws:sns:us-east-1:123456789012:t:1"}, {"protocol": "sqs", "endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "subscription_arn": "arn:aws:sns:us-east-1:123456789012:t:2"}]}"#,
            r#"{"topic_name": "t", "subscriptions": []}"#,
        ],
        fail: &[
            r#"{"topic_name": "t", "subscriptions": [{"protocol": "http", "endpoint": "http://hooks.example.com/x?token=secret", "subscription_arn": "arn:aws:sns:us-east-1:123456789012:t:1"}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let subs = match r.attr("subscriptions").array() {
        Ok(s) => s,
        Err(e) => return e.into(),
    };
    let plain: Vec<&str> = subs
        .iter()
        .filter(|s| {
            s.get("protocol")
                .and_then(Value::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case("http"))
        })
        // Drop query strings: they often carry tokens that must not land in reports.
        .map(|s| {
            let endpoint = s
                .get("endpoint")
                .and_then(Value::as_str)
                .unwrap_or("(unknown endpoint)");
            endpoint.split(['?', '#']).next().unwrap_or(endpoint)
        })
        .collect();
    if plain.is_empty() {
        Outcome::Pass(format!(
            "none of the topic's {} subscription(s) uses plain HTTP",
            subs.len()
        ))
    } else {
        Outcome::Fail(format!(
            "subscriptions deliver over plain HTTP to: {}",
            plain.join(", ")
        ))
    }
}
