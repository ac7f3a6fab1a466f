use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-SQL-003",
    title: "SQL server disables public network access",
    severity: Severity::Medium,
    kind: "azure.sql.server",
    rationale: "With public network access on, the server's endpoint is reachable from the \
        Internet and only its firewall rules stand between attackers and the login prompt.",
    remediation: "Disable public network access and connect through private endpoints \
        (Terraform: `public_network_access_enabled = false`).",
    frameworks: &["cis-azure-2.1:4.1.2", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"public_network_access": false}"#],
        fail: &[r#"{"public_network_access": true}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "public_network_access",
        false,
        "public network access is disabled",
        "the server is reachable from public networks",
    )
}
