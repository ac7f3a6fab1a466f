use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-007",
    title: "RDS DB instance has IAM database authentication enabled",
    severity: Severity::Medium,
    kind: "aws.rds.db_instance",
    rationale: "IAM database authentication lets applications and people log in with \
        short-lived tokens issued to IAM identities instead of long-lived database passwords \
        that end up in configuration files, and centralizes revocation in IAM.",
    remediation: "Enable it (`aws rds modify-db-instance --db-instance-identifier ID \
        --enable-iam-database-authentication --apply-immediately`), create database users \
        mapped to IAM, and grant `rds-db:connect` to the roles that need access.",
    frameworks: &[
        "nist-800-53-r5:IA-2",
        "nist-800-53-r5:IA-5",
        "nist-800-53-r5:AC-2",
        "pci-dss-4.0:8.6.3",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"db_instance_id": "db1", "engine": "postgres", "iam_auth": true}"#,
            r#"{"db_instance_id": "db1", "engine": "sqlserver-se", "iam_auth": false}"#,
        ],
        fail: &[r#"{"db_instance_id": "db1", "engine": "mysql", "iam_auth": false}"#],
    },
    notes: "",
};

/// Engines that support IAM database authentication.
fn supports_iam_auth(engine: &str) -> bool {
    matches!(
        engine.to_ascii_lowercase().as_str(),
        "mysql" | "mariadb" | "postgres" | "aurora" | "aurora-mysql" | "aurora-postgresql"
    )
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let engine = match r.attr("engine").str() {
        Ok(Some(e)) => e,
        Ok(None) => return Outcome::NotAssessed("the instance's engine is not known".into()),
        Err(e) => return e.into(),
    };
    if !supports_iam_auth(engine) {
        return Outcome::Pass(format!(
            "not applicable: the {engine} engine does not support IAM database authentication"
        ));
    }
    flag_must_be(
        r,
        "iam_auth",
        true,
        "IAM database authentication is enabled",
        format!("IAM database authentication is disabled on this {engine} instance"),
    )
}
