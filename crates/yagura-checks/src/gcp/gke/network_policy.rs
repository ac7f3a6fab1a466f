use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-GKE-004",
    title: "GKE cluster enforces network policies",
    severity: Severity::Medium,
    kind: "gcp.container.cluster",
    rationale: "Without network policy enforcement every pod can reach every other pod, so one compromised workload can attack the whole cluster.",
    remediation: "Enable network policy enforcement (Terraform: network_policy { enabled = true } with the addon, or datapath_provider = ADVANCED_DATAPATH for Dataplane V2).",
    frameworks: &["nist-800-53-r5:SC-7", "nist-800-53-r5:AC-4"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"network_policy": true}"#],
        fail: &[r#"{"network_policy": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "network_policy",
        true,
        "network policies are enforced",
        "network policies are not enforced",
    )
}
