mod age;
mod rotated_recently;
mod rotation_enabled;
mod unused;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &rotation_enabled::CHECK,
    &rotated_recently::CHECK,
    &unused::CHECK,
];
