mod access_logs;
mod deletion_protection;
mod desync_mitigation;
mod drop_invalid_headers;
mod http_redirects_to_https;
mod kind;
mod tls_policy;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &http_redirects_to_https::CHECK,
    &drop_invalid_headers::CHECK,
    &access_logs::CHECK,
    &deletion_protection::CHECK,
    &desync_mitigation::CHECK,
    &tls_policy::CHECK,
];
