//! Dockerfile checks, one file per check.

pub mod dockerfile;

pub(crate) static CHECKS: &[&[&crate::Check]] = &[dockerfile::CHECKS];
