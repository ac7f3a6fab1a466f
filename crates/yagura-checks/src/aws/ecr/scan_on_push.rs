use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ECR-001",
    title: "ECR repository scans images on push",
    severity: Severity::Medium,
    kind: "aws.ecr.repository",
    rationale: "Scanning each image when it is pushed reports known vulnerabilities in its \
        operating-system packages before the image is deployed, so vulnerable images can be \
        caught in the pipeline instead of in production.",
    remediation: "Enable scan on push (`aws ecr put-image-scanning-configuration \
        --repository-name NAME --image-scanning-configuration scanOnPush=true`), or configure \
        registry-level enhanced scanning with Amazon Inspector for continuous scanning.",
    frameworks: &["nist-800-53-r5:RA-5", "nist-800-53-r5:SI-2"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"repository_name": "app", "scan_on_push": true}"#],
        fail: &[r#"{"repository_name": "app", "scan_on_push": false}"#],
    },
    notes: "Registry-level enhanced scanning (Amazon Inspector) is configured outside the \
        repository and is not yet collected; repositories covered only by it fail this check.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "scan_on_push",
        true,
        "images are scanned for vulnerabilities when pushed",
        "scan on push is disabled",
    )
}
