//! Lambda functions with their resource policy and function URLs.

use super::per_item;
use crate::ctx::{list_items, Part, Rc};
use crate::error::{Absent, FailureKind};
use crate::util::{opt_str, strs};
use aws_sdk_lambda::types::FunctionConfiguration;
use serde_json::{json, Value};

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let lambda = rc.lambda();
    let list = list_items!(rc, "lambda", "ListFunctions", lambda.list_functions()).await;
    per_item(rc, "lambda", list, |f| function(rc, &lambda, f)).await
}

async fn function(rc: &Rc<'_>, lambda: &aws_sdk_lambda::Client, f: FunctionConfiguration) -> Part {
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
        list_items!(
            rc,
            "lambda",
            "ListFunctionUrlConfigs",
            lambda.list_function_url_configs().function_name(name)
        ),
    );
    let policy = policy
        .map(|o| o.policy)
        .absent_as("ResourceNotFoundException", None);
    part.observe_policy(&mut r, "policy", policy);
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
            Err(e2) if e2.is("ResourceNotFoundException") => r.set("url_auth_type", Value::Null),
            Err(_) => part.attr_failed(arn, "url_auth_type", &e),
        },
        Err(e) => part.attr_failed(arn, "url_auth_type", &e),
    }
    part.resources.push(r);
    part
}
