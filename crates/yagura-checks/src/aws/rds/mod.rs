mod engine;
mod instance_auto_minor_upgrade;
mod instance_backup_retention;
mod instance_deletion_protection;
mod instance_encrypted;
mod instance_enhanced_monitoring;
mod instance_iam_auth;
mod instance_multi_az;
mod instance_not_public;
mod snapshot_encrypted;
mod snapshot_not_public;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &instance_encrypted::CHECK,
    &instance_auto_minor_upgrade::CHECK,
    &instance_not_public::CHECK,
    &instance_multi_az::CHECK,
    &instance_deletion_protection::CHECK,
    &instance_backup_retention::CHECK,
    &instance_iam_auth::CHECK,
    &snapshot_not_public::CHECK,
    &snapshot_encrypted::CHECK,
    &instance_enhanced_monitoring::CHECK,
];
