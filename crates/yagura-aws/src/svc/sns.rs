//! SNS topics with their attributes and confirmed subscriptions.

use crate::ctx::{list_items, Part, Rc};
use crate::util::{group_by, opt_str};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let sns = rc.sns();
    let (topics, subs) = tokio::join!(
        list_items!(rc, "sns", "ListTopics", sns.list_topics()),
        list_items!(rc, "sns", "ListSubscriptions", sns.list_subscriptions()),
    );
    let topics = match topics {
        Ok(t) => t,
        Err(e) => return Part::unlisted(rc, "sns", &e),
    };
    let mut part = Part::default();
    let subs = match subs {
        Ok(list) => Some(group_by(list, |s| {
            let (Some(topic), Some(arn)) = (s.topic_arn(), s.subscription_arn()) else {
                return None;
            };
            // Unconfirmed subscriptions carry a placeholder instead of an ARN.
            if !arn.starts_with("arn:") {
                return None;
            }
            let entry = json!({
                "protocol": opt_str(s.protocol()),
                "endpoint": opt_str(s.endpoint()),
                "subscription_arn": arn,
            });
            Some((topic, entry))
        })),
        Err(e) => {
            part.service_failed(rc, &e);
            None
        }
    };
    let arns = topics.into_iter().filter_map(|t| t.topic_arn);
    part.merge(Part::join(arns.map(|arn| topic(rc, &sns, subs.as_ref(), arn))).await);
    part.mark("sns", subs.is_some());
    part
}

async fn topic(
    rc: &Rc<'_>,
    sns: &aws_sdk_sns::Client,
    subs: Option<&HashMap<String, Vec<Value>>>,
    arn: String,
) -> Part {
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
            let get = |k: &str| attrs.get(k).map(String::as_str);
            r.set("kms_key_id", opt_str(get("KmsMasterKeyId")));
            part.set_policy(&mut r, "policy", get("Policy"));
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
