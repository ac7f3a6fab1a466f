use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-007",
    title: "VM instance blocks project-wide SSH keys",
    severity: Severity::Medium,
    kind: "gcp.compute.instance",
    rationale: "Project-wide SSH keys work on every instance of the project, so one leaked key grants shell access to all VMs that do not block them.",
    remediation: "Set the instance metadata block-project-ssh-keys to TRUE (Terraform: metadata = { block-project-ssh-keys = true }), or use OS Login.",
    frameworks: &["cis-gcp-3.0:4.3", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"block_project_ssh_keys": true}"#],
        fail: &[r#"{"block_project_ssh_keys": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "block_project_ssh_keys",
        true,
        "project-wide SSH keys are blocked",
        "project-wide SSH keys can log in to the instance",
    )
}
