use crate::azure::netrules::is_world;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-GKE-003",
    title: "GKE control plane accepts only authorized networks",
    severity: Severity::Medium,
    kind: "gcp.container.cluster",
    rationale: "Without authorized networks the Kubernetes API server's public endpoint accepts \
        connections from any address, exposing it to credential attacks and API exploits.",
    remediation: "Enable master authorized networks with the narrow ranges that administer the \
        cluster (Terraform: `master_authorized_networks_config { cidr_blocks { cidr_block = \
        \"203.0.113.0/24\" } }`).",
    frameworks: &["nist-800-53-r5:SC-7", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"master_authorized_networks": ["203.0.113.0/24"]}"#],
        fail: &[
            r#"{"master_authorized_networks": null}"#,
            r#"{"master_authorized_networks": ["0.0.0.0/0"]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("master_authorized_networks").value() {
        Ok(Value::Null) => Outcome::Fail("master authorized networks are not enabled".into()),
        Ok(Value::Array(cidrs)) => {
            let open: Vec<&str> = cidrs
                .iter()
                .filter_map(Value::as_str)
                .filter(|c| is_world(c))
                .collect();
            if !open.is_empty() {
                Outcome::Fail(format!(
                    "authorized network(s) {} admit the whole Internet",
                    open.join(", ")
                ))
            } else if cidrs.iter().any(yagura_model::iac::contains_unknown) {
                Outcome::NotAssessed("some authorized networks are unknown until apply".into())
            } else {
                Outcome::Pass(format!(
                    "the control plane accepts {} authorized range(s)",
                    cidrs.len()
                ))
            }
        }
        Ok(_) => Outcome::NotAssessed("`master_authorized_networks` is not a list".into()),
        Err(e) => e.into(),
    }
}
