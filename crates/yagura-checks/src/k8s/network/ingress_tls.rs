use crate::k8s::rbac::common::{describe, field, manifest_kind, str_list};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-NET-007",
    title: "Ingress serves its hosts over TLS",
    severity: Severity::Medium,
    kind: "k8s.network.ingress",
    rationale: "Hosts an Ingress does not list under `tls` are served over plain HTTP, so \
        credentials, session cookies and data cross the network readable and alterable by \
        anyone on the path.",
    remediation: "Add a `spec.tls` entry naming every host of the Ingress rules with the \
        Secret holding its certificate (cert-manager can issue and renew it), and redirect \
        HTTP to HTTPS in the ingress controller.",
    frameworks: &["nsa-cisa-k8s-1.2:net-exposure"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "shop", "namespace": "shop"}, "spec": {"tls": [{"hosts": ["*.example.com"], "secretName": "shop-tls"}], "rules": [{"host": "shop.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}"#,
        ],
        fail: &[
            r#"{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "shop", "namespace": "shop"}, "spec": {"rules": [{"host": "shop.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}"#,
            r#"{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "shop", "namespace": "shop"}, "spec": {"tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}], "rules": [{"host": "shop.example.com"}, {"host": "admin.example.org"}]}}"#,
        ],
    },
    notes: "A `tls` entry without `hosts` covers every host (the controller's default \
        certificate); a wildcard host covers one DNS label.",
};

/// Whether a TLS host pattern covers `host` (`*.example.com` covers one label).
fn covers(pattern: &str, host: &str) -> bool {
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    match (pattern.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((_, rest))) => rest.eq_ignore_ascii_case(suffix),
        _ => false,
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    if let Err(o) = manifest_kind(r) {
        return o;
    }
    let who = describe(r);
    let tls = match field(r, "/spec/tls") {
        Ok(Some(Value::Array(a))) => a.as_slice(),
        Ok(_) => &[],
        Err(o) => return o,
    };
    if tls.is_empty() {
        return Outcome::Fail(format!(
            "{who} has no TLS configuration: it serves plain HTTP"
        ));
    }
    let rules = match field(r, "/spec/rules") {
        Ok(Some(Value::Array(a))) => a.as_slice(),
        Ok(_) => &[],
        Err(o) => return o,
    };
    let any_host = tls.iter().any(|t| str_list(t.get("hosts")).is_empty());
    let tls_hosts: Vec<&str> = tls.iter().flat_map(|t| str_list(t.get("hosts"))).collect();
    let plain: Vec<&str> = rules
        .iter()
        .filter_map(|rule| rule.get("host").and_then(Value::as_str))
        .filter(|h| !any_host && !tls_hosts.iter().any(|p| covers(p, h)))
        .collect();
    if plain.is_empty() {
        Outcome::Pass(format!("{who} serves its hosts over TLS"))
    } else {
        Outcome::Fail(format!(
            "{who} has no TLS entry for host(s) {}, which are served over plain HTTP",
            plain.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcard_hosts_cover_one_label() {
        assert!(covers("*.example.com", "shop.example.com"));
        assert!(!covers("*.example.com", "a.shop.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(covers("Shop.Example.com", "shop.example.com"));
    }
}
