mod table_deletion_protection;
mod table_kms_encryption;
mod table_pitr;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &table_pitr::CHECK,
    &table_deletion_protection::CHECK,
    &table_kms_encryption::CHECK,
];
