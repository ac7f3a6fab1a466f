use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-004",
    title: "VPC firewall rule logging is enabled",
    severity: Severity::Low,
    kind: "gcp.compute.firewall",
    rationale: "Firewall rule logging records the connections a rule allowed or denied; without \
        it there is no record of who reached exposed services during an incident.",
    remediation: "Enable logging on the rule (Terraform: `log_config { metadata = \
        \"INCLUDE_ALL_METADATA\" }`; gcloud: `gcloud compute firewall-rules update NAME \
        --enable-logging`).",
    frameworks: &["nist-800-53-r5:AU-12", "nist-800-53-r5:SI-4"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"logging": true}"#],
        fail: &[r#"{"logging": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "logging",
        true,
        "firewall rule logging is enabled",
        "firewall rule logging is disabled",
    )
}
