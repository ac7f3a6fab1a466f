use crate::azure::netrules::{internet_exposure, RDP};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-NETWORK-001",
    title: "Network security group does not allow RDP from the Internet",
    severity: Severity::High,
    kind: "azure.network.nsg",
    rationale: "RDP (3389) reachable from the Internet is scanned constantly and is a common entry point through brute force and remote-desktop vulnerabilities.",
    remediation: "Remove or narrow inbound rules that allow TCP 3389 from Internet, * or 0.0.0.0/0; reach VMs through Azure Bastion, a VPN or just-in-time access.",
    frameworks: &["cis-azure-2.1:6.1", "nist-800-53-r5:SC-7", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"rules": [{"name": "rdp-office", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "tcp", "ports": [{"from": 3389, "to": 3389}], "sources": ["203.0.113.0/24"], "destinations": ["*"]}]}"#,
            r#"{"rules": []}"#,
        ],
        fail: &[r#"{"rules": [{"name": "rdp", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "tcp", "ports": [{"from": 3389, "to": 3389}], "sources": ["Internet"], "destinations": ["*"]}]}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    internet_exposure(r, "rules", &RDP)
}
