//! AWS checks, one folder per service, one file per check.

pub mod account;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod dynamodb;
pub mod ec2;
pub mod ecr;
pub mod efs;
pub mod eks;
pub mod elbv2;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod sns;
pub mod sqs;

pub(crate) static CHECKS: &[&[&crate::Check]] = &[
    account::CHECKS,
    cloudtrail::CHECKS,
    cloudwatch::CHECKS,
    dynamodb::CHECKS,
    ec2::CHECKS,
    ecr::CHECKS,
    efs::CHECKS,
    eks::CHECKS,
    elbv2::CHECKS,
    iam::CHECKS,
    kms::CHECKS,
    lambda::CHECKS,
    logs::CHECKS,
    rds::CHECKS,
    s3::CHECKS,
    secretsmanager::CHECKS,
    sns::CHECKS,
    sqs::CHECKS,
];
