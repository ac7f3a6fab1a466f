use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-009",
    title: "VM instance disables interactive serial port access",
    severity: Severity::Medium,
    kind: "gcp.compute.instance",
    rationale: "The interactive serial console accepts connections from any IP address and bypasses the VPC firewall, so it is an access path network controls cannot restrict.",
    remediation: "Remove the serial-port-enable metadata key or set it to FALSE (Terraform: metadata = { serial-port-enable = false }).",
    frameworks: &["cis-gcp-3.0:4.5", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"serial_port_enabled": false}"#],
        fail: &[r#"{"serial_port_enabled": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "serial_port_enabled",
        false,
        "interactive serial port access is disabled",
        "interactive serial port access is enabled",
    )
}
