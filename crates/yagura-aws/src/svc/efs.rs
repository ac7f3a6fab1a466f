//! EFS file systems with their backup policy.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::error::Absent;
use crate::util::{opt_str, tag_map};
use aws_sdk_efs::types::FileSystemDescription;
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let efs = rc.efs();
    let list = list_items!(
        rc,
        "efs",
        "DescribeFileSystems",
        efs.describe_file_systems()
    )
    .await;
    per_item(rc, "efs", list, |fs| file_system(rc, &efs, fs)).await
}

async fn file_system(rc: &Rc<'_>, efs: &aws_sdk_efs::Client, fs: FileSystemDescription) -> Part {
    let mut part = Part::default();
    let id = fs.file_system_id();
    let arn = fs
        .file_system_arn()
        .map(str::to_string)
        .unwrap_or_else(|| rc.arn("elasticfilesystem", &format!("file-system/{id}")));
    let mut r = rc.resource("aws.efs.file_system", &arn, fs.name().unwrap_or(id));
    r.tags = tag_map(fs.tags().iter().map(|t| (Some(t.key()), Some(t.value()))));
    r.set("file_system_id", json!(id));
    r.set("encrypted", json!(fs.encrypted().unwrap_or(false)));
    r.set("kms_key_id", opt_str(fs.kms_key_id()));
    let backup = rc
        .call(
            "efs",
            "DescribeBackupPolicy",
            efs.describe_backup_policy().file_system_id(id).send(),
        )
        .await
        .map(|o| {
            json!(o
                .backup_policy()
                .is_some_and(|p| matches!(p.status().as_str(), "ENABLED" | "ENABLING")))
        })
        .absent_as("PolicyNotFound", json!(false));
    part.observe(&mut r, "backup_enabled", backup);
    part.resources.push(r);
    part
}
