use crate::util::flag_must_be;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EKS-002",
    title: "EKS cluster encrypts Kubernetes secrets with a KMS key",
    severity: Severity::Medium,
    kind: "aws.eks.cluster",
    rationale: "Envelope encryption of Kubernetes Secrets with a customer-controlled KMS key \
        adds a layer beyond etcd's disk encryption: reading secret values then also needs \
        permission on the key, which can be audited and revoked.",
    remediation: "Associate a KMS key for secrets encryption: `aws eks \
        associate-encryption-config --cluster-name NAME --encryption-config \
        'resources=secrets,provider={keyArn=KEY_ARN}'` (it cannot be removed afterwards).",
    frameworks: &[
        "nist-800-53-r5:SC-28",
        "nist-800-53-r5:SC-12",
        "pci-dss-4.0:3.5.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"cluster_name": "c", "secrets_encryption": true}"#],
        fail: &[r#"{"cluster_name": "c", "secrets_encryption": false}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    flag_must_be(
        r,
        "secrets_encryption",
        true,
        "Kubernetes secrets are envelope-encrypted with a KMS key",
        "secrets encryption with a KMS key is not configured",
    )
}
