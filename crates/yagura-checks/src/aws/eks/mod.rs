mod audit_logging;
mod endpoint_not_public;
mod secrets_encryption;
mod supported_version;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &endpoint_not_public::CHECK,
    &secrets_encryption::CHECK,
    &audit_logging::CHECK,
    &supported_version::CHECK,
];
