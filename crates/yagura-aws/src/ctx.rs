//! The scan context: one [`Scope`] per account (credentials, limits, call counter),
//! and a [`Rc`] per region that builds clients, throttles calls and names targets.

use crate::error::ApiError;
use crate::util::parse_policy;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::region::Region;
use aws_types::SdkConfig;
use futures::future::join_all;
use serde_json::{Map, Value};
use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use yagura_model::{NotAssessedTarget, Resource, SourceKind};

/// Label used as the region of account-wide (global) resources and targets.
pub(crate) const GLOBAL: &str = "global";

/// Concurrency limits: one semaphore per account, region and service, since AWS
/// throttles per account, region and API.
#[derive(Debug)]
pub(crate) struct Limits {
    per_service: usize,
    sems: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Limits {
    pub(crate) fn new(per_service: usize) -> Self {
        Limits {
            per_service: per_service.max(1),
            sems: Mutex::new(HashMap::new()),
        }
    }

    async fn acquire(&self, key: String) -> Option<OwnedSemaphorePermit> {
        let sem = {
            // A poisoned lock only means another task panicked while inserting;
            // the map itself is still usable.
            let mut map = self.sems.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(key)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_service)))
                .clone()
        };
        sem.acquire_owned().await.ok()
    }
}

/// Counts every HTTP attempt and logs it at debug level.
#[derive(Debug, Clone)]
pub(crate) struct CallCounter {
    pub calls: Arc<AtomicU64>,
    pub account: String,
    pub region: String,
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "YaguraCallCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_string(), m.name().to_string()))
            .unwrap_or_default();
        tracing::debug!(account = %self.account, region = %self.region, %service, %operation, "AWS API call");
        Ok(())
    }
}

/// Everything shared by the collection of one account.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub account: String,
    pub partition: String,
    pub sdk: SdkConfig,
    /// The region for global APIs (IAM, STS, S3 listing, DescribeRegions).
    pub home_region: String,
    pub limits: Arc<Limits>,
    pub calls: Arc<AtomicU64>,
}

impl Scope {
    /// A context for one region (`GLOBAL` for account-wide APIs, sent to the home region).
    pub(crate) fn region(&self, region: &str) -> Rc<'_> {
        let api_region = if region == GLOBAL {
            self.home_region.clone()
        } else {
            region.to_string()
        };
        Rc {
            scope: self,
            region: region.to_string(),
            api_region,
        }
    }

    /// The scope of another account of the same run (same partition, limits and
    /// call counter), reached with `sdk`'s credentials.
    pub(crate) fn for_account(&self, account: String, sdk: SdkConfig) -> Scope {
        Scope {
            account,
            partition: self.partition.clone(),
            sdk,
            home_region: self.home_region.clone(),
            limits: self.limits.clone(),
            calls: self.calls.clone(),
        }
    }

    /// Whether an endpoint override (`--endpoint-url`, `AWS_ENDPOINT_URL`) is in effect.
    pub(crate) fn endpoint_override(&self) -> Option<&str> {
        self.sdk.endpoint_url()
    }
}

/// Runs a paginated listing to its end under the service's concurrency limit and
/// yields every item (or the classified error):
/// `list_items!(rc, "ec2", "DescribeVpcs", ec2.describe_vpcs())`.
macro_rules! list_items {
    ($rc:expr, $service:literal, $operation:literal, $request:expr) => {
        $rc.call(
            $service,
            $operation,
            $request.into_paginator().items().send().try_collect(),
        )
    };
}
pub(crate) use list_items;

/// Like [`list_items!`], for listings whose paginator yields whole pages only.
macro_rules! list_pages {
    ($rc:expr, $service:literal, $operation:literal, $request:expr) => {
        $rc.call(
            $service,
            $operation,
            $request.into_paginator().send().try_collect(),
        )
    };
}
pub(crate) use list_pages;

/// Builds a service client for this region with the call counter attached.
macro_rules! client {
    ($fn_name:ident, $krate:ident) => {
        pub(crate) fn $fn_name(&self) -> $krate::Client {
            let conf = $krate::config::Builder::from(&self.scope.sdk)
                .region(Region::new(self.api_region.clone()))
                .interceptor(self.counter())
                .build();
            $krate::Client::from_conf(conf)
        }
    };
}

