//! Region-level settings for the `aws.region` resource: EBS encryption by default,
//! AWS Config recorders, IAM Access Analyzer analyzers and Security Hub.

use crate::ctx::{list_items, Part, Rc};
use crate::error::{Absent, ApiError};
use crate::util::opt_str;
use serde_json::{json, Value};

pub(crate) fn region_arn(rc: &Rc<'_>) -> String {
    rc.arn("ec2", "region-settings")
}

pub(crate) async fn settings(rc: &Rc<'_>) -> Part {
    let (ebs, config, analyzers, hub) = tokio::join!(
        crate::ec2::ebs_encryption_by_default(rc),
        config_recorders(rc),
        access_analyzers(rc),
        security_hub(rc),
    );
    let mut part = Part::default();
    let id = region_arn(rc);
    part.observe_setting(&id, "ebs_encryption_by_default", ebs.map(|v| json!(v)));
    for (service, attr, res) in [
        ("config", "config_recorders", config),
        ("accessanalyzer", "access_analyzers", analyzers),
        ("securityhub", "security_hub_enabled", hub),
    ] {
        match res {
            Ok(v) => {
                part.settings.insert(attr.into(), v);
                part.mark(service, true);
            }
            Err(e) => {
                part.service_failed(rc, &e);
                part.mark(service, false);
            }
        }
    }
    part
}

async fn config_recorders(rc: &Rc<'_>) -> Result<Value, ApiError> {
    let cfg = rc.config();
    let (recorders, status) = tokio::join!(
        rc.call(
            "config",
            "DescribeConfigurationRecorders",
            cfg.describe_configuration_recorders().send()
        ),
        rc.call(
            "config",
            "DescribeConfigurationRecorderStatus",
            cfg.describe_configuration_recorder_status().send()
        ),
    );
    let (recorders, status) = (recorders?, status?);
    let list = recorders
        .configuration_recorders()
        .iter()
        // Service-linked recorders record only for their owning service; they are
        // not the account's configuration history.
        .filter(|r| r.service_principal().is_none())
        .map(|r| {
            let name = r.name().unwrap_or_default();
            let st = status
                .configuration_recorders_status()
                .iter()
                .find(|s| s.name() == Some(name));
            let group = r.recording_group();
            json!({
                "name": name,
                "recording": st.is_some_and(|s| s.recording()),
                "all_supported": group.is_some_and(|g| g.all_supported()),
                "include_global_resource_types": group.is_some_and(|g| g.include_global_resource_types()),
                "last_status": opt_str(st.and_then(|s| s.last_status()).map(|s| s.as_str())),
            })
        })
        .collect();
    Ok(Value::Array(list))
}

async fn access_analyzers(rc: &Rc<'_>) -> Result<Value, ApiError> {
    let aa = rc.accessanalyzer();
    let list = list_items!(rc, "accessanalyzer", "ListAnalyzers", aa.list_analyzers()).await?;
    Ok(Value::Array(
        list.iter()
            .map(|a| json!({"name": a.name(), "type": a.r#type().as_str(), "status": a.status().as_str()}))
            .collect(),
    ))
}

async fn security_hub(rc: &Rc<'_>) -> Result<Value, ApiError> {
    let sh = rc.securityhub();
    rc.call("securityhub", "DescribeHub", sh.describe_hub().send())
        .await
        .map(|_| json!(true))
        // Security Hub answers these when the account is not subscribed in the region.
        .absent_as("InvalidAccessException", json!(false))
        .absent_as("ResourceNotFoundException", json!(false))
}
