use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-012",
    title: "VM instance has no external IP address",
    severity: Severity::Medium,
    kind: "gcp.compute.instance",
    rationale: "An external IP address makes the VM directly reachable from the Internet, where only its firewall rules protect its services.",
    remediation: "Remove the access_config blocks from the instance's network interfaces and reach the Internet through Cloud NAT and inbound traffic through a load balancer or IAP.",
    frameworks: &["cis-gcp-3.0:4.9", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"public_ip": false}"#],
        fail: &[r#"{"public_ip": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "public_ip",
        false,
        "the instance has no external IP",
        "the instance has an external IP address",
    )
}