/// A region of one account.
#[derive(Debug, Clone)]
pub(crate) struct Rc<'a> {
    pub scope: &'a Scope,
    /// The region label on resources and targets (`GLOBAL` for account-wide ones).
    pub region: String,
    /// The region the clients talk to.
    pub api_region: String,
}

impl<'a> Rc<'a> {
    fn counter(&self) -> CallCounter {
        CallCounter {
            calls: self.scope.calls.clone(),
            account: self.scope.account.clone(),
            region: self.api_region.clone(),
        }
    }

    client!(sts, aws_sdk_sts);
    client!(ec2, aws_sdk_ec2);
    client!(iam, aws_sdk_iam);
    client!(kms, aws_sdk_kms);
    client!(cloudtrail, aws_sdk_cloudtrail);
    client!(config, aws_sdk_config);
    client!(rds, aws_sdk_rds);
    client!(efs, aws_sdk_efs);
    client!(accessanalyzer, aws_sdk_accessanalyzer);
    client!(logs, aws_sdk_cloudwatchlogs);
    client!(cloudwatch, aws_sdk_cloudwatch);
    client!(sns, aws_sdk_sns);
    client!(sqs, aws_sdk_sqs);
    client!(securityhub, aws_sdk_securityhub);
    client!(lambda, aws_sdk_lambda);
    client!(elbv2, aws_sdk_elasticloadbalancingv2);
    client!(ecr, aws_sdk_ecr);
    client!(eks, aws_sdk_eks);
    client!(dynamodb, aws_sdk_dynamodb);
    client!(secretsmanager, aws_sdk_secretsmanager);
    client!(organizations, aws_sdk_organizations);

    /// S3 with path-style addressing under an endpoint override: emulators and
    /// proxies cannot resolve `bucket.host` names.
    pub(crate) fn s3(&self) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.scope.sdk)
            .region(Region::new(self.api_region.clone()))
            .force_path_style(self.scope.endpoint_override().is_some())
            .interceptor(self.counter())
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    /// S3 Control puts the account id in the host name; under an endpoint override
    /// the URL is used as given instead, which is how emulators route it.
    pub(crate) fn s3control(&self) -> aws_sdk_s3control::Client {
        let mut b = aws_sdk_s3control::config::Builder::from(&self.scope.sdk)
            .region(Region::new(self.api_region.clone()))
            .interceptor(self.counter());
        if let Some(url) = self.scope.endpoint_override() {
            b = b.endpoint_resolver(StaticEndpoint(url.to_string()));
        }
        aws_sdk_s3control::Client::from_conf(b.build())
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    pub(crate) fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.scope.partition, self.api_region, self.scope.account
        )
    }

    /// A new resource of this account and region.
    pub(crate) fn resource(
        &self,
        kind: &str,
        id: impl Into<String>,
        name: impl Into<String>,
    ) -> Resource {
        let mut r = Resource::new(kind, id, name);
        r.account = Some(self.scope.account.clone());
        r.region = Some(self.region.clone());
        r.source = SourceKind::AwsApi;
        r
    }

    /// `aws:ACCOUNT:REGION:SERVICE`, the target of a service that could not be listed.
    pub(crate) fn target(&self, service: &str) -> String {
        format!("aws:{}:{}:{service}", self.scope.account, self.region)
    }

    /// Runs one SDK call (or a whole pagination) under the service's concurrency limit
    /// and classifies its error.
    pub(crate) async fn call<T, E, F>(
        &self,
        service: &'static str,
        operation: &'static str,
        fut: F,
    ) -> Result<T, ApiError>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let key = format!("{}/{}/{service}", self.scope.account, self.api_region);
        let _permit = self.scope.limits.acquire(key).await;
        fut.await.map_err(|e| {
            let err = ApiError::from_sdk(service, operation, &self.region, e);
            tracing::debug!(error = %err, "AWS API call failed");
            err
        })
    }
}

#[derive(Debug)]
struct StaticEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for StaticEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}

