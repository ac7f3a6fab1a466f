//! SNS topics with their attributes and confirmed subscriptions.

use crate::ctx::{Part, Rc};
use crate::util::{opt_str, parse_policy};
use futures::future::join_all;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let sns = rc.sns();
    let mut part = Part::default();
    let (topics, subs) = tokio::join!(
        rc.call(
            "sns",
            "ListTopics",
            sns.list_topics()
                .into_paginator()
                .items()
                .send()
                .try_collect()
        ),
        rc.call(
            "sns",
            "ListSubscriptions",
            sns.list_subscriptions()
                .into_paginator()
                .items()
                .send()
                .try_collect()
        ),
    );
    let topics = match topics {
        Ok(t) => t,
        Err(e) => {
            part.service_failed(rc, &e);
            part.mark("sns", false);
            return part;
        }
    };
    let mut ok = true;
    let subs = match subs {
        Ok(list) => {
            let mut by_topic: HashMap<String, Vec<Value>> = HashMap::new();
            for s in list {
                let (Some(topic), Some(arn)) = (s.topic_arn(), s.subscription_arn()) else {
                    continue;
                };
                // Unconfirmed subscriptions carry a placeholder instead of an ARN.
                if !arn.starts_with("arn:") {
                    continue;
                }
                by_topic.entry(topic.to_string()).or_default().push(json!({
                    "protocol": opt_str(s.protocol()),
                    "endpoint": opt_str(s.endpoint()),
                    "subscription_arn": arn,
                }));
            }
            Some(by_topic)
        }
        Err(e) => {
            ok = false;
            part.service_failed(rc, &e);
            None
        }
    };
    let parts = join_all(topics.into_iter().filter_map(|t| t.topic_arn).map(|arn| {
        let sns = &sns;
        let subs = &subs;
        async move {
            let mut part = Part::default();
            let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
            let mut r = rc.resource("aws.sns.topic", &arn, &name);
            r.set("topic_name", json!(name));
            match rc
                .call(
                    "sns",
                    "GetTopicAttributes",
                    sns.get_topic_attributes().topic_arn(&arn).send(),
                )
                .await
            {
                Ok(o) => {
                    let attrs = o.attributes().cloned().unwrap_or_default();
                    r.set(
                        "kms_key_id",
                        opt_str(attrs.get("KmsMasterKeyId").map(String::as_str)),
                    );
                    match attrs.get("Policy").map(|p| parse_policy(p)) {
                        Some(Ok(doc)) => r.set("policy", doc),
                        Some(Err(why)) => part.attr_invalid(&arn, "policy", &why),
                        None => r.set("policy", Value::Null),
                    }
                }
                Err(e) => part.attr_failed(&arn, "kms_key_id, policy", &e),
            }
            if let Some(subs) = subs {
                r.set(
                    "subscriptions",
                    Value::Array(subs.get(&arn).cloned().unwrap_or_default()),
                );
            }
            part.resources.push(r);
            part
        }
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("sns", ok);
    part
}
