use crate::azure::netrules::{internet_exposure, SSH};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-001",
    title: "VPC firewall rule does not allow SSH from the Internet",
    severity: Severity::High,
    kind: "gcp.compute.firewall",
    rationale: "SSH (22) open to 0.0.0.0/0 exposes every targeted VM to password guessing and SSH daemon exploits from the whole Internet.",
    remediation: "Restrict the rule's source ranges to known addresses, or use Identity-Aware Proxy TCP forwarding (source 35.235.240.0/20) instead of opening SSH to the Internet.",
    frameworks: &["cis-gcp-3.0:3.6", "nist-800-53-r5:SC-7", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"disabled": false, "rules": [{"name": "allow-ssh-iap", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "tcp", "ports": [{"from": 22, "to": 22}], "sources": ["35.235.240.0/20"], "destinations": []}]}"#,
            r#"{"disabled": true, "rules": [{"name": "allow-ssh", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "tcp", "ports": [{"from": 22, "to": 22}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#,
        ],
        fail: &[r#"{"disabled": false, "rules": [{"name": "allow-ssh", "direction": "ingress", "action": "allow", "priority": 1000, "protocol": "tcp", "ports": [{"from": 22, "to": 22}], "sources": ["0.0.0.0/0"], "destinations": []}]}"#],
    },
    notes: "Each firewall rule is judged on its own, as the benchmark does; a deny rule in         another firewall resource of the same network is not taken into account.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    internet_exposure(r, "rules", &SSH)
}
