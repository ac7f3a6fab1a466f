use crate::util::{rule_covers_port, ADMIN_PORTS, WORLD_V4};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-001",
    title: "Security group does not allow ingress from 0.0.0.0/0 to SSH or RDP",
    severity: Severity::High,
    kind: "aws.ec2.security_group",
    rationale: "SSH (22) and RDP (3389) open to the whole IPv4 internet invite brute force and \
        exploitation of the remote-administration service.",
    remediation: "Remove the 0.0.0.0/0 ingress rules for ports 22 and 3389; reach instances \
        through SSM Session Manager, a bastion, or a VPN with a narrow CIDR.",
    frameworks: &[
        "cis-aws-3.0:5.2",
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-4",
        "pci-dss-4.0:1.3.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["10.0.0.0/8"], "cidrs_v6": []}]}"#,
            r#"{"ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
        ],
        fail: &[
            r#"{"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
            r#"{"ingress": [{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let rules = match r.attr("ingress").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let mut open = Vec::new();
    for rule in rules {
        let world = rule
            .get("cidrs_v4")
            .and_then(|c| c.as_array())
            .is_some_and(|c| c.iter().any(|x| x.as_str() == Some(WORLD_V4)));
        if !world {
            continue;
        }
        for &port in ADMIN_PORTS {
            if rule_covers_port(rule, port) && !open.contains(&port) {
                open.push(port);
            }
        }
    }
    if open.is_empty() {
        Outcome::Pass("no ingress from 0.0.0.0/0 to ports 22 or 3389".into())
    } else {
        let ports: Vec<String> = open.iter().map(i64::to_string).collect();
        Outcome::Fail(format!(
            "ingress from 0.0.0.0/0 allowed to port(s) {}",
            ports.join(", ")
        ))
    }
}
