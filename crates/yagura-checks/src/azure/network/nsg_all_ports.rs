use crate::azure::netrules::{internet_exposure, ALL_PORTS};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-NETWORK-004",
    title: "Network security group does not open every port to the Internet",
    severity: Severity::Critical,
    kind: "azure.network.nsg",
    rationale: "A rule admitting every port from the Internet exposes every service on the protected VMs, including ones never meant to be reachable.",
    remediation: "Replace any-port inbound rules from Internet, * or 0.0.0.0/0 with rules for the specific ports the workload serves.",
    frameworks: &["nist-800-53-r5:SC-7", "nist-800-53-r5:AC-4"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"rules": [{"name": "web", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "tcp", "ports": [{"from": 443, "to": 443}], "sources": ["Internet"], "destinations": ["*"]}]}"#,
            r#"{"rules": []}"#,
        ],
        fail: &[r#"{"rules": [{"name": "any", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "all", "ports": [{"from": 0, "to": 65535}], "sources": ["*"], "destinations": ["*"]}]}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    internet_exposure(r, "rules", &ALL_PORTS)
}
