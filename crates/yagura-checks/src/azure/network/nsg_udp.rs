use crate::azure::netrules::{internet_exposure, ANY_UDP};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-NETWORK-003",
    title: "Network security group does not allow UDP from the Internet",
    severity: Severity::Medium,
    kind: "azure.network.nsg",
    rationale: "UDP services open to the Internet (DNS, NTP, SSDP, CLDAP and others) are abused as reflectors for amplified denial-of-service attacks and are rarely meant to be public.",
    remediation: "Remove inbound rules that allow UDP (or any protocol) from Internet, * or 0.0.0.0/0, or narrow them to the known peers.",
    frameworks: &["cis-azure-2.1:6.3", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"rules": [{"name": "dns-internal", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "udp", "ports": [{"from": 53, "to": 53}], "sources": ["10.0.0.0/8"], "destinations": ["*"]}]}"#,
            r#"{"rules": []}"#,
        ],
        fail: &[r#"{"rules": [{"name": "dns", "direction": "ingress", "action": "allow", "priority": 100, "protocol": "udp", "ports": [{"from": 53, "to": 53}], "sources": ["0.0.0.0/0"], "destinations": ["*"]}]}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    internet_exposure(r, "rules", &ANY_UDP)
}
