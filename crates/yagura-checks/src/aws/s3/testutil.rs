//! Test helper for the checks in this area: evaluate one check on a fixture text.

use crate::tests::{fixture_inventory, fixture_now};
use crate::{Check, Ctx};
use yagura_model::Outcome;

pub(crate) fn run(check: &Check, text: &str) -> Outcome {
    let (inv, id) = fixture_inventory(check, text);
    let ctx = Ctx {
        inventory: &inv,
        now: fixture_now(),
    };
    match inv.get(&id) {
        Some(r) => check.evaluate(r, &ctx),
        None => Outcome::NotAssessed("fixture subject missing".into()),
    }
}
