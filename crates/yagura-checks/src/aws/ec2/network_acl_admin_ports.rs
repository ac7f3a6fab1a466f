use crate::util::{ADMIN_PORTS, WORLD_V4, WORLD_V6};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use std::collections::BTreeMap;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-002",
    title: "Network ACL does not allow ingress from the internet to SSH or RDP",
    severity: Severity::Medium,
    kind: "aws.ec2.network_acl",
    rationale: "Network ACLs are the subnet-level layer of network defence. An ACL that admits \
        0.0.0.0/0 or ::/0 to port 22 or 3389 leaves remote administration of every instance in \
        its subnets guarded only by security groups, one misconfiguration away from exposure.",
    remediation: "Remove the inbound allow entries from 0.0.0.0/0 and ::/0 for ports 22 and \
        3389 (or the all-traffic entries that cover them), or add lower-numbered deny entries for \
        those ports; allow administration only from known address ranges.",
    frameworks: &[
        "cis-aws-3.0:5.1",
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-4",
        "nist-800-53-r5:AC-17",
        "pci-dss-4.0:1.3.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"entries": [{"rule_number": 100, "protocol": "6", "rule_action": "allow", "egress": false, "cidr_v4": "10.0.0.0/8", "cidr_v6": null, "from_port": 22, "to_port": 22}, {"rule_number": 32767, "protocol": "-1", "rule_action": "deny", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null}]}"#,
            r#"{"entries": [{"rule_number": 50, "protocol": "-1", "rule_action": "deny", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null}, {"rule_number": 100, "protocol": "-1", "rule_action": "allow", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null}]}"#,
            r#"{"entries": [{"rule_number": 100, "protocol": "-1", "rule_action": "allow", "egress": true, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null}, {"rule_number": 110, "protocol": "6", "rule_action": "allow", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": 443, "to_port": 443}]}"#,
        ],
        fail: &[
            r#"{"entries": [{"rule_number": 100, "protocol": "-1", "rule_action": "allow", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null}, {"rule_number": 32767, "protocol": "-1", "rule_action": "deny", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null}]}"#,
            r#"{"entries": [{"rule_number": 90, "protocol": "6", "rule_action": "deny", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": 22, "to_port": 22}, {"rule_number": 100, "protocol": "6", "rule_action": "allow", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": 0, "to_port": 65535}]}"#,
            r#"{"entries": [{"rule_number": 120, "protocol": "17", "rule_action": "allow", "egress": false, "cidr_v4": null, "cidr_v6": "::/0", "from_port": 3389, "to_port": 3389}]}"#,
        ],
    },
    notes: "",
};

/// (protocol number, label): CIS counts TCP, UDP and all-protocol entries.
const PROTOCOLS: [(&str, &str); 2] = [("6", "TCP"), ("17", "UDP")];

/// Whether an ACL entry matches traffic of `proto` to `port`. A TCP/UDP entry
/// without a port range covers every port, as an all-protocol entry does.
fn entry_matches(entry: &Value, proto: &str, port: i64) -> bool {
    let p = entry.get("protocol").and_then(Value::as_str).unwrap_or("");
    let same = match p {
        "-1" | "all" => return true,
        "tcp" => proto == "6",
        "udp" => proto == "17",
        other => other == proto,
    };
    if !same {
        return false;
    }
    let from = entry.get("from_port").and_then(Value::as_i64);
    let to = entry.get("to_port").and_then(Value::as_i64);
    match (from, to) {
        (Some(f), Some(t)) => f <= port && port <= t,
        _ => true,
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let entries = match r.attr("entries").array() {
        Ok(e) => e,
        Err(e) => return e.into(),
    };
    let mut inbound: Vec<&Value> = entries
        .iter()
        .filter(|e| e.get("egress").and_then(Value::as_bool) != Some(true))
        .collect();
    // ACL entries are evaluated in ascending rule number; the first match decides.
    inbound.sort_by_key(|e| {
        e.get("rule_number")
            .and_then(Value::as_i64)
            .unwrap_or(i64::MAX)
    });

    // rule number + source -> what it lets in
    let mut open: BTreeMap<(i64, &str), Vec<String>> = BTreeMap::new();
    for (key, world) in [("cidr_v4", WORLD_V4), ("cidr_v6", WORLD_V6)] {
        let from_world: Vec<&&Value> = inbound
            .iter()
            .filter(|e| e.get(key).and_then(Value::as_str) == Some(world))
            .collect();
        for (proto, label) in PROTOCOLS {
            for &port in ADMIN_PORTS {
                let first = from_world.iter().find(|e| entry_matches(e, proto, port));
                let Some(entry) = first else { continue };
                if entry.get("rule_action").and_then(Value::as_str) == Some("allow") {
                    let n = entry
                        .get("rule_number")
                        .and_then(Value::as_i64)
                        .unwrap_or(-1);
                    open.entry((n, world))
                        .or_default()
                        .push(format!("{label} {port}"));
                }
            }
        }
    }
    if open.is_empty() {
        return Outcome::Pass(
            "no inbound entry that takes effect admits 0.0.0.0/0 or ::/0 to ports 22 or 3389"
                .into(),
        );
    }
    let parts: Vec<String> = open
        .iter()
        .map(|((n, world), what)| format!("rule {n} allows {world} to {}", what.join(", ")))
        .collect();
    Outcome::Fail(format!(
        "inbound remote administration open to the internet: {}",
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::aws::s3::testutil::run;
    use yagura_model::Outcome;

    #[test]
    fn a_narrow_deny_does_not_mask_a_world_allow() {
        let o = run(
            &CHECK,
            r#"{"entries": [{"rule_number": 10, "protocol": "6", "rule_action": "deny", "egress": false, "cidr_v4": "198.51.100.0/24", "cidr_v6": null, "from_port": 22, "to_port": 22}, {"rule_number": 20, "protocol": "6", "rule_action": "allow", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": 22, "to_port": 22}]}"#,
        );
        assert_eq!(o, Outcome::Fail("inbound remote administration open to the internet: rule 20 allows 0.0.0.0/0 to TCP 22".into()));
    }

    #[test]
    fn a_tcp_deny_leaves_udp_open() {
        let o = run(
            &CHECK,
            r#"{"entries": [{"rule_number": 10, "protocol": "6", "rule_action": "deny", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": 0, "to_port": 65535}, {"rule_number": 20, "protocol": "-1", "rule_action": "allow", "egress": false, "cidr_v4": "0.0.0.0/0", "cidr_v6": null, "from_port": null, "to_port": null}]}"#,
        );
        assert_eq!(o, Outcome::Fail("inbound remote administration open to the internet: rule 20 allows 0.0.0.0/0 to UDP 22, UDP 3389".into()));
    }
}
