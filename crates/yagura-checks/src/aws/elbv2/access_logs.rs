use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ELB-003",
    title: "Load balancer has access logging enabled",
    severity: Severity::Medium,
    kind: "aws.elbv2.load_balancer",
    rationale: "Access logs record every request or connection the load balancer handles, with \
        client address, path, status and TLS details. They are the primary record for detecting \
        attacks against the application and for investigating them afterwards.",
    remediation: "Enable access logs to an S3 bucket whose policy lets the regional ELB service \
        write: `aws elbv2 modify-load-balancer-attributes --load-balancer-arn ARN --attributes \
        Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=BUCKET`.",
    frameworks: &[
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
        "pci-dss-4.0:10.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"type": "application", "access_logs_enabled": true}"#,
            r#"{"type": "gateway", "access_logs_enabled": false}"#,
        ],
        fail: &[r#"{"type": "network", "access_logs_enabled": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("type").str() {
        // Gateway Load Balancers pass packets through and have no access logs.
        Ok(Some("gateway")) => {
            return Outcome::Pass(
                "not applicable: Gateway Load Balancers do not produce access logs".into(),
            )
        }
        Ok(_) => {}
        Err(e) => return e.into(),
    }
    flag_must_be(
        r,
        "access_logs_enabled",
        true,
        "access logging is enabled",
        "access logging is disabled",
    )
}
