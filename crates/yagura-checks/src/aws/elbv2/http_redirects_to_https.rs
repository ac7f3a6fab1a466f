use super::kind::require_application;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ELB-001",
    title: "Application Load Balancer redirects HTTP to HTTPS",
    severity: Severity::Medium,
    kind: "aws.elbv2.load_balancer",
    rationale: "An HTTP listener that forwards to targets serves the application in cleartext: \
        credentials, session cookies and data can be read or altered on the way. Redirecting \
        every HTTP request to HTTPS keeps old links working while ensuring traffic is encrypted.",
    remediation: "Change each HTTP listener's default action to a redirect: `aws elbv2 \
        modify-listener --listener-arn ARN --default-actions \
        'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'`, and make \
        sure no listener rule forwards plain HTTP.",
    frameworks: &[
        "nist-800-53-r5:SC-8",
        "nist-800-53-r5:SC-23",
        "pci-dss-4.0:4.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"type": "application", "listeners": [{"port": 80, "protocol": "HTTP", "ssl_policy": null, "redirects_to_https": true}, {"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "redirects_to_https": false}]}"#,
            r#"{"type": "application", "listeners": [{"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "redirects_to_https": false}]}"#,
            r#"{"type": "network", "listeners": [{"port": 80, "protocol": "TCP", "ssl_policy": null, "redirects_to_https": false}]}"#,
        ],
        fail: &[
            r#"{"type": "application", "listeners": [{"port": 80, "protocol": "HTTP", "ssl_policy": null, "redirects_to_https": false}, {"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "redirects_to_https": false}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_application(r, "HTTP-to-HTTPS redirection") {
        return o;
    }
    let listeners = match r.attr("listeners").array() {
        Ok(l) => l,
        Err(e) => return e.into(),
    };
    let http: Vec<&Value> = listeners
        .iter()
        .filter(|l| l.get("protocol").and_then(Value::as_str) == Some("HTTP"))
        .collect();
    if http.is_empty() {
        return Outcome::Pass("the load balancer has no plain-HTTP listener".into());
    }
    let port = |l: &Value| {
        l.get("port")
            .and_then(Value::as_i64)
            .map_or("?".to_string(), |p| p.to_string())
    };
    let plain: Vec<String> = http
        .iter()
        .filter(|l| l.get("redirects_to_https").and_then(Value::as_bool) != Some(true))
        .map(|l| port(l))
        .collect();
    if plain.is_empty() {
        let ports: Vec<String> = http.iter().map(|l| port(l)).collect();
        Outcome::Pass(format!(
            "HTTP listener(s) on port(s) {} redirect to HTTPS",
            ports.join(", ")
        ))
    } else {
        Outcome::Fail(format!(
            "HTTP listener(s) on port(s) {} do not redirect to HTTPS",
            plain.join(", ")
        ))
    }
}
