//! SQS queues with their attributes.

use crate::ctx::{Part, Rc};
use crate::util::{opt_str, parse_policy};
use aws_sdk_sqs::types::QueueAttributeName;
use futures::future::join_all;
use serde_json::{json, Value};

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let sqs = rc.sqs();
    let mut part = Part::default();
    let urls = match rc
        .call(
            "sqs",
            "ListQueues",
            sqs.list_queues()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await
    {
        Ok(u) => u,
        Err(e) => {
            part.service_failed(rc, &e);
            part.mark("sqs", false);
            return part;
        }
    };
    let parts = join_all(urls.into_iter().map(|url| {
        let sqs = &sqs;
        async move {
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
                    let arn = get(QueueAttributeName::QueueArn)
                        .unwrap_or(&fallback_arn)
                        .to_string();
                    let mut r = rc.resource("aws.sqs.queue", &arn, &name);
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
                    match get(QueueAttributeName::Policy).map(parse_policy) {
                        Some(Ok(doc)) => r.set("policy", doc),
                        Some(Err(why)) => part.attr_invalid(&arn, "policy", &why),
                        None => r.set("policy", Value::Null),
                    }
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
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("sqs", true);
    part
}
