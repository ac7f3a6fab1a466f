use super::rules::admin_ports_open_to;
use crate::util::WORLD_V4;
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
    admin_ports_open_to(r, "cidrs_v4", WORLD_V4)
}
