use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-010",
    title: "Subnet does not assign public IPv4 addresses automatically",
    severity: Severity::Medium,
    kind: "aws.ec2.subnet",
    rationale: "When a subnet maps public IPs on launch, every instance started in it becomes \
        reachable from the internet unless someone remembers to opt out. Public addressing \
        should be a deliberate choice per workload, not a subnet default.",
    remediation: "Turn the setting off: `aws ec2 modify-subnet-attribute --subnet-id ID \
        --no-map-public-ip-on-launch`, and assign public addresses or Elastic IPs explicitly to \
        the few instances that need them. Default subnets have it on unless changed.",
    frameworks: &[
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:CM-6",
        "pci-dss-4.0:1.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"subnet_id": "subnet-1", "map_public_ip_on_launch": false, "default_for_az": false}"#,
        ],
        fail: &[
            r#"{"subnet_id": "subnet-1", "map_public_ip_on_launch": true, "default_for_az": true}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("map_public_ip_on_launch").bool() {
        Ok(true) => {
            let default = r.attr("default_for_az").bool() == Ok(true);
            Outcome::Fail(format!(
                "instances launched in this {}subnet get a public IPv4 address automatically",
                if default { "default " } else { "" }
            ))
        }
        Ok(false) => {
            Outcome::Pass("the subnet does not map public IPv4 addresses on launch".into())
        }
        Err(e) => e.into(),
    }
}
