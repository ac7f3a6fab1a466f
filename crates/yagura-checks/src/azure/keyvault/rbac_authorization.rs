use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-KEYVAULT-002",
    title: "Key Vault uses Azure RBAC for data-plane access",
    severity: Severity::Low,
    kind: "azure.keyvault.vault",
    rationale: "Vault access policies grant broad per-vault permissions outside Azure RBAC, so \
        they escape PIM, conditional access and the role assignments reviewers look at.",
    remediation: "Switch the vault's permission model to Azure RBAC (Terraform: \
        `enable_rbac_authorization = true`, `rbac_authorization_enabled` in newer providers) \
        and replace access policies with role assignments.",
    frameworks: &["cis-azure-2.1:8.6", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"rbac_authorization": true}"#],
        fail: &[r#"{"rbac_authorization": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "rbac_authorization",
        true,
        "data-plane access is governed by Azure RBAC",
        "the vault uses access policies instead of Azure RBAC",
    )
}
