use super::rules::{describe, is_all_traffic, is_full_port_range, world_sources};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-012",
    title: "Security group does not allow all traffic from the internet",
    severity: Severity::Critical,
    kind: "aws.ec2.security_group",
    rationale: "A rule admitting every protocol (or every TCP/UDP port) from 0.0.0.0/0 or ::/0 \
        turns the security group off: every listening service on every attached interface, \
        including ones nobody knows are running, is exposed to the internet.",
    remediation: "Replace the rule with rules for the specific ports the workload serves, and \
        restrict their sources to the clients that need them (load balancer security groups, \
        private ranges).",
    frameworks: &[
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-4",
        "nist-800-53-r5:CM-7",
        "pci-dss-4.0:1.2.5",
        "pci-dss-4.0:1.3.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"ingress": [{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": [], "cidrs_v6": [], "source_groups": ["sg-self"]}, {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
        ],
        fail: &[
            r#"{"ingress": [{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
            r#"{"ingress": [{"protocol": "tcp", "from_port": 0, "to_port": 65535, "cidrs_v4": [], "cidrs_v6": ["::/0"]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let rules = match r.attr("ingress").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let wide: Vec<String> = rules
        .iter()
        .filter(|rule| {
            !world_sources(rule).is_empty() && (is_all_traffic(rule) || is_full_port_range(rule))
        })
        .map(|rule| describe(rule, "from"))
        .collect();
    if wide.is_empty() {
        Outcome::Pass("no rule admits all traffic or all ports from 0.0.0.0/0 or ::/0".into())
    } else {
        Outcome::Fail(format!(
            "ingress open to the internet on every port: {}",
            wide.join("; ")
        ))
    }
}
