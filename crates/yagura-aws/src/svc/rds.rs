//! RDS DB instances and DB snapshots.

use crate::ctx::{list_items, Part, Rc};
use crate::util::{opt_str, tag_map};
use aws_sdk_rds::types::{DbInstance, DbSnapshot};
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let rds = rc.rds();
    let (instances, snapshots) = tokio::join!(
        list_items!(
            rc,
            "rds",
            "DescribeDBInstances",
            rds.describe_db_instances()
        ),
        list_items!(
            rc,
            "rds",
            "DescribeDBSnapshots",
            rds.describe_db_snapshots()
        ),
    );
    let instances = instances.map(|list| {
        let mut part = Part::default();
        part.resources
            .extend(list.iter().filter_map(|i| instance(rc, i)));
        part
    });
    let snapshots = match snapshots {
        Ok(list) => Ok(Part::join(list.into_iter().map(|s| snapshot(rc, &rds, s))).await),
        Err(e) => Err(e),
    };
    Part::from_listings(rc, "rds", [instances, snapshots])
}

fn instance(rc: &Rc<'_>, i: &DbInstance) -> Option<yagura_model::Resource> {
    let (Some(id), Some(arn)) = (i.db_instance_identifier(), i.db_instance_arn()) else {
        return None;
    };
    let mut r = rc.resource("aws.rds.db_instance", arn, id);
    r.tags = tag_map(i.tag_list().iter().map(|t| (t.key(), t.value())));
    r.set("db_instance_id", json!(id));
    r.set("engine", opt_str(i.engine()));
    r.set("engine_version", opt_str(i.engine_version()));
    r.set(
        "storage_encrypted",
        json!(i.storage_encrypted().unwrap_or(false)),
    );
    r.set("kms_key_id", opt_str(i.kms_key_id()));
    r.set(
        "publicly_accessible",
        json!(i.publicly_accessible().unwrap_or(false)),
    );
    r.set(
        "auto_minor_version_upgrade",
        json!(i.auto_minor_version_upgrade().unwrap_or(false)),
    );
    r.set("multi_az", json!(i.multi_az().unwrap_or(false)));
    r.set(
        "backup_retention_days",
        json!(i.backup_retention_period().unwrap_or(0)),
    );
    r.set(
        "deletion_protection",
        json!(i.deletion_protection().unwrap_or(false)),
    );
    r.set(
        "iam_auth",
        json!(i.iam_database_authentication_enabled().unwrap_or(false)),
    );
    r.set(
        "copy_tags_to_snapshot",
        json!(i.copy_tags_to_snapshot().unwrap_or(false)),
    );
    r.set(
        "enhanced_monitoring_interval",
        json!(i.monitoring_interval().unwrap_or(0)),
    );
    Some(r)
}

async fn snapshot(rc: &Rc<'_>, rds: &aws_sdk_rds::Client, s: DbSnapshot) -> Part {
    let mut part = Part::default();
    let (Some(id), Some(arn)) = (s.db_snapshot_identifier(), s.db_snapshot_arn()) else {
        return part;
    };
    let mut r = rc.resource("aws.rds.db_snapshot", arn, id);
    r.tags = tag_map(s.tag_list().iter().map(|t| (t.key(), t.value())));
    r.set("snapshot_id", json!(id));
    r.set("encrypted", json!(s.encrypted().unwrap_or(false)));
    // Only manual snapshots can be shared; automated ones are never public.
    let public = if s.snapshot_type() == Some("automated") {
        Ok(json!(false))
    } else {
        rc.call(
            "rds",
            "DescribeDBSnapshotAttributes",
            rds.describe_db_snapshot_attributes()
                .db_snapshot_identifier(id)
                .send(),
        )
        .await
        .map(|o| {
            json!(o
                .db_snapshot_attributes_result()
                .map(|a| a.db_snapshot_attributes())
                .unwrap_or_default()
                .iter()
                .any(|a| {
                    a.attribute_name() == Some("restore")
                        && a.attribute_values().iter().any(|v| v == "all")
                }))
        })
    };
    part.observe(&mut r, "public", public);
    part.resources.push(r);
    part
}
