use super::common::{final_stage, stages, KIND};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-008",
    title: "Dockerfile defines a HEALTHCHECK for the final image",
    severity: Severity::Low,
    kind: KIND,
    rationale: "Without a health check the runtime only knows whether the process exists, not \
        whether it still serves. A hung or half-broken container keeps receiving traffic and is \
        never restarted, which hurts availability and hides failures from monitoring.",
    remediation: "Add a HEALTHCHECK to the final stage that probes the service, for example \
        `HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1`. \
        (Kubernetes ignores it; define liveness/readiness probes there.)",
    frameworks: &["cis-docker-1.6:4.6", "nist-800-53-r5:SI-4"],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"stages": [{"index": 0}], "healthcheck": {"disabled": false, "line": 9, "stage": 0}}"#],
        fail: &[
            r#"{"stages": [{"index": 0}], "healthcheck": null}"#,
            r#"{"stages": [{"index": 0}], "healthcheck": {"disabled": true, "line": 4, "stage": 0}}"#,
        ],
    },
    notes: "A health check inherited from the base image is not visible in the Dockerfile.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let stages = match stages(r) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let hc = match r.attr("healthcheck").value() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if hc.is_null() {
        return Outcome::Fail(format!(
            "{}: the final stage has no HEALTHCHECK instruction",
            final_stage(stages)
        ));
    }
    let line = hc.get("line").and_then(Value::as_u64).unwrap_or(0);
    match hc.get("disabled").and_then(Value::as_bool) {
        Some(true) => Outcome::Fail(format!(
            "line {line}: HEALTHCHECK NONE disables the health check"
        )),
        Some(false) => Outcome::Pass(format!("line {line}: a HEALTHCHECK is defined")),
        None => Outcome::NotAssessed("attribute `healthcheck.disabled` was not observed".into()),
    }
}
