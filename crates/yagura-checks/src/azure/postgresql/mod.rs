//! Azure Database for PostgreSQL checks (`azure.postgresql.server`, single and flexible).

mod public_network_access_disabled;
mod ssl_enforced;

pub(crate) static CHECKS: &[&crate::Check] =
    &[&ssl_enforced::CHECK, &public_network_access_disabled::CHECK];
