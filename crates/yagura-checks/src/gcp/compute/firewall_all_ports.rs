use crate::azure::netrules::{internet_exposure, ALL_PORTS};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-003",
    title: "VPC firewall rule does not open every port to the Internet",
    severity: Severity::Critical,
    kind: "gcp.compute.firewall",
    rationale: "A rule allowing all protocols or every port from 0.0.0.0/0 exposes every service on the targeted VMs, including internal ones.",
    remediation: "Replace the rule with rules for the specific protocols and ports the workload serves, from the narrowest source ranges possible.",
    frameworks: &["nist-800-53-r5:SC-7", "nist-800-53-r5:AC-4"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"disabled": false, "rules": [{"name": "allow-web", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "tcp", "ports": [{"from": 80, "to": 443}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#,
            r#"{"disabled": true, "rules": [{"name": "allow-all", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "all", "ports": [{"from": 0, "to": 65535}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#,
        ],
        fail: &[r#"{"disabled": false, "rules": [{"name": "allow-all", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "all", "ports": [{"from": 0, "to": 65535}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#],
    },
    notes: "Each firewall rule is judged on its own, as the benchmark does; a deny rule in         another firewall resource of the same network is not taken into account.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    internet_exposure(r, "rules", &ALL_PORTS)
}
