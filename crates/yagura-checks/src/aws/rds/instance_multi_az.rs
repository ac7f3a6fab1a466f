use super::engine::require_instance_level;
use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-RDS-004",
    title: "RDS DB instance is deployed across multiple Availability Zones",
    severity: Severity::Low,
    kind: "aws.rds.db_instance",
    rationale: "A Multi-AZ deployment keeps a synchronous standby in another Availability Zone \
        and fails over automatically, so an AZ outage or a host failure does not take the \
        database, and everything depending on it, down.",
    remediation: "Convert the instance: `aws rds modify-db-instance --db-instance-identifier ID \
        --multi-az` (applied in the maintenance window unless `--apply-immediately`).",
    frameworks: &["nist-800-53-r5:CP-10", "nist-800-53-r5:SC-5"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"db_instance_id": "db1", "engine": "postgres", "multi_az": true}"#],
        fail: &[r#"{"db_instance_id": "db1", "engine": "postgres", "multi_az": false}"#],
    },
    notes: "Aurora, DocumentDB and Neptune instances are NOT_ASSESSED: their availability comes \
        from cluster replicas, which are not collected yet.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = require_instance_level(r, "Multi-AZ") {
        return o;
    }
    flag_must_be(
        r,
        "multi_az",
        true,
        "the instance is a Multi-AZ deployment",
        "the instance runs in a single Availability Zone",
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::aws::s3::testutil::run;
    use yagura_model::Outcome;

    #[test]
    fn aurora_instances_are_not_assessed() {
        let o = run(
            &CHECK,
            r#"{"engine": "aurora-postgresql", "multi_az": false}"#,
        );
        assert!(matches!(o, Outcome::NotAssessed(_)), "{o:?}");
    }
}
