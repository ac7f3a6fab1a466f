use super::pod::namespace;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-032",
    title: "Workloads are not placed in the default namespace",
    severity: Severity::Low,
    kind: "k8s.workload",
    rationale: "The default namespace collects everything nobody thought to place elsewhere. \
        Workloads there share RBAC grants, network policies, quotas and the default service \
        account with unrelated objects, so namespace-based isolation does not protect them.",
    remediation: "Create a namespace per application or team, apply its RBAC, quotas and \
        network policies, and set `metadata.namespace` to it.",
    frameworks: &[
        "cis-kubernetes-1.9:5.7.4",
        "nsa-cisa-k8s-1.2:net-namespaces",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"metadata": {"name": "web", "namespace": "shop"}}"#],
        fail: &[r#"{"metadata": {"name": "web", "namespace": "default"}}"#],
    },
    notes: "A manifest without `metadata.namespace` is NOT_ASSESSED: its namespace is chosen \
        when it is applied (`kubectl -n`, Helm, Kustomize).",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match namespace(r) {
        Ok("default") => Outcome::Fail("the workload is placed in the default namespace".into()),
        Ok(ns) => Outcome::Pass(format!("the workload is placed in namespace {ns}")),
        Err(o) => o,
    }
}
