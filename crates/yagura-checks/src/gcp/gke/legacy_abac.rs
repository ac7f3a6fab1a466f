use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-GKE-001",
    title: "GKE cluster has legacy ABAC disabled",
    severity: Severity::High,
    kind: "gcp.container.cluster",
    rationale: "Legacy ABAC grants broad static permissions outside Kubernetes RBAC, so service accounts and users can get far more access than their roles say.",
    remediation: "Disable legacy authorization (Terraform: enable_legacy_abac = false, the default) and grant access through RBAC.",
    frameworks: &["nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"legacy_abac": false}"#],
        fail: &[r#"{"legacy_abac": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "legacy_abac",
        false,
        "legacy ABAC is disabled",
        "legacy ABAC is enabled",
    )
}