/// What one collector (a service in a region, or an account-wide part) produced.
#[derive(Debug, Default)]
pub(crate) struct Part {
    pub resources: Vec<Resource>,
    pub not_assessed: Vec<NotAssessedTarget>,
    /// Services whose inventory was listed completely by this part.
    pub complete: Vec<&'static str>,
    /// Services this part tried to list (to tell "failed" from "not attempted").
    pub attempted: Vec<&'static str>,
    /// Attributes for the account or region resource.
    pub settings: Map<String, Value>,
}

impl Part {
    /// Records that `service`'s inventory could not be listed in this region.
    pub(crate) fn service_failed(&mut self, rc: &Rc<'_>, err: &ApiError) {
        tracing::warn!(account = %rc.scope.account, region = %rc.region, call = %err.call(), "{}", err.describe());
        self.not_assessed.push(NotAssessedTarget {
            target: rc.target(err.service),
            reason: format!("{}: {}", err.call(), err.describe()),
        });
    }

    /// Records that one attribute of a resource could not be read (it stays absent).
    pub(crate) fn attr_failed(&mut self, resource_id: &str, attribute: &str, err: &ApiError) {
        tracing::info!(resource = %resource_id, call = %err.call(), "{}", err.describe());
        self.not_assessed.push(NotAssessedTarget {
            target: resource_id.to_string(),
            reason: format!(
                "`{attribute}` not observed: {} in {}: {}",
                err.call(),
                err.region,
                err.describe()
            ),
        });
    }

    /// Records an attribute that was returned but could not be understood.
    pub(crate) fn attr_invalid(&mut self, resource_id: &str, attribute: &str, why: &str) {
        tracing::info!(resource = %resource_id, attribute, "{why}");
        self.not_assessed.push(NotAssessedTarget {
            target: resource_id.to_string(),
            reason: format!("`{attribute}` not observed: {why}"),
        });
    }

    /// Marks a service as attempted, and complete when `ok`.
    pub(crate) fn mark(&mut self, service: &'static str, ok: bool) {
        self.attempted.push(service);
        if ok {
            self.complete.push(service);
        }
    }

    /// The part of a service whose inventory could not be listed at all.
    pub(crate) fn unlisted(rc: &Rc<'_>, service: &'static str, err: &ApiError) -> Part {
        let mut part = Part::default();
        part.service_failed(rc, err);
        part.mark(service, false);
        part
    }

    /// The parts of one service's listings (or sub-collectors) merged in order; any
    /// that failed is a not-assessed target and leaves the service incomplete.
    pub(crate) fn from_listings(
        rc: &Rc<'_>,
        service: &'static str,
        listings: impl IntoIterator<Item = Result<Part, ApiError>>,
    ) -> Part {
        let mut part = Part::default();
        let mut ok = true;
        for p in listings {
            match p {
                Ok(p) => part.merge(p),
                Err(e) => {
                    ok = false;
                    part.service_failed(rc, &e);
                }
            }
        }
        part.mark(service, ok);
        part
    }

    /// Runs collectors concurrently (one per listed item, say) and merges their
    /// parts in the order given, so the output does not depend on timing.
    pub(crate) async fn join<F>(collectors: impl IntoIterator<Item = F>) -> Part
    where
        F: Future<Output = Part>,
    {
        let mut part = Part::default();
        for p in join_all(collectors).await {
            part.merge(p);
        }
        part
    }

    /// Sets an attribute that its own call read, or records it as not observed.
    pub(crate) fn observe<E: Borrow<ApiError>>(
        &mut self,
        r: &mut Resource,
        attribute: &str,
        value: Result<Value, E>,
    ) {
        match value {
            Ok(v) => r.set(attribute, v),
            Err(e) => self.attr_failed(&r.id, attribute, e.borrow()),
        }
    }

    /// Like [`Part::observe`], for an attribute of the account or region resource `id`.
    pub(crate) fn observe_setting<E: Borrow<ApiError>>(
        &mut self,
        id: &str,
        attribute: &str,
        value: Result<Value, E>,
    ) {
        match value {
            Ok(v) => {
                self.settings.insert(attribute.into(), v);
            }
            Err(e) => self.attr_failed(id, attribute, e.borrow()),
        }
    }

