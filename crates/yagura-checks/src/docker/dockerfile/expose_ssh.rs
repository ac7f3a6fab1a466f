use super::common::{of_keyword, verdict, KIND};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-015",
    title: "Dockerfile does not expose the SSH port",
    severity: Severity::Medium,
    kind: KIND,
    rationale: "A container that exposes port 22 runs an SSH daemon: another long-lived service \
        with credentials or keys to manage, and a remote login path that bypasses the \
        orchestrator's access control and audit (`docker exec`/`kubectl exec`).",
    remediation: "Remove the SSH server and `EXPOSE 22`; use `docker exec` or `kubectl exec` \
        (or a debug sidecar) for interactive access.",
    frameworks: &["nist-800-53-r5:CM-7", "nist-800-53-r5:AC-17"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "EXPOSE", "arguments": "8080/tcp 9090", "start_line": 5}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "EXPOSE", "arguments": "80 22/tcp", "start_line": 5}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "EXPOSE", "arguments": "$PORT", "expanded": "20-25", "start_line": 5}]}]}"#,
        ],
    },
    notes: "",
};

/// Whether an EXPOSE item (`22`, `22/tcp`, `20-25/udp`) covers port 22 over TCP.
fn covers_ssh(item: &str) -> bool {
    let (ports, proto) = item.split_once('/').unwrap_or((item, "tcp"));
    if !proto.eq_ignore_ascii_case("tcp") {
        return false;
    }
    let (lo, hi) = ports.split_once('-').unwrap_or((ports, ports));
    match (lo.trim().parse::<u32>(), hi.trim().parse::<u32>()) {
        (Ok(lo), Ok(hi)) => lo <= 22 && 22 <= hi,
        _ => false,
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let exposes = match of_keyword(r, "EXPOSE") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    let mut unknown = Vec::new();
    for e in &exposes {
        match e.expanded() {
            Ok(text) => {
                if text.split_whitespace().any(covers_ssh) {
                    fails.push(format!("line {}: EXPOSE {text} includes port 22", e.line()));
                }
            }
            Err(expr) => unknown.push(format!(
                "line {}: EXPOSE `{expr}` depends on a build argument",
                e.line()
            )),
        }
    }
    verdict(fails, unknown, "port 22 is not exposed")
}

#[cfg(test)]
mod tests {
    use super::covers_ssh;

    #[test]
    fn port_items() {
        assert!(covers_ssh("22"));
        assert!(covers_ssh("22/TCP"));
        assert!(covers_ssh("1-1024/tcp"));
        assert!(!covers_ssh("22/udp"));
        assert!(!covers_ssh("2222"));
        assert!(!covers_ssh("x"));
    }
}
