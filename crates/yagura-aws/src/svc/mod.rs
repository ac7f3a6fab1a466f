//! Regional services, one module each. Every `collect` returns a [`crate::ctx::Part`]
//! and marks its service complete only when its listing calls all succeeded.

pub(crate) mod cloudtrail;
pub(crate) mod dynamodb;
pub(crate) mod ecr;
pub(crate) mod efs;
pub(crate) mod eks;
pub(crate) mod elbv2;
pub(crate) mod kms;
pub(crate) mod lambda;
pub(crate) mod logs;
pub(crate) mod rds;
pub(crate) mod secretsmanager;
pub(crate) mod sns;
pub(crate) mod sqs;
