use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-MYSQL-001",
    title: "MySQL server requires SSL connections",
    severity: Severity::Medium,
    kind: "azure.mysql.server",
    rationale: "Without enforced SSL, clients may connect in clear text and expose passwords \
        and query data to anyone on the network path.",
    remediation: "Enforce SSL (single server: `ssl_enforcement_enabled = true`; flexible \
        server: keep the `require_secure_transport` parameter `ON`).",
    frameworks: &["cis-azure-2.1:4.4.1", "nist-800-53-r5:SC-8"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"ssl_enforcement": true}"#],
        fail: &[r#"{"ssl_enforcement": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "ssl_enforcement",
        true,
        "SSL connections are enforced",
        "the server accepts connections without SSL",
    )
}
