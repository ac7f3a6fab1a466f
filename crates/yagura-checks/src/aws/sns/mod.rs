mod https_subscriptions;
mod topic_encrypted;
mod topic_not_public;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &topic_encrypted::CHECK,
    &topic_not_public::CHECK,
    &https_subscriptions::CHECK,
];
