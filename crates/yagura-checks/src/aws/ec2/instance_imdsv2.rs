use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-005",
    title: "EC2 instance requires IMDSv2",
    severity: Severity::High,
    kind: "aws.ec2.instance",
    rationale: "IMDSv1 answers any plain GET from the instance, so a server-side request \
        forgery or an open proxy in an application can read the instance role's credentials. \
        IMDSv2 requires a session token obtained with a PUT, which such bugs cannot forge.",
    remediation: "Require tokens on the instance: `aws ec2 modify-instance-metadata-options \
        --instance-id ID --http-tokens required --http-endpoint enabled` (after checking that \
        the SDKs on the instance support IMDSv2), and set it as the default in launch templates \
        and the account's EC2 defaults.",
    frameworks: &[
        "cis-aws-3.0:5.6",
        "nist-800-53-r5:AC-3",
        "nist-800-53-r5:CM-6",
        "pci-dss-4.0:2.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"metadata_options": {"http_tokens": "required", "http_endpoint": "enabled", "http_put_response_hop_limit": 1}}"#,
            r#"{"metadata_options": {"http_tokens": "optional", "http_endpoint": "disabled", "http_put_response_hop_limit": 1}}"#,
        ],
        fail: &[
            r#"{"metadata_options": {"http_tokens": "optional", "http_endpoint": "enabled", "http_put_response_hop_limit": 1}}"#,
            r#"{"metadata_options": {"http_tokens": null, "http_endpoint": null, "http_put_response_hop_limit": 1}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let tokens = r.attr("metadata_options.http_tokens").str();
    if let Ok(Some("required")) = tokens {
        return Outcome::Pass("IMDSv2 is required (http_tokens = required)".into());
    }
    let endpoint = match r.attr("metadata_options.http_endpoint").str() {
        Ok(e) => e,
        Err(e) => return e.into(),
    };
    if endpoint == Some("disabled") {
        return Outcome::Pass("the instance metadata endpoint is disabled".into());
    }
    match tokens {
        Ok(t) => Outcome::Fail(format!(
            "IMDSv1 is allowed: http_tokens is {} and the metadata endpoint is {}",
            t.unwrap_or("unset"),
            endpoint.unwrap_or("enabled (default)")
        )),
        Err(e) => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::aws::s3::testutil::run;
    use yagura_model::Outcome;

    #[test]
    fn optional_tokens_with_unknown_endpoint_is_not_assessed() {
        let o = run(
            &CHECK,
            r#"{"metadata_options": {"http_tokens": "optional"}}"#,
        );
        assert!(matches!(o, Outcome::NotAssessed(_)), "{o:?}");
        let o = run(
            &CHECK,
            r#"{"metadata_options": {"http_tokens": "required"}}"#,
        );
        assert!(matches!(o, Outcome::Pass(_)), "{o:?}");
    }
}
