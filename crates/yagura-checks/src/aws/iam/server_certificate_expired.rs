use crate::util::{days_since, name_of};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-IAM-014",
    title: "No expired SSL/TLS certificates are stored in IAM",
    severity: Severity::Medium,
    kind: "aws.iam.server_certificate",
    rationale: "An expired certificate left in IAM can be attached to a load balancer or \
        CloudFront by mistake, breaking TLS for clients or training them to accept warnings.",
    remediation: "Delete the expired certificate: `aws iam delete-server-certificate \
        --server-certificate-name NAME`, after moving anything that still uses it to a valid \
        certificate (preferably one managed by ACM).",
    frameworks: &[
        "cis-aws-3.0:1.19",
        "nist-800-53-r5:SC-12",
        "nist-800-53-r5:CM-6",
        "pci-dss-4.0:4.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"certificate_name": "www-2026", "expiration": "2027-01-15T00:00:00Z"}"#],
        fail: &[r#"{"certificate_name": "www-2025", "expiration": "2025-12-31T00:00:00Z"}"#],
    },
    notes: "The emulator used in CI (moto) cannot produce an unexpired server certificate (it \
        reports every one as expired in 2012), so the end-to-end test covers only FAIL; PASS is \
        covered by snapshot fixtures only.",
};

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let name = name_of(r, "certificate_name");
    let expiration = match r.attr("expiration").str() {
        Ok(Some(t)) => t,
        Ok(None) => {
            return Outcome::NotAssessed(format!("certificate {name} has no expiration time"))
        }
        Err(e) => return e.into(),
    };
    let Ok(when) = chrono::DateTime::parse_from_rfc3339(expiration) else {
        return Outcome::NotAssessed(format!(
            "certificate {name} has an invalid expiration time `{expiration}`"
        ));
    };
    if when < ctx.now {
        let days = days_since(expiration, ctx.now).unwrap_or(0);
        Outcome::Fail(format!(
            "certificate {name} expired {days} day(s) ago ({expiration})"
        ))
    } else {
        Outcome::Pass(format!("certificate {name} is valid until {expiration}"))
    }
}
