use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-GKE-002",
    title: "GKE cluster nodes have no public IP addresses",
    severity: Severity::Medium,
    kind: "gcp.container.cluster",
    rationale: "Nodes with public addresses are directly reachable from the Internet, exposing the kubelet and any NodePort service to attack.",
    remediation: "Create the cluster with private nodes (Terraform: private_cluster_config { enable_private_nodes = true }) and Cloud NAT for egress.",
    frameworks: &["nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"private_nodes": true}"#],
        fail: &[r#"{"private_nodes": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "private_nodes",
        true,
        "nodes are private",
        "nodes have public IP addresses",
    )
}
