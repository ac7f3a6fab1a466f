//! Elastic Load Balancing v2 load balancers with attributes and listeners.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::util::opt_str;
use aws_sdk_elasticloadbalancingv2::types::LoadBalancer;
use serde_json::{json, Value};

/// Boolean attributes: model name, attribute key, load balancer types that have it.
const BOOL_ATTRIBUTES: [(&str, &str, &[&str]); 3] = [
    (
        "drop_invalid_header_fields",
        "routing.http.drop_invalid_header_fields.enabled",
        &["application"],
    ),
    (
        "deletion_protection",
        "deletion_protection.enabled",
        &["application", "network", "gateway"],
    ),
    (
        "access_logs_enabled",
        "access_logs.s3.enabled",
        &["application", "network"],
    ),
];

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let elb = rc.elbv2();
    let list = list_items!(
        rc,
        "elbv2",
        "DescribeLoadBalancers",
        elb.describe_load_balancers()
    )
    .await;
    per_item(rc, "elbv2", list, |lb| load_balancer(rc, &elb, lb)).await
}

async fn load_balancer(
    rc: &Rc<'_>,
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    lb: LoadBalancer,
) -> Part {
    let mut part = Part::default();
    let (Some(arn), Some(name)) = (lb.load_balancer_arn(), lb.load_balancer_name()) else {
        return part;
    };
    let mut r = rc.resource("aws.elbv2.load_balancer", arn, name);
    r.set("load_balancer_name", json!(name));
    r.set("type", opt_str(lb.r#type().map(|t| t.as_str())));
    r.set("scheme", opt_str(lb.scheme().map(|s| s.as_str())));
    let (attrs, listeners) = tokio::join!(
        rc.call(
            "elbv2",
            "DescribeLoadBalancerAttributes",
            elb.describe_load_balancer_attributes()
                .load_balancer_arn(arn)
                .send()
        ),
        list_items!(
            rc,
            "elbv2",
            "DescribeListeners",
            elb.describe_listeners().load_balancer_arn(arn)
        ),
    );
    match attrs {
        Ok(o) => {
            let get = |k: &str| o.attributes().iter().find(|a| a.key() == Some(k)).and_then(|a| a.value());
            let lb_type = lb.r#type().map(|t| t.as_str()).unwrap_or("application");
            for (attr, key, types) in BOOL_ATTRIBUTES {
                if !types.contains(&lb_type) {
                    continue;
                }
                match get(key) {
                    Some(v) => r.set(attr, json!(v == "true")),
                    None => part.attr_invalid(
                        arn,
                        attr,
                        &format!("elbv2:DescribeLoadBalancerAttributes returned no `{key}`"),
                    ),
                }
            }
            match get("routing.http.desync_mitigation_mode") {
                Some(v) => r.set("desync_mitigation_mode", json!(v)),
                // Only application load balancers have the setting.
                None if lb_type != "application" => r.set("desync_mitigation_mode", Value::Null),
                None => part.attr_invalid(
                    arn,
                    "desync_mitigation_mode",
                    "elbv2:DescribeLoadBalancerAttributes returned no `routing.http.desync_mitigation_mode`",
                ),
            }
        }
        Err(e) => part.attr_failed(
            arn,
            "drop_invalid_header_fields, deletion_protection, access_logs_enabled, desync_mitigation_mode",
            &e,
        ),
    }
    let listeners = listeners.map(|ls| {
        ls.iter()
            .map(|l| {
                let redirects = l.default_actions().iter().any(|a| {
                    a.r#type().is_some_and(|t| t.as_str() == "redirect")
                        && a.redirect_config().and_then(|c| c.protocol()) == Some("HTTPS")
                });
                json!({
                    "port": l.port(),
                    "protocol": opt_str(l.protocol().map(|p| p.as_str())),
                    "ssl_policy": opt_str(l.ssl_policy()),
                    "redirects_to_https": redirects,
                })
            })
            .collect()
    });
    part.observe(&mut r, "listeners", listeners);
    part.resources.push(r);
    part
}
