mod function_not_public;
mod function_supported_runtime;
mod function_url_auth;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &function_not_public::CHECK,
    &function_supported_runtime::CHECK,
    &function_url_auth::CHECK,
];
