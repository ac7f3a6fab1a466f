mod access_analyzer;
mod config_global_resources;
mod config_recorder;
mod ebs_default_encryption;
mod security_hub;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &ebs_default_encryption::CHECK,
    &config_recorder::CHECK,
    &access_analyzer::CHECK,
    &security_hub::CHECK,
    &config_global_resources::CHECK,
];
