//! SQS queues with their attributes.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::util::opt_str;
use aws_sdk_sqs::types::QueueAttributeName;
use serde_json::json;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let sqs = rc.sqs();
    let urls = list_items!(rc, "sqs", "ListQueues", sqs.list_queues()).await;
    per_item(rc, "sqs", urls, |url| queue(rc, &sqs, url)).await
}

async fn queue(rc: &Rc<'_>, sqs: &aws_sdk_sqs::Client, url: String) -> Part {
    let mut part = Part::default();
    let name = url.rsplit('/').next().unwrap_or(&url).to_string();
    let attrs = rc
        .call(
            "sqs",
            "GetQueueAttributes",
            sqs.get_queue_attributes()
                .queue_url(&url)
                .attribute_names(QueueAttributeName::All)
                .send(),
        )
        .await;
    let fallback_arn = rc.arn("sqs", &name);
    match attrs {
        Ok(o) => {
            let a = o.attributes().cloned().unwrap_or_default();
            let get = |k: QueueAttributeName| a.get(&k).map(String::as_str);
            let arn = get(QueueAttributeName::QueueArn).unwrap_or(&fallback_arn);
            let mut r = rc.resource("aws.sqs.queue", arn, &name);
            r.set("queue_name", json!(name));
            r.set("url", json!(url));
            r.set(
                "kms_key_id",
                opt_str(get(QueueAttributeName::KmsMasterKeyId)),
            );
            r.set(
                "sqs_managed_sse",
                json!(get(QueueAttributeName::SqsManagedSseEnabled) == Some("true")),
            );
            part.set_policy(&mut r, "policy", get(QueueAttributeName::Policy));
            part.resources.push(r);
        }
        Err(e) => {
            let mut r = rc.resource("aws.sqs.queue", &fallback_arn, &name);
            r.set("queue_name", json!(name));
            r.set("url", json!(url));
            part.attr_failed(&fallback_arn, "kms_key_id, sqs_managed_sse, policy", &e);
            part.resources.push(r);
        }
    }
    part
}
