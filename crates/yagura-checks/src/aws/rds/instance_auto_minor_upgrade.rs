use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-002",
    title: "RDS DB instance applies minor engine upgrades automatically",
    severity: Severity::Low,
    kind: "aws.rds.db_instance",
    rationale: "Minor engine versions carry security fixes. With automatic minor version \
        upgrades, RDS installs them in the maintenance window instead of leaving the database on \
        a version with known vulnerabilities until someone schedules the work.",
    remediation: "Enable it: `aws rds modify-db-instance --db-instance-identifier ID \
        --auto-minor-version-upgrade --apply-immediately`, and pick a maintenance window that \
        suits the workload.",
    frameworks: &[
        "cis-aws-3.0:2.3.2",
        "nist-800-53-r5:SI-2",
        "pci-dss-4.0:6.3.3",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"db_instance_id": "db1", "engine": "postgres", "engine_version": "16.4", "auto_minor_version_upgrade": true}"#,
        ],
        fail: &[
            r#"{"db_instance_id": "db1", "engine": "postgres", "engine_version": "16.1", "auto_minor_version_upgrade": false}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let version = r
        .attr("engine_version")
        .str()
        .ok()
        .flatten()
        .unwrap_or("unknown");
    flag_must_be(
        r,
        "auto_minor_version_upgrade",
        true,
        "automatic minor version upgrades are enabled",
        format!("automatic minor version upgrades are disabled (engine version {version})"),
    )
}
