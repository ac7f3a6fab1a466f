use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ACCOUNT-005",
    title: "AWS Config records global (IAM) resource types in at least one region",
    severity: Severity::Medium,
    kind: "aws.account",
    rationale: "IAM users, groups, roles and policies are global resources. Config records them \
        only in a region whose recorder includes global resource types; if none does, the \
        history of identity changes is lost.",
    remediation: "In one region (usually the home region), update the recorder to \
        `allSupported=true,includeGlobalResourceTypes=true`; leave it off elsewhere to avoid \
        duplicate configuration items.",
    frameworks: &[
        "cis-aws-3.0:3.3",
        "nist-800-53-r5:CM-8",
        "nist-800-53-r5:AC-2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"regions": ["us-east-1", "eu-west-1"], "$related": [{"kind": "aws.region", "region": "us-east-1", "attributes": {"config_recorders": [{"name": "default", "recording": true, "all_supported": true, "include_global_resource_types": true, "last_status": "SUCCESS"}]}}, {"kind": "aws.region", "region": "eu-west-1", "attributes": {"config_recorders": [{"name": "default", "recording": true, "all_supported": true, "include_global_resource_types": false, "last_status": "SUCCESS"}]}}]}"#,
        ],
        fail: &[
            r#"{"regions": ["us-east-1", "eu-west-1"], "$related": [{"kind": "aws.region", "region": "us-east-1", "attributes": {"config_recorders": [{"name": "default", "recording": true, "all_supported": true, "include_global_resource_types": false, "last_status": "SUCCESS"}]}}, {"kind": "aws.region", "region": "eu-west-1", "attributes": {"config_recorders": []}}]}"#,
            r#"{"regions": ["us-east-1"], "$related": [{"kind": "aws.region", "region": "us-east-1", "attributes": {"config_recorders": [{"name": "default", "recording": false, "all_supported": true, "include_global_resource_types": true, "last_status": null}]}}]}"#,
        ],
    },
    notes: "The emulator used in CI (moto) enables more regions than its end-to-end test can \
        scan in time, and a FAIL needs the Config recorders of every enabled region, so that \
        test covers only PASS (and NOT_ASSESSED); FAIL is covered by snapshot fixtures only.",
};

fn records_global(rec: &Value) -> bool {
    let on = |k: &str| rec.get(k).and_then(Value::as_bool) == Some(true);
    on("recording") && on("all_supported") && on("include_global_resource_types")
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let regions: Vec<&str> = match r.attr("regions").array() {
        Ok(a) => a.iter().filter_map(Value::as_str).collect(),
        Err(e) => return e.into(),
    };
    if regions.is_empty() {
        return Outcome::NotAssessed("the account's list of enabled regions is empty".into());
    }
    let mut observed = Vec::new();
    for reg in ctx.inventory.related("aws.region", r) {
        let Ok(recorders) = reg.attr("config_recorders").array() else {
            continue;
        };
        let name = reg.region.as_deref().unwrap_or("?");
        if let Some(rec) = recorders.iter().find(|x| records_global(x)) {
            let rec_name = rec
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("(unnamed)");
            return Outcome::Pass(format!(
                "Config recorder {rec_name} in {name} records global resource types"
            ));
        }
        observed.push(name);
    }
    // Only conclude FAIL when every enabled region's recorders were seen.
    let unseen: Vec<&str> = regions
        .iter()
        .copied()
        .filter(|x| !observed.contains(x))
        .collect();
    if !unseen.is_empty() {
        return Outcome::NotAssessed(format!(
            "no observed region records global resource types, and the Config recorders of {} were not observed",
            unseen.join(", ")
        ));
    }
    Outcome::Fail(format!(
        "no Config recorder records global resource types in any of the {} enabled region(s)",
        regions.len()
    ))
}
