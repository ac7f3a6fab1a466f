//! Lambda functions with their resource policy and function URLs.

use crate::ctx::{Part, Rc};
use crate::error::FailureKind;
use crate::util::{opt_str, parse_policy, strs};
use futures::future::join_all;
use serde_json::{json, Value};

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let lambda = rc.lambda();
    let mut part = Part::default();
    let list = match rc
        .call(
            "lambda",
            "ListFunctions",
            lambda
                .list_functions()
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
            part.mark("lambda", false);
            return part;
        }
    };
    let parts = join_all(list.into_iter().map(|f| {
        let lambda = &lambda;
        async move {
            let mut part = Part::default();
            let (Some(name), Some(arn)) = (f.function_name(), f.function_arn()) else {
                return part;
            };
            let mut r = rc.resource("aws.lambda.function", arn, name);
            r.set("function_name", json!(name));
            r.set("runtime", opt_str(f.runtime().map(|r| r.as_str())));
            r.set(
                "package_type",
                opt_str(f.package_type().map(|p| p.as_str())),
            );
            r.set(
                "vpc_id",
                opt_str(
                    f.vpc_config()
                        .and_then(|v| v.vpc_id())
                        .filter(|v| !v.is_empty()),
                ),
            );
            let mut keys: Vec<&str> = f
                .environment()
                .and_then(|e| e.variables())
                .map(|v| v.keys().map(String::as_str).collect())
                .unwrap_or_default();
            keys.sort_unstable();
            r.set("environment_keys", strs(keys));
            r.set(
                "tracing_mode",
                opt_str(
                    f.tracing_config()
                        .and_then(|t| t.mode())
                        .map(|m| m.as_str()),
                ),
            );
            let (policy, urls) = tokio::join!(
                rc.call(
                    "lambda",
                    "GetPolicy",
                    lambda.get_policy().function_name(name).send()
                ),
                rc.call(
                    "lambda",
                    "ListFunctionUrlConfigs",
                    lambda
                        .list_function_url_configs()
                        .function_name(name)
                        .into_paginator()
                        .items()
                        .send()
                        .try_collect()
                ),
            );
            match policy {
                Ok(o) => match o.policy().map(parse_policy) {
                    Some(Ok(doc)) => r.set("policy", doc),
                    Some(Err(why)) => part.attr_invalid(arn, "policy", &why),
                    None => r.set("policy", Value::Null),
                },
                Err(e) if e.is("ResourceNotFoundException") => r.set("policy", Value::Null),
                Err(e) => part.attr_failed(arn, "policy", &e),
            }
            match urls {
                // With several URLs (aliases), the least protected one counts.
                Ok(urls) => {
                    let auth = if urls.iter().any(|u| u.auth_type().as_str() == "NONE") {
                        Some("NONE")
                    } else {
                        urls.first().map(|u| u.auth_type().as_str())
                    };
                    r.set("url_auth_type", opt_str(auth));
                }
                Err(e) if e.is("ResourceNotFoundException") => r.set("url_auth_type", Value::Null),
                // Endpoints without the listing still answer for the unqualified URL.
                Err(e) if e.kind == FailureKind::Unsupported => match rc
                    .call(
                        "lambda",
                        "GetFunctionUrlConfig",
                        lambda.get_function_url_config().function_name(name).send(),
                    )
                    .await
                {
                    Ok(o) => r.set("url_auth_type", json!(o.auth_type().as_str())),
                    Err(e2) if e2.is("ResourceNotFoundException") => {
                        r.set("url_auth_type", Value::Null)
                    }
                    Err(_) => part.attr_failed(arn, "url_auth_type", &e),
                },
                Err(e) => part.attr_failed(arn, "url_auth_type", &e),
            }
            part.resources.push(r);
            part
        }
    }))
    .await;
    for p in parts {
        part.merge(p);
    }
    part.mark("lambda", true);
    part
}
