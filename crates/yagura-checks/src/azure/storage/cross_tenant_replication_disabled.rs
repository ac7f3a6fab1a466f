use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-STORAGE-011",
    title: "Storage account does not allow cross-tenant object replication",
    severity: Severity::Medium,
    kind: "azure.storage.account",
    rationale: "Cross-tenant replication lets an object replication policy copy blobs into an \
        account in another Entra tenant, a path for data to leave the organisation.",
    remediation: "Disable cross-tenant replication (Terraform: \
        `cross_tenant_replication_enabled = false`; the default changed between azurerm 3 and \
        4, so write it explicitly).",
    frameworks: &["cis-azure-2.1:3.16", "nist-800-53-r5:AC-4"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"cross_tenant_replication": false}"#],
        fail: &[r#"{"cross_tenant_replication": true}"#],
    },
    notes: "In Terraform an unwritten `cross_tenant_replication_enabled` is unknown: the \
        default depends on the azurerm provider major version.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "cross_tenant_replication",
        false,
        "cross-tenant replication is disabled",
        "cross-tenant replication is allowed",
    )
}
