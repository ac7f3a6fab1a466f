//! Cloud SQL instance checks (`gcp.sql.instance`).

mod authorized_networks;
mod backups;
mod mysql_local_infile;
mod mysql_skip_show_database;
mod no_public_ip;
mod postgres_log_connections;
mod postgres_log_disconnections;
mod postgres_pgaudit;
mod require_ssl;
mod sqlserver_contained_db_auth;
mod sqlserver_cross_db_chaining;
mod sqlserver_external_scripts;
mod sqlserver_remote_access;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &require_ssl::CHECK,
    &authorized_networks::CHECK,
    &no_public_ip::CHECK,
    &backups::CHECK,
    &postgres_log_connections::CHECK,
    &postgres_log_disconnections::CHECK,
    &mysql_local_infile::CHECK,
    &sqlserver_cross_db_chaining::CHECK,
    &mysql_skip_show_database::CHECK,
    &postgres_pgaudit::CHECK,
    &sqlserver_external_scripts::CHECK,
    &sqlserver_remote_access::CHECK,
    &sqlserver_contained_db_auth::CHECK,
];

use serde_json::Value;
use yagura_model::iac::unknown_reason;
use yagura_model::{Outcome, Resource};

/// A database-flag check: on instances of `engine` the flag `name` must have one of
/// `good` values (compared case-insensitively); an unset flag has the engine's
/// `default`. Other engines pass as not applicable.
pub(crate) fn flag_check(
    r: &Resource,
    engine: &str,
    name: &str,
    good: &[&str],
    default: &str,
) -> Outcome {
    match r.attr("engine").str() {
        Ok(Some(e)) if e == engine => {}
        Ok(Some(e)) => {
            return Outcome::Pass(format!(
                "not applicable: the instance runs {e}, not {engine}"
            ))
        }
        Ok(None) => return Outcome::NotAssessed("the database engine is not known".into()),
        Err(e) => return e.into(),
    }
    let flags = match r.attr("database_flags").value() {
        Ok(Value::Object(m)) => m,
        Ok(Value::Null) => &serde_json::Map::new(),
        Ok(_) => return Outcome::NotAssessed("`database_flags` is not an object".into()),
        Err(e) => return e.into(),
    };
    let (value, set) = match flags.get(name) {
        Some(Value::String(s)) => (s.as_str(), true),
        Some(v) => {
            return Outcome::NotAssessed(match unknown_reason(v) {
                Some(expr) => format!("flag {name} is unknown until apply (`{expr}`)"),
                None => format!("flag {name} has an unreadable value"),
            })
        }
        None => (default, false),
    };
    let shown = if set {
        format!("flag {name} is {value}")
    } else {
        format!("flag {name} is not set (default {default})")
    };
    if good.iter().any(|g| g.eq_ignore_ascii_case(value)) {
        Outcome::Pass(shown)
    } else {
        Outcome::Fail(shown)
    }
}
