use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-SECRETSMANAGER-001",
    title: "Secrets Manager secret has automatic rotation enabled",
    severity: Severity::Medium,
    kind: "aws.secretsmanager.secret",
    rationale: "A credential that never changes stays useful to whoever copied it, from a log, a \
        laptop or a former employee. Automatic rotation replaces the secret on a schedule and \
        limits how long a leaked value works.",
    remediation: "Configure rotation with a rotation function or a managed rotation: `aws \
        secretsmanager rotate-secret --secret-id ID --rotation-lambda-arn FUNCTION_ARN \
        --rotation-rules AutomaticallyAfterDays=30`.",
    frameworks: &[
        "nist-800-53-r5:IA-5",
        "nist-800-53-r5:SC-12",
        "pci-dss-4.0:8.6.3",
        "pci-dss-4.0:3.7.4",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"secret_name": "db", "rotation_enabled": true, "rotation_days": 30}"#],
        fail: &[r#"{"secret_name": "db", "rotation_enabled": false, "rotation_days": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pass = match r.attr("rotation_days").i64() {
        Ok(Some(d)) => format!("automatic rotation is enabled, every {d} days"),
        _ => "automatic rotation is enabled".to_string(),
    };
    flag_must_be(
        r,
        "rotation_enabled",
        true,
        pass,
        "automatic rotation is not enabled",
    )
}
