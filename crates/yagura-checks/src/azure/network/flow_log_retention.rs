use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-NETWORK-005",
    title: "NSG flow logs are enabled and kept at least 90 days",
    severity: Severity::Low,
    kind: "azure.network.flow_log",
    rationale: "Flow logs show which addresses talked to which ports; kept for too short a \
        time they cannot show the lateral movement or exfiltration of an intrusion found late.",
    remediation: "Enable the flow log and set its retention policy to 90 days or more, or \
        disable the retention policy to keep logs indefinitely (Terraform: \
        `retention_policy { enabled = true days = 90 }`).",
    frameworks: &["cis-azure-2.1:6.5", "nist-800-53-r5:AU-11"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"enabled": true, "retention_days": 90}"#,
            r#"{"enabled": true, "retention_days": 0}"#,
        ],
        fail: &[
            r#"{"enabled": true, "retention_days": 7}"#,
            r#"{"enabled": false, "retention_days": 365}"#,
        ],
    },
    notes: "A retention of 0 days means the logs are never deleted.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("enabled").bool() {
        Ok(false) => return Outcome::Fail("the flow log is disabled".into()),
        Ok(true) => {}
        Err(e) => return e.into(),
    }
    match r.attr("retention_days").i64() {
        Ok(Some(0)) => Outcome::Pass("flow logs are kept without limit".into()),
        Ok(Some(d)) if d >= 90 => Outcome::Pass(format!("flow logs are kept {d} days")),
        Ok(Some(d)) => Outcome::Fail(format!("flow logs are kept only {d} days")),
        Ok(None) => Outcome::Fail("no retention is set for the flow logs".into()),
        Err(e) => e.into(),
    }
}
