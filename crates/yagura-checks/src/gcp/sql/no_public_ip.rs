use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-003",
    title: "Cloud SQL instance has no public IP address",
    severity: Severity::Medium,
    kind: "gcp.sql.instance",
    rationale: "A public IP puts the database endpoint on the Internet, where only authorized \
        networks and credentials protect it; private IP keeps it inside the VPC.",
    remediation: "Disable the public IPv4 address and connect over private IP (Terraform: \
        `settings { ip_configuration { ipv4_enabled = false private_network = ... } }`).",
    frameworks: &["cis-gcp-3.0:6.6", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"public_ip": false}"#],
        fail: &[r#"{"public_ip": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "public_ip",
        false,
        "the instance has no public IP",
        "the instance has a public IPv4 address",
    )
}
