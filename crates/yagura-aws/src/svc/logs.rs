//! CloudWatch Logs log groups with their metric filters, and CloudWatch alarms.

use crate::ctx::{list_items, list_pages, Part, Rc};
use crate::util::{group_by, log_group_arn, opt_str, strs};
use serde_json::{json, Value};

pub(crate) async fn collect_logs(rc: &Rc<'_>) -> Part {
    let logs = rc.logs();
    let (groups, filters) = tokio::join!(
        list_items!(rc, "logs", "DescribeLogGroups", logs.describe_log_groups()),
        list_items!(
            rc,
            "logs",
            "DescribeMetricFilters",
            logs.describe_metric_filters()
        ),
    );
    let groups = match groups {
        Ok(g) => g,
        Err(e) => return Part::unlisted(rc, "logs", &e),
    };
    let filters = filters.map(|fs| {
        group_by(fs, |f| {
            let group = f.log_group_name()?;
            let t = f.metric_transformations().first();
            let entry = json!({
                "filter_name": opt_str(f.filter_name()),
                "pattern": opt_str(f.filter_pattern()),
                "metric_name": opt_str(t.map(|t| t.metric_name())),
                "metric_namespace": opt_str(t.map(|t| t.metric_namespace())),
            });
            Some((group, entry))
        })
    });
    let mut part = Part::default();
    if let Err(e) = &filters {
        // Without the filters the log groups are still listed; the service is not
        // complete because checks on metric filters reason over all of them.
        part.service_failed(rc, e);
    }
    for g in groups {
        let Some(name) = g.log_group_name() else {
            continue;
        };
        let arn = g
            .arn()
            .map(|a| log_group_arn(a).to_string())
            .unwrap_or_else(|| rc.arn("logs", &format!("log-group:{name}")));
        let mut r = rc.resource("aws.logs.log_group", &arn, name);
        r.set("log_group_name", json!(name));
        r.set("retention_days", json!(g.retention_in_days()));
        r.set("kms_key_id", opt_str(g.kms_key_id()));
        if let Ok(f) = &filters {
            r.set(
                "metric_filters",
                Value::Array(f.get(name).cloned().unwrap_or_default()),
            );
        }
        part.resources.push(r);
    }
    part.mark("logs", filters.is_ok());
    part
}

pub(crate) async fn collect_alarms(rc: &Rc<'_>) -> Part {
    let cw = rc.cloudwatch();
    let pages = match list_pages!(rc, "cloudwatch", "DescribeAlarms", cw.describe_alarms()).await {
        Ok(p) => p,
        Err(e) => return Part::unlisted(rc, "cloudwatch", &e),
    };
    let mut part = Part::default();
    for a in pages.iter().flat_map(|p| p.metric_alarms()) {
        let Some(name) = a.alarm_name() else { continue };
        let arn = a
            .alarm_arn()
            .map(str::to_string)
            .unwrap_or_else(|| rc.arn("cloudwatch", &format!("alarm:{name}")));
        let mut r = rc.resource("aws.cloudwatch.alarm", &arn, name);
        r.set("alarm_name", json!(name));
        r.set("metric_name", opt_str(a.metric_name()));
        r.set("namespace", opt_str(a.namespace()));
        r.set(
            "actions_enabled",
            json!(a.actions_enabled().unwrap_or(false)),
        );
        r.set(
            "alarm_actions",
            strs(a.alarm_actions().iter().map(String::as_str)),
        );
        part.resources.push(r);
    }
    part.mark("cloudwatch", true);
    part
}
