use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "YAGURA-IAC-001",
    title: "Inline suppression states a reason",
    severity: Severity::Low,
    kind: "yagura.suppression",
    rationale: "A suppression turns a finding off for everyone who reads the reports later. \
        Without a written reason nobody can tell an accepted risk from a silenced alarm, and \
        reviews cannot re-judge it; yagura therefore ignores a suppression that has no reason.",
    remediation:
        "Write the reason after the check code: `# yagura:ignore AWS-S3-001 public \
        website assets, reviewed 2026-10` (Kubernetes: `yagura.io/ignore: \"K8S-POD-001=reason\"`).",
    frameworks: &["nist-800-53-r5:CM-6"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"code": "AWS-S3-001", "reason": "static website assets", "target": "r"}"#],
        fail: &[
            r#"{"code": "AWS-S3-001", "reason": null, "target": "r"}"#,
            r#"{"code": "AWS-S3-001", "reason": "  ", "target": "r"}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let code = r.attr("code").str().ok().flatten().unwrap_or("?");
    match r.attr("reason").str() {
        Err(e) => e.into(),
        Ok(Some(why)) if !why.trim().is_empty() => {
            Outcome::Pass(format!("suppression of {code} gives its reason: {why}"))
        }
        Ok(_) => Outcome::Fail(format!(
            "suppression of {code} has no reason, so it is ignored and the finding stays open"
        )),
    }
}
