use super::kind::require_application;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ELB-005",
    title: "Application Load Balancer uses defensive or strictest desync mitigation",
    severity: Severity::Medium,
    kind: "aws.elbv2.load_balancer",
    rationale: "HTTP desync (request smuggling) exploits differences in how the load balancer \
        and the targets parse ambiguous requests, letting an attacker prepend content to other \
        users' requests. In monitor mode the load balancer forwards such requests unchanged; \
        defensive and strictest modes block or normalise them.",
    remediation: "Set the mode to defensive (or strictest if every client is well-behaved): \
        `aws elbv2 modify-load-balancer-attributes --load-balancer-arn ARN --attributes \
        Key=routing.http.desync_mitigation_mode,Value=defensive`.",
    frameworks: &[
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:CM-6",
        "pci-dss-4.0:6.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"type": "application", "desync_mitigation_mode": "defensive"}"#,
            r#"{"type": "application", "desync_mitigation_mode": "strictest"}"#,
            r#"{"type": "application", "desync_mitigation_mode": null}"#,
        ],
        fail: &[r#"{"type": "application", "desync_mitigation_mode": "monitor"}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_application(r, "desync mitigation") {
        return o;
    }
    match r.attr("desync_mitigation_mode").str() {
        Ok(Some(m))
            if m.eq_ignore_ascii_case("defensive") || m.eq_ignore_ascii_case("strictest") =>
        {
            Outcome::Pass(format!("desync mitigation mode is {m}"))
        }
        Ok(Some(m)) => Outcome::Fail(format!(
            "desync mitigation mode is {m}: ambiguous requests are forwarded to targets"
        )),
        // Unset means the AWS default, which is defensive.
        Ok(None) => Outcome::Pass(
            "desync mitigation mode is not set, so the default (defensive) applies".into(),
        ),
        Err(e) => e.into(),
    }
}
