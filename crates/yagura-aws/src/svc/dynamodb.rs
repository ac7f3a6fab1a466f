//! DynamoDB tables with continuous backups.

use crate::ctx::{Part, Rc};
use crate::util::opt_str;
use futures::future::join_all;
use serde_json::{json, Value};

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let ddb = rc.dynamodb();
    let mut part = Part::default();
    let names = match rc
        .call(
            "dynamodb",
            "ListTables",
            ddb.list_tables()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        Ok(l) => l,
        Err(e) => {
            part.service_failed(rc, &e);
            part.mark("dynamodb", false);
            return part;
        }
    };
    let parts = join_all(names.into_iter().map(|name| {
        let ddb = &ddb;
        async move {
            let mut part = Part::default();
            let fallback = rc.arn("dynamodb", &format!("table/{name}"));
            let (table, backups) = tokio::join!(
                rc.call(
                    "dynamodb",
                    "DescribeTable",
                    ddb.describe_table().table_name(&name).send()
                ),
                rc.call(
                    "dynamodb",
                    "DescribeContinuousBackups",
                    ddb.describe_continuous_backups().table_name(&name).send()
                ),
            );
            let table = match table {
                Ok(o) => o.table,
                Err(e) => {
                    part.attr_failed(&fallback, "deletion_protection, sse_type, kms_key_id", &e);
                    None
                }
            };
            let arn = table
                .as_ref()
                .and_then(|t| t.table_arn())
                .map(str::to_string)
                .unwrap_or(fallback);
            let mut r = rc.resource("aws.dynamodb.table", &arn, &name);
            r.set("table_name", json!(name));
            if let Some(t) = table {
                r.set(
                    "deletion_protection",
                    json!(t.deletion_protection_enabled().unwrap_or(false)),
                );
                // No SSE description means the table uses the AWS-owned key.
                let sse = t.sse_description().filter(|s| {
                    s.status()
                        .is_none_or(|st| matches!(st.as_str(), "ENABLED" | "ENABLING" | "UPDATING"))
                });
                match sse {
                    Some(s) => {
                        r.set("sse_type", opt_str(s.sse_type().map(|t| t.as_str())));
                        r.set("kms_key_id", opt_str(s.kms_master_key_arn()));
                    }
                    None => {
                        r.set("sse_type", Value::Null);
                        r.set("kms_key_id", Value::Null);
                    }
                }
            }
            match backups {
                Ok(o) => {
                    let on = o
                        .continuous_backups_description()
                        .and_then(|d| d.point_in_time_recovery_description())
                        .and_then(|p| p.point_in_time_recovery_status())
                        .is_some_and(|s| s.as_str() == "ENABLED");
                    r.set("pitr_enabled", json!(on));
                }
                Err(e) => part.attr_failed(&arn, "pitr_enabled", &e),
            }
            part.resources.push(r);
            part
        }
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("dynamodb", true);
    part
}
