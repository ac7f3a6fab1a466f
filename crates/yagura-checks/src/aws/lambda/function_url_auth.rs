use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-LAMBDA-003",
    title: "Lambda function URL requires IAM authentication",
    severity: Severity::High,
    kind: "aws.lambda.function",
    rationale: "A function URL with auth type NONE is an HTTPS endpoint anyone on the internet \
        can call. Unless the function authenticates every request itself, it exposes its logic \
        and data, and every call is billed to you.",
    remediation: "Set the URL's auth type to AWS_IAM (`aws lambda update-function-url-config \
        --function-name NAME --auth-type AWS_IAM`), or delete the URL and front the function \
        with API Gateway and an authorizer.",
    frameworks: &[
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:IA-2",
        "pci-dss-4.0:7.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"function_name": "f", "url_auth_type": "AWS_IAM"}"#,
            r#"{"function_name": "f", "url_auth_type": null}"#,
        ],
        fail: &[r#"{"function_name": "f", "url_auth_type": "NONE"}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("url_auth_type").str() {
        Ok(None) => Outcome::Pass("the function has no function URL".into()),
        Ok(Some("AWS_IAM")) => {
            Outcome::Pass("the function URL requires IAM (SigV4) authentication".into())
        }
        Ok(Some(other)) => Outcome::Fail(format!(
            "the function URL has auth type {other}: anyone on the internet can invoke it"
        )),
        Err(e) => e.into(),
    }
}
