//! Secrets Manager secrets.

use crate::ctx::{list_pages, Part, Rc};
use crate::util::{opt_str, opt_time, tag_map};
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let sm = rc.secretsmanager();
    let list = match list_pages!(rc, "secretsmanager", "ListSecrets", sm.list_secrets()).await {
        Ok(pages) => pages
            .into_iter()
            .flat_map(|p| p.secret_list.unwrap_or_default()),
        Err(e) => return Part::unlisted(rc, "secretsmanager", &e),
    };
    let mut part = Part::default();
    for s in list {
        let (Some(arn), Some(name)) = (s.arn(), s.name()) else {
            continue;
        };
        let mut r = rc.resource("aws.secretsmanager.secret", arn, name);
        r.tags = tag_map(s.tags().iter().map(|t| (t.key(), t.value())));
        r.set("secret_name", json!(name));
        r.set(
            "rotation_enabled",
            json!(s.rotation_enabled().unwrap_or(false)),
        );
        r.set(
            "rotation_days",
            json!(s
                .rotation_rules()
                .and_then(|r| r.automatically_after_days())),
        );
        r.set("last_rotated", opt_time(s.last_rotated_date()));
        r.set("last_accessed", opt_time(s.last_accessed_date()));
        r.set("created", opt_time(s.created_date()));
        r.set("kms_key_id", opt_str(s.kms_key_id()));
        part.resources.push(r);
    }
    part.mark("secretsmanager", true);
    part
}
