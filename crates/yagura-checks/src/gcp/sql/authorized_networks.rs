use crate::azure::netrules::is_world;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::iac::contains_unknown;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-SQL-002",
    title: "Cloud SQL instance does not authorize 0.0.0.0/0",
    severity: Severity::High,
    kind: "gcp.sql.instance",
    rationale: "An authorized network of 0.0.0.0/0 on a public IP lets every host on the \
        Internet open connections to the database and try credentials.",
    remediation: "Remove 0.0.0.0/0 from the authorized networks and list only the client \
        ranges that need access, or use private IP and the Cloud SQL Auth Proxy.",
    frameworks: &["cis-gcp-3.0:6.5", "nist-800-53-r5:SC-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"public_ip": true, "authorized_networks": [{"name": "office", "cidr": "203.0.113.0/24"}]}"#,
            r#"{"public_ip": false, "authorized_networks": [{"name": "all", "cidr": "0.0.0.0/0"}]}"#,
        ],
        fail: &[
            r#"{"public_ip": true, "authorized_networks": [{"name": "all", "cidr": "0.0.0.0/0"}]}"#,
        ],
    },
    notes: "Authorized networks only apply to the public IP, so an instance without one passes.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Ok(false) = r.attr("public_ip").bool() {
        return Outcome::Pass("the instance has no public IP".into());
    }
    let nets = match r.attr("authorized_networks").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    let open: Vec<&str> = nets
        .iter()
        .filter_map(|n| n.get("cidr").and_then(Value::as_str))
        .filter(|c| is_world(c))
        .collect();
    if !open.is_empty() {
        return Outcome::Fail(format!(
            "authorized network(s) {} admit the whole Internet",
            open.join(", ")
        ));
    }
    if nets.iter().any(contains_unknown) {
        return Outcome::NotAssessed("some authorized networks are unknown until apply".into());
    }
    match r.attr("public_ip").bool() {
        Ok(_) => Outcome::Pass("no authorized network admits the whole Internet".into()),
        Err(e) => e.into(),
    }
}
