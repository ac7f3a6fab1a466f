//! Errors: the public [`AwsError`], and the internal [`ApiError`] that classifies a
//! failed SDK call so the collector can turn it into a not-assessed target.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::fmt;

/// A failure that stops a collection or a fix. Everything that only hides part of
/// an account becomes a not-assessed target instead.
#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("no AWS credentials could be loaded{}: {reason}", profile_suffix(.profile))]
    NoCredentials {
        profile: Option<String>,
        reason: String,
    },
    #[error("{service}:{operation} failed in {region}: {detail}")]
    Api {
        service: String,
        operation: String,
        region: String,
        detail: String,
    },
    #[error("cannot apply fix: {0}")]
    Fix(String),
}

fn profile_suffix(p: &Option<String>) -> String {
    p.as_ref()
        .map(|p| format!(" for profile `{p}`"))
        .unwrap_or_default()
}

impl From<ApiError> for AwsError {
    fn from(e: ApiError) -> Self {
        AwsError::Api {
            service: e.service.to_string(),
            operation: e.operation.to_string(),
            region: e.region.clone(),
            detail: e.describe(),
        }
    }
}

/// Why a call failed, as far as it matters for reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// The credentials may not call this API (IAM, SCP, disabled region).
    Denied,
    /// The account has not opted in to the service or region.
    OptIn,
    /// The endpoint does not implement the API (an emulator, a partition without it).
    Unsupported,
    /// Anything else: throttling after retries, network, server errors.
    Other,
}

/// One failed API call, classified.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub service: &'static str,
    pub operation: &'static str,
    pub region: String,
    pub code: Option<String>,
    pub kind: FailureKind,
    detail: String,
}

const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "UnauthorizedException",
    "AuthorizationError",
    "AuthorizationErrorException",
    "AuthFailure",
    "Forbidden",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SubscriptionRequiredException",
];

const UNSUPPORTED: &[&str] = &[
    "NotImplemented",
    "NotImplementedException",
    "InvalidAction",
    "UnknownOperationException",
    "UnsupportedOperation",
    "UnsupportedOperationException",
    "NotYetImplemented",
];

impl ApiError {
    pub(crate) fn from_sdk<E>(
        service: &'static str,
        operation: &'static str,
        region: &str,
        err: SdkError<E, HttpResponse>,
    ) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let code = err.code().map(str::to_string);
        let message = err.message().map(str::to_string);
        let status = err.raw_response().map(|r| r.status().as_u16());
        let kind = classify(code.as_deref(), message.as_deref(), status);
        let detail = match (&code, &message, status) {
            (Some(c), Some(m), _) => format!("{c}: {m}"),
            (Some(c), None, _) => c.clone(),
            (None, _, Some(s)) => {
                format!("HTTP {s} without an AWS error code: {}", source_chain(&err))
            }
            (None, _, None) => DisplayErrorContext(&err).to_string(),
        };
        ApiError {
            service,
            operation,
            region: region.to_string(),
            code,
            kind,
            detail,
        }
    }

    /// Whether the service answered with this error code.
    pub(crate) fn is(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }

    /// `s3:GetBucketPolicy`.
    pub(crate) fn call(&self) -> String {
        format!("{}:{}", self.service, self.operation)
    }

    /// A human reason: what kind of failure, and what the service said.
    pub(crate) fn describe(&self) -> String {
        let what = match self.kind {
            FailureKind::Denied => "access denied",
            FailureKind::OptIn => "the account is not subscribed (opt-in required)",
            FailureKind::Unsupported => "not supported by the endpoint",
            FailureKind::Other => "failed",
        };
        format!("{what} ({})", self.detail)
    }
}

#[cfg(test)]
impl ApiError {
    /// A denied call answered with `code`, for unit tests.
    pub(crate) fn for_test(service: &'static str, operation: &'static str, code: &str) -> Self {
        ApiError {
            service,
            operation,
            region: "us-east-1".into(),
            code: Some(code.into()),
            kind: FailureKind::Denied,
            detail: format!("{code}: test"),
        }
    }
}

/// For calls that answer "there is none" (no bucket policy, no tag set, …) with an
/// error code rather than an empty result.
pub(crate) trait Absent<T> {
    /// Reads the error `code` as the observed value `none`.
    fn absent_as(self, code: &str, none: T) -> Result<T, ApiError>;
}

impl<T> Absent<T> for Result<T, ApiError> {
    fn absent_as(self, code: &str, none: T) -> Result<T, ApiError> {
        match self {
            Err(e) if e.is(code) => Ok(none),
            other => other,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in {}: {}", self.call(), self.region, self.describe())
    }
}

/// The error's causes, without the raw response dump the SDK's own Display adds,
/// cut to a readable length.
fn source_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut cur = err.source();
    while let Some(e) = cur {
        parts.push(e.to_string());
        cur = e.source();
    }
    let mut s = parts.join(": ");
    if s.chars().count() > 300 {
        s = s.chars().take(300).collect::<String>() + "…";
    }
    s
}

pub(crate) fn classify(
    code: Option<&str>,
    message: Option<&str>,
    status: Option<u16>,
) -> FailureKind {
    let msg = message.unwrap_or("").to_ascii_lowercase();
    match code {
        Some("OptInRequired") => FailureKind::OptIn,
        Some(c) if DENIED.contains(&c) => FailureKind::Denied,
        Some(c) if UNSUPPORTED.contains(&c) => FailureKind::Unsupported,
        _ if msg.contains("not yet implemented") || msg.contains("not been implemented") => {
            FailureKind::Unsupported
        }
        _ if status == Some(501) => FailureKind::Unsupported,
        // A bare 404/405/500 with no AWS error code is what an emulator answers for an
        // API it lacks; AWS itself always names the error.
        None if matches!(status, Some(404 | 405 | 500)) => FailureKind::Unsupported,
        None if status == Some(403) => FailureKind::Denied,
        _ => FailureKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(
            classify(Some("AccessDenied"), None, Some(403)),
            FailureKind::Denied
        );
        assert_eq!(
            classify(Some("UnauthorizedOperation"), None, Some(403)),
            FailureKind::Denied
        );
        assert_eq!(
            classify(Some("OptInRequired"), None, Some(401)),
            FailureKind::OptIn
        );
        assert_eq!(
            classify(
                Some("InternalFailure"),
                Some("The action X has not been implemented"),
                Some(500)
            ),
            FailureKind::Unsupported
        );
        assert_eq!(classify(None, None, Some(500)), FailureKind::Unsupported);
        assert_eq!(classify(None, None, Some(501)), FailureKind::Unsupported);
        assert_eq!(
            classify(Some("Throttling"), None, Some(400)),
            FailureKind::Other
        );
        assert_eq!(
            classify(Some("NoSuchEntity"), None, Some(404)),
            FailureKind::Other
        );
        assert_eq!(classify(None, None, None), FailureKind::Other);
    }

    #[test]
    fn absent_codes_become_values() {
        let missing: Result<i32, ApiError> = Err(ApiError::for_test("s3", "GetX", "NoSuchX"));
        assert_eq!(missing.absent_as("NoSuchX", 0).unwrap(), 0);
        let denied: Result<i32, ApiError> = Err(ApiError::for_test("s3", "GetX", "AccessDenied"));
        assert!(denied
            .absent_as("NoSuchX", 0)
            .unwrap_err()
            .is("AccessDenied"));
        assert_eq!(Ok::<i32, ApiError>(7).absent_as("NoSuchX", 0).unwrap(), 7);
    }
}
