mod key_pending_deletion;
mod key_policy_public;
mod key_rotation;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &key_rotation::CHECK,
    &key_pending_deletion::CHECK,
    &key_policy_public::CHECK,
];
