use super::common::{service_type, INTERNAL_LB_ANNOTATIONS};
use crate::k8s::rbac::common::{annotation, describe, field, str_list};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-005",
    title: "LoadBalancer Service is internal or restricted to source ranges",
    severity: Severity::High,
    kind: "k8s.core.service",
    rationale: "A LoadBalancer Service asks the cloud for a load balancer that, by default, \
        is public and accepts connections from the whole internet. Internal tools, \
        databases and admin endpoints exposed this way are found by scanners within minutes.",
    remediation: "Set `spec.loadBalancerSourceRanges` to the client CIDRs that need access, \
        or make the load balancer internal with your cloud's annotation (for example \
        `service.beta.kubernetes.io/aws-load-balancer-internal: \"true\"`, \
        `service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"`, \
        `networking.gke.io/load-balancer-type: Internal`); publish HTTP services through an \
        Ingress instead.",
    frameworks: &["nsa-cisa-k8s-1.2:net-exposure"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"type": "LoadBalancer", "loadBalancerSourceRanges": ["203.0.113.0/24"], "ports": [{"port": 443}]}}"#,
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop", "annotations": {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}}, "spec": {"type": "LoadBalancer", "ports": [{"port": 443}]}}"#,
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"ports": [{"port": 443}]}}"#,
        ],
        fail: &[
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "shop"}, "spec": {"type": "LoadBalancer", "ports": [{"port": 5432}]}}"#,
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"}, "spec": {"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8", "0.0.0.0/0"], "ports": [{"port": 443}]}}"#,
        ],
    },
    notes: "Recognized internal-load-balancer annotations: AWS (both controllers), Azure, \
        GKE, OCI, IBM Cloud, Alibaba Cloud and OpenStack. The \
        `service.beta.kubernetes.io/load-balancer-source-ranges` annotation counts like \
        the spec field.",
};

/// A CIDR that admits every address.
fn is_world(cidr: &str) -> bool {
    let c = cidr.trim();
    c == "0.0.0.0/0" || c == "::/0"
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let t = match service_type(r) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let who = describe(r);
    if t != "LoadBalancer" {
        return Outcome::Pass(format!("{who} is of type {t}, not LoadBalancer"));
    }
    if let Some((key, value)) = INTERNAL_LB_ANNOTATIONS.iter().find_map(|(k, vals)| {
        annotation(r, k)
            .filter(|v| vals.iter().any(|w| v.eq_ignore_ascii_case(w)))
            .map(|v| (*k, v))
    }) {
        return Outcome::Pass(format!(
            "{who} requests an internal load balancer ({key}: {value})"
        ));
    }
    let mut ranges: Vec<String> = match field(r, "/spec/loadBalancerSourceRanges") {
        Ok(v) => str_list(v).into_iter().map(str::to_string).collect(),
        Err(o) => return o,
    };
    if let Some(a) = annotation(r, "service.beta.kubernetes.io/load-balancer-source-ranges") {
        ranges.extend(
            a.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    if ranges.is_empty() {
        return Outcome::Fail(format!(
            "{who} is a LoadBalancer with no source ranges and no internal annotation: it accepts connections from anywhere"
        ));
    }
    if ranges.iter().any(|c| is_world(c)) {
        return Outcome::Fail(format!(
            "{who} is a LoadBalancer whose source ranges include the whole internet ({})",
            ranges.join(", ")
        ));
    }
    Outcome::Pass(format!(
        "{who} is a LoadBalancer restricted to {}",
        ranges.join(", ")
    ))
}
