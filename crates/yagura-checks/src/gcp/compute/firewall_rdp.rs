use crate::azure::netrules::{internet_exposure, RDP};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-002",
    title: "VPC firewall rule does not allow RDP from the Internet",
    severity: Severity::High,
    kind: "gcp.compute.firewall",
    rationale: "RDP (3389) open to 0.0.0.0/0 is a frequent ransomware entry point through brute force and remote-desktop vulnerabilities.",
    remediation: "Restrict the rule's source ranges to known addresses, or reach Windows VMs through Identity-Aware Proxy or a VPN.",
    frameworks: &["cis-gcp-3.0:3.7", "nist-800-53-r5:SC-7", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"disabled": false, "rules": [{"name": "allow-web", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "tcp", "ports": [{"from": 443, "to": 443}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#,
            r#"{"disabled": true, "rules": [{"name": "allow-rdp", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "tcp", "ports": [{"from": 3000, "to": 4000}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#,
        ],
        fail: &[r#"{"disabled": false, "rules": [{"name": "allow-rdp", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "tcp", "ports": [{"from": 3000, "to": 4000}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#],
    },
    notes: "Each firewall rule is judged on its own, as the benchmark does; a deny rule in         another firewall resource of the same network is not taken into account.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    internet_exposure(r, "rules", &RDP)
}
