use crate::azure::netrules::{internet_exposure, SSH};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-NETWORK-002",
    title: "Network security group does not allow SSH from the Internet",
    severity: Severity::High,
    kind: "azure.network.nsg",
    rationale: "SSH (22) reachable from the Internet invites password guessing and exploitation of the SSH daemon on every VM the group protects.",
    remediation: "Remove or narrow inbound rules that allow TCP 22 from Internet, * or 0.0.0.0/0; use Azure Bastion, a VPN or just-in-time access instead.",
    frameworks: &["cis-azure-2.1:6.2", "nist-800-53-r5:SC-7", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"rules": [{"name": "https", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "tcp", "ports": [{"from": 443, "to": 443}], "sources": ["Internet"], "destinations": ["*"]}]}"#,
            r#"{"rules": []}"#,
        ],
        fail: &[r#"{"rules": [{"name": "ssh", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "tcp", "ports": [{"from": 20, "to": 30}], "sources": ["*"], "destinations": ["*"]}]}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    internet_exposure(r, "rules", &SSH)
}
