mod file_system_backup;
mod file_system_encrypted;

pub(crate) static CHECKS: &[&crate::Check] =
    &[&file_system_encrypted::CHECK, &file_system_backup::CHECK];
