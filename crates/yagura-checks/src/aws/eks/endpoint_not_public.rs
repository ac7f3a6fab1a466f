use crate::util::{WORLD_V4, WORLD_V6};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EKS-001",
    title: "EKS cluster API endpoint is not open to the whole internet",
    severity: Severity::High,
    kind: "aws.eks.cluster",
    rationale: "The Kubernetes API server is the control point for every workload and secret in \
        the cluster. A public endpoint open to 0.0.0.0/0 is exposed to credential stuffing, \
        exploitation of API-server vulnerabilities and misconfigured anonymous access from \
        anywhere.",
    remediation: "Enable private endpoint access and disable public access (`aws eks \
        update-cluster-config --name NAME --resources-vpc-config \
        endpointPrivateAccess=true,endpointPublicAccess=false`), or keep it public but limited \
        to known CIDRs with `publicAccessCidrs=203.0.113.0/24`.",
    frameworks: &[
        "nist-800-53-r5:SC-7",
        "nist-800-53-r5:AC-17",
        "nist-800-53-r5:AC-3",
        "pci-dss-4.0:1.3.1",
        "pci-dss-4.0:1.4.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"cluster_name": "c", "endpoint_public_access": false, "public_access_cidrs": ["0.0.0.0/0"]}"#,
            r#"{"cluster_name": "c", "endpoint_public_access": true, "public_access_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]}"#,
        ],
        fail: &[
            r#"{"cluster_name": "c", "endpoint_public_access": true, "public_access_cidrs": ["0.0.0.0/0"]}"#,
            r#"{"cluster_name": "c", "endpoint_public_access": true, "public_access_cidrs": []}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("endpoint_public_access").bool() {
        Ok(false) => return Outcome::Pass("the API server endpoint is private only".into()),
        Ok(true) => {}
        Err(e) => return e.into(),
    }
    let cidrs: Vec<&str> = match r.attr("public_access_cidrs").array() {
        Ok(a) => a.iter().filter_map(Value::as_str).collect(),
        Err(e) => return e.into(),
    };
    if cidrs.is_empty() {
        return Outcome::Fail(
            "the API server endpoint is public with no source CIDR restriction".into(),
        );
    }
    let world: Vec<&str> = cidrs
        .iter()
        .copied()
        .filter(|c| *c == WORLD_V4 || *c == WORLD_V6)
        .collect();
    if world.is_empty() {
        Outcome::Pass(format!(
            "the public API server endpoint only accepts {}",
            cidrs.join(", ")
        ))
    } else {
        Outcome::Fail(format!(
            "the API server endpoint is public and open to {}",
            world.join(" and ")
        ))
    }
}
