use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-DYNAMODB-002",
    title: "DynamoDB table has deletion protection enabled",
    severity: Severity::Low,
    kind: "aws.dynamodb.table",
    rationale: "Deleting a table removes its data and, unless point-in-time recovery was on, \
        its continuous backups. Deletion protection rejects delete requests until it is \
        switched off, preventing accidental loss through consoles, scripts or IaC.",
    remediation: "Enable it: `aws dynamodb update-table --table-name NAME \
        --deletion-protection-enabled`.",
    frameworks: &["nist-800-53-r5:CP-10", "nist-800-53-r5:CM-3"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"table_name": "orders", "deletion_protection": true}"#],
        fail: &[r#"{"table_name": "orders", "deletion_protection": false}"#],
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
