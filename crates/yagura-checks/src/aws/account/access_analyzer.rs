use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ACCOUNT-003",
    title: "IAM Access Analyzer is active in the region",
    severity: Severity::Medium,
    kind: "aws.region",
    rationale: "IAM Access Analyzer finds resources (buckets, keys, roles, queues and others) \
        that are shared outside the account or organization. Analyzers are regional, so a \
        region without one hides unintended external access.",
    remediation: "Create an analyzer in every region: `aws accessanalyzer create-analyzer \
        --analyzer-name default --type ACCOUNT --region REGION` (or type ORGANIZATION from the \
        delegated administrator).",
    frameworks: &[
        "cis-aws-3.0:1.20",
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:CA-7",
        "nist-800-53-r5:AC-21",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"access_analyzers": [{"name": "default", "type": "ACCOUNT", "status": "ACTIVE"}]}"#,
        ],
        fail: &[
            r#"{"access_analyzers": []}"#,
            r#"{"access_analyzers": [{"name": "default", "type": "ORGANIZATION", "status": "DISABLED"}]}"#,
        ],
    },
    notes: "The emulator used in CI (moto) cannot serve IAM Access Analyzer (ListAnalyzers \
        answers HTTP 500); the check is covered by snapshot fixtures only (the end-to-end test \
        asserts it is NOT_ASSESSED there).",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let region = r.region.as_deref().unwrap_or("this region");
    let analyzers = match r.attr("access_analyzers").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let status = |a: &Value| {
        a.get("status")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string()
    };
    let name = |a: &Value| {
        a.get("name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)")
            .to_string()
    };
    if let Some(a) = analyzers.iter().find(|a| status(a) == "ACTIVE") {
        return Outcome::Pass(format!("Access Analyzer {} is active in {region}", name(a)));
    }
    if analyzers.is_empty() {
        Outcome::Fail(format!("no IAM Access Analyzer exists in {region}"))
    } else {
        let list: Vec<String> = analyzers
            .iter()
            .map(|a| format!("{} ({})", name(a), status(a)))
            .collect();
        Outcome::Fail(format!(
            "no Access Analyzer is active in {region}: {}",
            list.join(", ")
        ))
    }
}
