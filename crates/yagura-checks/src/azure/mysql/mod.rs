//! Azure Database for MySQL checks (`azure.mysql.server`, single and flexible).

mod ssl_enforced;
mod tls_12;

pub(crate) static CHECKS: &[&crate::Check] = &[&ssl_enforced::CHECK, &tls_12::CHECK];
