//! DynamoDB tables with continuous backups.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::util::opt_str;
use serde_json::{json, Value};

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let ddb = rc.dynamodb();
    let names = list_items!(rc, "dynamodb", "ListTables", ddb.list_tables()).await;
    per_item(rc, "dynamodb", names, |name| table(rc, &ddb, name)).await
}

async fn table(rc: &Rc<'_>, ddb: &aws_sdk_dynamodb::Client, name: String) -> Part {
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
    let pitr = backups.map(|o| {
        json!(o
            .continuous_backups_description()
            .and_then(|d| d.point_in_time_recovery_description())
            .and_then(|p| p.point_in_time_recovery_status())
            .is_some_and(|s| s.as_str() == "ENABLED"))
    });
    part.observe(&mut r, "pitr_enabled", pitr);
    part.resources.push(r);
    part
}
