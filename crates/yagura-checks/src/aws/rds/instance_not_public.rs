use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-003",
    title: "RDS DB instance is not publicly accessible",
    severity: Severity::High,
    kind: "aws.rds.db_instance",
    rationale: "A publicly accessible instance gets a DNS name that resolves to a public IP, so \
        the database listener can be reached from the internet wherever the security group and \
        routing allow it. Databases should only be reachable from the application tier.",
    remediation: "Turn public access off: `aws rds modify-db-instance --db-instance-identifier \
        ID --no-publicly-accessible --apply-immediately`, place the instance in private subnets \
        and let clients connect through the VPC, a VPN or a bastion.",
    frameworks: &[
        "cis-aws-3.0:2.3.3",
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-4",
        "nist-800-53-r5:AC-3",
        "pci-dss-4.0:1.3.1",
        "pci-dss-4.0:1.4.4",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"db_instance_id": "db1", "engine": "mysql", "publicly_accessible": false}"#],
        fail: &[r#"{"db_instance_id": "db1", "engine": "mysql", "publicly_accessible": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "publicly_accessible",
        false,
        "the instance is not publicly accessible",
        "the instance is publicly accessible (it resolves to a public IP address)",
    )
}
