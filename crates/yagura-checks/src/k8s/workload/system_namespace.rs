use super::pod::namespace;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

const SYSTEM: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

pub static CHECK: Check = Check {
    code: "K8S-POD-033",
    title: "Application workloads are not placed in system namespaces",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "kube-system holds the cluster's own components and highly privileged service \
        accounts and secrets; many policies exempt it. An application placed there inherits \
        that trust, and anyone allowed to deploy it can reach the control plane's credentials.",
    remediation: "Deploy application workloads to their own namespaces; reserve kube-system, \
        kube-public and kube-node-lease for cluster components managed by the platform team.",
    frameworks: &[
        "nsa-cisa-k8s-1.2:net-namespaces",
        "cis-kubernetes-1.9:5.7.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"metadata": {"name": "web", "namespace": "shop"}}"#],
        fail: &[r#"{"metadata": {"name": "web", "namespace": "kube-system"}}"#],
    },
    notes: "Cluster add-ons that belong in kube-system can be exempted with the \
        `yagura.io/ignore` annotation.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match namespace(r) {
        Ok(ns) if SYSTEM.contains(&ns) => {
            Outcome::Fail(format!("the workload is placed in system namespace {ns}"))
        }
        Ok(ns) => Outcome::Pass(format!("the workload is placed in namespace {ns}")),
        Err(o) => o,
    }
}
