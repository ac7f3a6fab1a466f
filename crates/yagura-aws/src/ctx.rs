//! The scan context: one [`Scope`] per account (credentials, limits, call counter),
//! and a [`Rc`] per region that builds clients, throttles calls and names targets.

use crate::error::ApiError;
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
use serde_json::{Map, Value};
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

    /// Whether an endpoint override (`--endpoint-url`, `AWS_ENDPOINT_URL`) is in effect.
    pub(crate) fn endpoint_override(&self) -> Option<&str> {
        self.sdk.endpoint_url()
    }
}

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

    pub(crate) fn merge(&mut self, other: Part) {
        self.resources.extend(other.resources);
        self.not_assessed.extend(other.not_assessed);
        self.complete.extend(other.complete);
        self.attempted.extend(other.attempted);
        self.settings.extend(other.settings);
    }
}
