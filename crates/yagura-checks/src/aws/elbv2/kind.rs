//! Load balancer types: several settings exist only on Application Load Balancers.

use yagura_model::{Outcome, Resource};

/// `Ok(())` for an Application Load Balancer, a "not applicable" pass for other
/// types, NOT_ASSESSED when the type was not observed.
pub(super) fn require_application(r: &Resource, setting: &str) -> Result<(), Outcome> {
    match r.attr("type").str() {
        Ok(Some("application")) => Ok(()),
        Ok(Some(other)) => Err(Outcome::Pass(format!(
            "not applicable: {setting} is an Application Load Balancer setting and this is a {other} load balancer"
        ))),
        Ok(None) => Err(Outcome::NotAssessed("the load balancer type is not known".into())),
        Err(e) => Err(e.into()),
    }
}