    /// Sets a policy attribute from the document text as AWS returned it; text that
    /// does not parse leaves the attribute not observed.
    pub(crate) fn set_policy_text(&mut self, r: &mut Resource, attribute: &str, raw: &str) {
        match parse_policy(raw) {
            Ok(doc) => r.set(attribute, doc),
            Err(why) => self.attr_invalid(&r.id, attribute, &why),
        }
    }

    /// Like [`Part::set_policy_text`]; no document means `null` (no policy).
    pub(crate) fn set_policy(&mut self, r: &mut Resource, attribute: &str, raw: Option<&str>) {
        match raw {
            Some(raw) => self.set_policy_text(r, attribute, raw),
            None => r.set(attribute, Value::Null),
        }
    }

    /// Like [`Part::set_policy`], for a document read by its own call.
    pub(crate) fn observe_policy(
        &mut self,
        r: &mut Resource,
        attribute: &str,
        raw: Result<Option<String>, ApiError>,
    ) {
        match raw {
            Ok(raw) => self.set_policy(r, attribute, raw.as_deref()),
            Err(e) => self.attr_failed(&r.id, attribute, &e),
        }
    }

    pub(crate) fn merge(&mut self, other: Part) {
        self.resources.extend(other.resources);
        self.not_assessed.extend(other.not_assessed);
        self.complete.extend(other.complete);
        self.attempted.extend(other.attempted);
        self.settings.extend(other.settings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource() -> Resource {
        Resource::new("aws.test.thing", "arn:aws:test:us-east-1:1:thing/t", "t")
    }

    #[test]
    fn observed_attributes_and_their_failures() {
        let mut part = Part::default();
        let mut r = resource();
        part.observe(&mut r, "on", Ok::<_, ApiError>(json!(true)));
        let denied = ApiError::for_test("test", "GetThing", "AccessDenied");
        part.observe(&mut r, "off", Err(&denied));
        part.observe_setting("arn:acct", "setting", Ok::<_, ApiError>(json!(1)));
        part.observe_setting("arn:acct", "other", Err(denied.clone()));
        assert_eq!(r.attributes, json!({"on": true}));
        assert_eq!(part.settings.get("setting"), Some(&json!(1)));
        let targets: Vec<&str> = part
            .not_assessed
            .iter()
            .map(|t| t.target.as_str())
            .collect();
        assert_eq!(targets, [r.id.as_str(), "arn:acct"]);
        assert_eq!(
            part.not_assessed[0].reason,
            "`off` not observed: test:GetThing in us-east-1: access denied (AccessDenied: test)"
        );
    }

    #[test]
    fn policies_parse_or_stay_unobserved() {
        let mut part = Part::default();
        let mut r = resource();
        part.set_policy(&mut r, "none", None);
        part.set_policy(&mut r, "doc", Some(r#"{"Statement":[]}"#));
        part.set_policy_text(&mut r, "bad", "not a policy");
        part.observe_policy(&mut r, "read", Ok(Some("%7B%7D".into())));
        let denied = ApiError::for_test("test", "GetPolicy", "AccessDenied");
        part.observe_policy(&mut r, "denied", Err(denied));
        assert_eq!(
            r.attributes,
            json!({"none": null, "doc": {"Statement": []}, "read": {}})
        );
        let reasons: Vec<&str> = part
            .not_assessed
            .iter()
            .map(|t| t.reason.as_str())
            .collect();
        assert_eq!(reasons.len(), 2);
        assert!(
            reasons[0].starts_with("`bad` not observed: "),
            "{reasons:?}"
        );
        assert!(
            reasons[1].starts_with("`denied` not observed: test:GetPolicy"),
            "{reasons:?}"
        );
    }

    #[test]
    fn joined_parts_keep_their_order() {
        let parts = (0..5).map(|i| async move {
            let mut p = Part::default();
            p.resources.push(Resource::new("k", format!("id-{i}"), "n"));
            p
        });
        let part = futures::executor::block_on(Part::join(parts));
        let ids: Vec<&str> = part.resources.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["id-0", "id-1", "id-2", "id-3", "id-4"]);
    }
}
