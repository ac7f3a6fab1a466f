use super::firewall::evaluate;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-SQL-001",
    title: "SQL server firewall does not admit the whole Internet",
    severity: Severity::High,
    kind: "azure.sql.server",
    rationale: "A firewall rule from 0.0.0.0 to 255.255.255.255 lets any host on the Internet \
        reach the database endpoint and try credentials or exploit the service.",
    remediation: "Delete rules spanning every address and allow only the client ranges that \
        need access, or disable public network access and use private endpoints.",
    frameworks: &["cis-azure-2.1:4.1.2", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"public_network_access": true, "firewall_rules": [{"name": "office", "start_ip": "203.0.113.0", "end_ip": "203.0.113.255"}]}"#,
            r#"{"public_network_access": false, "firewall_rules": [{"name": "all", "start_ip": "0.0.0.0", "end_ip": "255.255.255.255"}]}"#,
        ],
        fail: &[
            r#"{"public_network_access": true, "firewall_rules": [{"name": "all", "start_ip": "0.0.0.0", "end_ip": "255.255.255.255"}]}"#,
        ],
    },
    notes: "",
};

/// A range covering (nearly) every public address: from at most 1.0.0.0 up to at
/// least 223.255.255.255 (the last unicast address).
fn whole_internet(start: u32, end: u32) -> bool {
    start <= u32::from(std::net::Ipv4Addr::new(1, 0, 0, 0))
        && end >= u32::from(std::net::Ipv4Addr::new(223, 255, 255, 255))
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    evaluate(
        r,
        whole_internet,
        "admit every Internet address",
        "no firewall rule admits the whole Internet",
    )
}
