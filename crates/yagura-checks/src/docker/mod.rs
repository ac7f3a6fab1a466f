//! Dockerfile checks, one file per check.

pub(crate) static CHECKS: &[&[&crate::Check]] = &[];
