use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-009",
    title: "EC2 instance has no public IPv4 address",
    severity: Severity::Medium,
    kind: "aws.ec2.instance",
    rationale: "An instance with a public address is directly reachable from the internet, so \
        its security groups are the only barrier and any rule mistake exposes it. Instances \
        behind load balancers, NAT and private endpoints present a much smaller attack surface.",
    remediation: "Launch instances in private subnets without public addresses; publish \
        services through a load balancer or API gateway and administer instances with SSM \
        Session Manager. Release Elastic IPs that are not needed.",
    frameworks: &[
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-4",
        "pci-dss-4.0:1.3.1",
        "pci-dss-4.0:1.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"instance_id": "i-1", "state": "running", "public_ip": null}"#],
        fail: &[r#"{"instance_id": "i-1", "state": "running", "public_ip": "203.0.113.10"}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("public_ip").str() {
        Ok(Some(ip)) => Outcome::Fail(format!("the instance has public IPv4 address {ip}")),
        Ok(None) => Outcome::Pass("the instance has no public IPv4 address".into()),
        Err(e) => e.into(),
    }
}
