use super::rules::describe;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-004",
    title: "Default security group of a VPC allows no inbound or outbound traffic",
    severity: Severity::Medium,
    kind: "aws.ec2.security_group",
    rationale: "Every VPC has a default security group that resources join when no group is \
        chosen. If it allows traffic, anything launched carelessly gets network access it was \
        never meant to have; keeping it empty forces every workload onto a deliberately designed \
        group.",
    remediation: "Move any resources off the default group onto purpose-built groups, then \
        delete all inbound and outbound rules of the default security group (it cannot be \
        deleted itself).",
    frameworks: &[
        "cis-aws-3.0:5.4",
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-4",
        "nist-800-53-r5:CM-7",
        "pci-dss-4.0:1.3.1",
        "pci-dss-4.0:1.3.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"is_default": true, "ingress": [], "egress": []}"#,
            r#"{"is_default": false, "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}], "egress": []}"#,
        ],
        fail: &[
            r#"{"is_default": true, "ingress": [{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": [], "cidrs_v6": [], "source_groups": ["sg-0abc"]}], "egress": [{"protocol": "-1", "from_port": null, "to_port": null, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
            r#"{"is_default": true, "ingress": [], "egress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidrs_v4": ["0.0.0.0/0"], "cidrs_v6": []}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("is_default").bool() {
        Ok(true) => {}
        Ok(false) => {
            return Outcome::Pass("not a VPC default security group; not applicable".into())
        }
        Err(e) => return e.into(),
    }
    let ingress = match r.attr("ingress").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let egress = match r.attr("egress").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    if ingress.is_empty() && egress.is_empty() {
        return Outcome::Pass("the default security group has no inbound or outbound rules".into());
    }
    let mut rules: Vec<String> = ingress
        .iter()
        .map(|r| format!("inbound {}", describe(r, "from")))
        .collect();
    rules.extend(
        egress
            .iter()
            .map(|r| format!("outbound {}", describe(r, "to"))),
    );
    Outcome::Fail(format!(
        "the default security group has rules: {}",
        rules.join("; ")
    ))
}
