//! EFS file systems with their backup policy.

use crate::ctx::{Part, Rc};
use crate::util::{opt_str, tag_map};
use futures::future::join_all;
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let efs = rc.efs();
    let mut part = Part::default();
    let list = match rc
        .call(
            "efs",
            "DescribeFileSystems",
            efs.describe_file_systems()
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
            part.mark("efs", false);
            return part;
        }
    };
    let parts = join_all(list.into_iter().map(|fs| {
        let efs = &efs;
        async move {
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
            match rc
                .call(
                    "efs",
                    "DescribeBackupPolicy",
                    efs.describe_backup_policy().file_system_id(id).send(),
                )
                .await
            {
                Ok(o) => {
                    let on = o
                        .backup_policy()
                        .is_some_and(|p| matches!(p.status().as_str(), "ENABLED" | "ENABLING"));
                    r.set("backup_enabled", json!(on));
                }
                Err(e) if e.is("PolicyNotFound") => r.set("backup_enabled", json!(false)),
                Err(e) => part.attr_failed(&arn, "backup_enabled", &e),
            }
            part.resources.push(r);
            part
        }
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("efs", true);
    part
}
