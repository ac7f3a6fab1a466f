use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-010",
    title: "VM instance does not forward IP packets",
    severity: Severity::Medium,
    kind: "gcp.compute.instance",
    rationale: "With IP forwarding, the VM can send and receive packets for other addresses, letting a compromised instance route or spoof traffic around network controls.",
    remediation: "Create the instance without IP forwarding (Terraform: can_ip_forward = false, the default) unless it is a dedicated network appliance.",
    frameworks: &["cis-gcp-3.0:4.6", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"can_ip_forward": false}"#],
        fail: &[r#"{"can_ip_forward": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "can_ip_forward",
        false,
        "IP forwarding is disabled",
        "IP forwarding is enabled",
    )
}
