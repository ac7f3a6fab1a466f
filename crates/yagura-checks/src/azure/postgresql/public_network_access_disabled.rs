use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-POSTGRESQL-002",
    title: "PostgreSQL server disables public network access",
    severity: Severity::Medium,
    kind: "azure.postgresql.server",
    rationale: "A database server reachable from public networks is exposed to credential \
        guessing and to exploits of the database engine from anywhere on the Internet.",
    remediation: "Disable public network access and connect through a private endpoint or VNet \
        integration (Terraform: `public_network_access_enabled = false`).",
    frameworks: &["nist-800-53-r5:SC-7"],
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
