//! Dockerfile checks over the `docker.dockerfile` resource, one file per check.

mod add_instead_of_copy;
mod add_remote_url;
mod apk_unpinned;
mod apt_hygiene;
mod apt_unpinned;
mod base_image_digest;
mod base_image_latest;
mod common;
mod curl_pipe_shell;
mod expose_ssh;
mod healthcheck;
mod mode;
mod os_upgrade;
mod pip_unpinned;
mod pkg;
mod root_user;
mod secrets_in_env_arg;
mod setuid_bits;
mod shell;
mod sudo;
mod tls_verification_off;
mod unsigned_packages;
mod update_alone;
mod world_writable;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &root_user::CHECK,
    &add_remote_url::CHECK,
    &add_instead_of_copy::CHECK,
    &base_image_latest::CHECK,
    &base_image_digest::CHECK,
    &curl_pipe_shell::CHECK,
    &secrets_in_env_arg::CHECK,
    &healthcheck::CHECK,
    &apt_unpinned::CHECK,
    &apk_unpinned::CHECK,
    &pip_unpinned::CHECK,
    &sudo::CHECK,
    &apt_hygiene::CHECK,
    &os_upgrade::CHECK,
    &expose_ssh::CHECK,
    &world_writable::CHECK,
    &update_alone::CHECK,
    &setuid_bits::CHECK,
    &tls_verification_off::CHECK,
    &unsigned_packages::CHECK,
];
