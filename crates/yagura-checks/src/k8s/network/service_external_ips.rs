use super::common::service_type;
use crate::k8s::rbac::common::{describe, field, str_list};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-006",
    title: "Service does not set externalIPs",
    severity: Severity::Medium,
    kind: "k8s.core.service",
    rationale: "kube-proxy routes traffic for a Service's externalIPs on every node without \
        checking who owns those addresses. A Service can claim an IP used by another \
        service or an external system and intercept its traffic (CVE-2020-8554), and the \
        addresses bypass load balancer controls.",
    remediation: "Remove `spec.externalIPs` and expose the Service through a LoadBalancer or \
        an Ingress; block the field cluster-wide with the DenyServiceExternalIPs admission \
        plugin or a policy engine.",
    frameworks: &["nsa-cisa-k8s-1.2:net-exposure"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"type": "ClusterIP", "ports": [{"port": 80}]}}"#,
        ],
        fail: &[
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"ports": [{"port": 80}], "externalIPs": ["198.51.100.7"]}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    // Validates that the document is a Service manifest.
    if let Err(o) = service_type(r) {
        return o;
    }
    let who = describe(r);
    let ips = match field(r, "/spec/externalIPs") {
        Ok(v) => str_list(v),
        Err(o) => return o,
    };
    if ips.is_empty() {
        Outcome::Pass(format!("{who} sets no externalIPs"))
    } else {
        Outcome::Fail(format!("{who} claims externalIPs {}", ips.join(", ")))
    }
}
