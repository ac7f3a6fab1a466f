use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ELB-004",
    title: "Load balancer has deletion protection enabled",
    severity: Severity::Low,
    kind: "aws.elbv2.load_balancer",
    rationale: "Deleting a load balancer takes the service behind it offline and releases its \
        DNS name. Deletion protection makes the delete fail until the flag is cleared, guarding \
        against mistakes in consoles, scripts and infrastructure-as-code.",
    remediation: "Enable it: `aws elbv2 modify-load-balancer-attributes --load-balancer-arn ARN \
        --attributes Key=deletion_protection.enabled,Value=true`.",
    frameworks: &["nist-800-53-r5:CP-10", "nist-800-53-r5:CM-3"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"type": "application", "deletion_protection": true}"#],
        fail: &[r#"{"type": "application", "deletion_protection": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "deletion_protection",
        true,
        "deletion protection is enabled",
        "deletion protection is disabled",
    )
}
