use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EKS-003",
    title: "EKS cluster sends control-plane audit logs to CloudWatch",
    severity: Severity::Medium,
    kind: "aws.eks.cluster",
    rationale: "The Kubernetes audit log records who did what through the API server: reading \
        secrets, creating pods, changing RBAC. Without it there is no record to detect or \
        investigate misuse of the cluster, because EKS does not keep these logs otherwise.",
    remediation: "Enable at least the audit log type (api and authenticator are also \
        recommended): `aws eks update-cluster-config --name NAME --logging \
        '{\"clusterLogging\":[{\"types\":[\"api\",\"audit\",\"authenticator\"],\"enabled\":true}]}'`.",
    frameworks: &[
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-3",
        "nist-800-53-r5:AU-12",
        "pci-dss-4.0:10.2.1",
        "pci-dss-4.0:10.2.1.2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"cluster_name": "c", "logging_enabled": ["api", "audit", "authenticator"]}"#],
        fail: &[
            r#"{"cluster_name": "c", "logging_enabled": ["api"]}"#,
            r#"{"cluster_name": "c", "logging_enabled": []}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let types: Vec<&str> = match r.attr("logging_enabled").array() {
        Ok(a) => a.iter().filter_map(Value::as_str).collect(),
        Err(e) => return e.into(),
    };
    if types.contains(&"audit") {
        Outcome::Pass(format!(
            "control-plane logging is enabled for: {}",
            types.join(", ")
        ))
    } else if types.is_empty() {
        Outcome::Fail("no control-plane log type is enabled".into())
    } else {
        Outcome::Fail(format!(
            "the audit log type is not enabled (enabled: {})",
            types.join(", ")
        ))
    }
}
