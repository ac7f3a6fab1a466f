mod lifecycle_policy;
mod repository_not_public;
mod scan_on_push;
mod tag_immutability;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &scan_on_push::CHECK,
    &tag_immutability::CHECK,
    &lifecycle_policy::CHECK,
    &repository_not_public::CHECK,
];
