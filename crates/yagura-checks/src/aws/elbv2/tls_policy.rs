use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-ELB-006",
    title: "Load balancer TLS listeners use a security policy without TLS 1.0/1.1",
    severity: Severity::Medium,
    kind: "aws.elbv2.load_balancer",
    rationale: "TLS 1.0 and 1.1 have known weaknesses, lack modern cipher suites and are \
        deprecated by the IETF (RFC 8996). A listener whose security policy still accepts them \
        lets clients, or an attacker forcing a downgrade, use protection that is no longer \
        considered adequate.",
    remediation: "Switch each HTTPS/TLS listener to a TLS 1.2+ policy such as \
        ELBSecurityPolicy-TLS13-1-2-2021-06: `aws elbv2 modify-listener --listener-arn ARN \
        --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06`.",
    frameworks: &[
        "nist-800-53-r5:SC-8",
        "nist-800-53-r5:SC-13",
        "pci-dss-4.0:4.2.1",
        "pci-dss-4.0:2.2.5",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"type": "application", "listeners": [{"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "redirects_to_https": false}, {"port": 80, "protocol": "HTTP", "ssl_policy": null, "redirects_to_https": true}]}"#,
            r#"{"type": "network", "listeners": [{"port": 8443, "protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-FS-1-2-Res-2020-10", "redirects_to_https": false}]}"#,
            r#"{"type": "network", "listeners": [{"port": 22, "protocol": "TCP", "ssl_policy": null, "redirects_to_https": false}]}"#,
        ],
        fail: &[
            r#"{"type": "application", "listeners": [{"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08", "redirects_to_https": false}]}"#,
            r#"{"type": "network", "listeners": [{"port": 443, "protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-1-2021-06", "redirects_to_https": false}, {"port": 8443, "protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "redirects_to_https": false}]}"#,
        ],
    },
    notes: "Predefined policy names encode their minimum TLS version; an unrecognised name makes \
        the check NOT_ASSESSED rather than guessed.",
};

/// Whether a predefined ELB security policy accepts only TLS 1.2 and later:
/// `Some(false)` when it also accepts TLS 1.0 or 1.1, `None` when the name is unknown.
pub(crate) fn tls12_minimum(policy: &str) -> Option<bool> {
    const LEGACY_NAMES: &[&str] = &[
        "ELBSecurityPolicy-2015-05",
        "ELBSecurityPolicy-2016-08",
        "ELBSecurityPolicy-FS-2018-06",
    ];
    const LEGACY_MARKERS: &[&str] = &[
        "-TLS-1-0-",
        "-TLS-1-1-",
        "-FS-1-1-",
        "-TLS13-1-0-",
        "-TLS13-1-1-",
    ];
    const MODERN_MARKERS: &[&str] = &["-TLS-1-2-", "-FS-1-2-", "-TLS13-1-2-", "-TLS13-1-3-"];
    if LEGACY_NAMES.iter().any(|n| n.eq_ignore_ascii_case(policy)) {
        return Some(false);
    }
    let p = policy.to_ascii_uppercase();
    if LEGACY_MARKERS.iter().any(|m| p.contains(m)) {
        return Some(false);
    }
    if MODERN_MARKERS.iter().any(|m| p.contains(m)) {
        return Some(true);
    }
    None
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let listeners = match r.attr("listeners").array() {
        Ok(l) => l,
        Err(e) => return e.into(),
    };
    let mut legacy = Vec::new();
    let mut unknown = Vec::new();
    let mut modern = Vec::new();
    for l in listeners {
        let proto = l.get("protocol").and_then(Value::as_str).unwrap_or("");
        if proto != "HTTPS" && proto != "TLS" {
            continue;
        }
        let port = l
            .get("port")
            .and_then(Value::as_i64)
            .map_or("?".to_string(), |p| p.to_string());
        match l.get("ssl_policy").and_then(Value::as_str) {
            Some(policy) => match tls12_minimum(policy) {
                Some(true) => modern.push(format!("{proto} {port} ({policy})")),
                Some(false) => legacy.push(format!("{proto} {port} uses {policy}")),
                None => unknown.push(format!("{proto} {port} uses unrecognised policy {policy}")),
            },
            None => unknown.push(format!("{proto} {port} has no observed security policy")),
        }
    }
    if !legacy.is_empty() {
        return Outcome::Fail(format!(
            "listener(s) accept TLS 1.0/1.1: {}",
            legacy.join("; ")
        ));
    }
    if !unknown.is_empty() {
        return Outcome::NotAssessed(unknown.join("; "));
    }
    if modern.is_empty() {
        Outcome::Pass("the load balancer has no HTTPS or TLS listener".into())
    } else {
        Outcome::Pass(format!(
            "TLS listeners require TLS 1.2 or later: {}",
            modern.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{tls12_minimum, CHECK};
    use crate::aws::s3::testutil::run;
    use yagura_model::Outcome;

    #[test]
    fn unknown_policy_is_not_assessed_but_a_legacy_one_still_fails() {
        let unknown =
            r#"{"listeners": [{"port": 443, "protocol": "HTTPS", "ssl_policy": "custom"}]}"#;
        assert!(matches!(run(&CHECK, unknown), Outcome::NotAssessed(_)));
        let mixed = r#"{"listeners": [{"port": 443, "protocol": "HTTPS", "ssl_policy": "custom"}, {"port": 8443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08"}]}"#;
        assert!(matches!(run(&CHECK, mixed), Outcome::Fail(_)));
    }

    #[test]
    fn policy_names() {
        assert_eq!(
            tls12_minimum("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            Some(true)
        );
        assert_eq!(
            tls12_minimum("ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"),
            Some(true)
        );
        assert_eq!(
            tls12_minimum("ELBSecurityPolicy-TLS-1-2-Ext-2018-06"),
            Some(true)
        );
        assert_eq!(tls12_minimum("ELBSecurityPolicy-2016-08"), Some(false));
        assert_eq!(
            tls12_minimum("ELBSecurityPolicy-TLS-1-1-2017-01"),
            Some(false)
        );
        assert_eq!(
            tls12_minimum("ELBSecurityPolicy-TLS13-1-0-2021-06"),
            Some(false)
        );
        assert_eq!(tls12_minimum("my-custom-policy"), None);
    }
}
