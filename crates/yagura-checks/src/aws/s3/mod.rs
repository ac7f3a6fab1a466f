mod bucket_access_logging;
mod bucket_acls_disabled;
mod bucket_block_public_access;
mod bucket_default_encryption;
mod bucket_deny_insecure_transport;
mod bucket_kms_encryption;
mod bucket_lifecycle;
mod bucket_mfa_delete;
mod bucket_no_public_read;
mod bucket_no_public_write;
mod bucket_versioning;
/// Resource-policy helpers also used by the Lambda, SNS, SQS and ECR checks.
pub(crate) mod policy;
#[cfg(test)]
pub(crate) mod testutil;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &bucket_block_public_access::CHECK,
    &bucket_deny_insecure_transport::CHECK,
    &bucket_no_public_read::CHECK,
    &bucket_no_public_write::CHECK,
    &bucket_default_encryption::CHECK,
    &bucket_access_logging::CHECK,
    &bucket_acls_disabled::CHECK,
    &bucket_lifecycle::CHECK,
    &bucket_versioning::CHECK,
    &bucket_mfa_delete::CHECK,
    &bucket_kms_encryption::CHECK,
];
