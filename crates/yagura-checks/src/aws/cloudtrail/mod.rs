mod bucket_access_logging;
mod bucket_not_public;
mod cloudwatch_integration;
mod kms_encryption;
mod log_file_validation;
mod multi_region_trail;
mod s3_data_events;
mod s3_read_events;
mod s3_write_events;
mod trail_logging;
pub(crate) mod trails;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &multi_region_trail::CHECK,
    &log_file_validation::CHECK,
    &bucket_access_logging::CHECK,
    &kms_encryption::CHECK,
    &s3_write_events::CHECK,
    &s3_read_events::CHECK,
    &cloudwatch_integration::CHECK,
    &bucket_not_public::CHECK,
    &trail_logging::CHECK,
];
