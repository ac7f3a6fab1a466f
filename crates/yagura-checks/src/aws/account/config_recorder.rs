use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ACCOUNT-002",
    title: "AWS Config records all resource types in the region",
    severity: Severity::Medium,
    kind: "aws.region",
    rationale: "AWS Config keeps the configuration history of resources and their relationships. \
        Without a working recorder for all resource types, changes cannot be reconstructed \
        during an incident or audit.",
    remediation: "In the AWS Config console (or `aws configservice put-configuration-recorder` \
        with `allSupported=true`, then `start-configuration-recorder`), record all supported \
        resource types in every region and make sure the delivery channel works.",
    frameworks: &[
        "cis-aws-3.0:3.3",
        "nist-800-53-r5:CM-8",
        "nist-800-53-r5:CM-3",
        "nist-800-53-r5:CA-7",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"config_recorders": [{"name": "default", "recording": true, "all_supported": true, "include_global_resource_types": false, "last_status": "SUCCESS"}]}"#,
        ],
        fail: &[
            r#"{"config_recorders": []}"#,
            r#"{"config_recorders": [{"name": "default", "recording": false, "all_supported": true, "include_global_resource_types": true, "last_status": "SUCCESS"}]}"#,
            r#"{"config_recorders": [{"name": "default", "recording": true, "all_supported": false, "include_global_resource_types": true, "last_status": "SUCCESS"}]}"#,
            r#"{"config_recorders": [{"name": "default", "recording": true, "all_supported": true, "include_global_resource_types": true, "last_status": "FAILURE"}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let region = r.region.as_deref().unwrap_or("this region");
    let recorders = match r.attr("config_recorders").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    if recorders.is_empty() {
        return Outcome::Fail(format!("no AWS Config recorder exists in {region}"));
    }
    let mut problems = Vec::new();
    for rec in recorders {
        let name = rec
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        let flag = |k: &str| rec.get(k).and_then(Value::as_bool);
        let (Some(recording), Some(all)) = (flag("recording"), flag("all_supported")) else {
            return Outcome::NotAssessed(format!(
                "the settings of Config recorder {name} were not observed"
            ));
        };
        let failed = rec.get("last_status").and_then(Value::as_str) == Some("FAILURE");
        if recording && all && !failed {
            return Outcome::Pass(format!(
                "Config recorder {name} records all supported resource types in {region}"
            ));
        }
        let mut why = Vec::new();
        if !recording {
            why.push("is not recording");
        }
        if !all {
            why.push("does not record all supported resource types");
        }
        if failed {
            why.push("failed its last delivery");
        }
        problems.push(format!("recorder {name} {}", why.join(" and ")));
    }
    Outcome::Fail(format!(
        "AWS Config is not fully recording in {region}: {}",
        problems.join("; ")
    ))
}
