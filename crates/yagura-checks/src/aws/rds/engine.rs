//! RDS engine families: some settings live on the cluster, not the instance.

use yagura_model::{Outcome, Resource};

/// Engines whose instances belong to a cluster that owns storage, backups,
/// deletion protection and failover (Aurora, and DocumentDB and Neptune, which
/// DescribeDBInstances also lists).
pub(super) fn is_cluster_engine(engine: &str) -> bool {
    let e = engine.to_ascii_lowercase();
    e.starts_with("aurora") || e == "docdb" || e == "neptune"
}

/// `Err(NotAssessed)` when the instance's engine keeps `setting` at cluster level,
/// which yagura does not model yet; `Err(Missing)` outcome when the engine is unknown.
pub(super) fn require_instance_level(r: &Resource, setting: &str) -> Result<(), Outcome> {
    match r.attr("engine").str() {
        Ok(Some(e)) if is_cluster_engine(e) => Err(Outcome::NotAssessed(format!(
            "{setting} of a {e} instance is a property of its DB cluster, which is not collected"
        ))),
        Ok(_) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
