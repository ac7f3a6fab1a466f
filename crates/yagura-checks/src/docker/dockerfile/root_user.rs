use super::common::{final_stage, stages, KIND};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::iac::{is_unknown, unknown_reason};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-001",
    title: "Dockerfile sets a non-root USER for the final image",
    severity: Severity::Medium,
    kind: KIND,
    rationale: "A container whose process runs as root (uid 0) turns any code-execution bug into \
        root inside the container, and root there is one kernel or runtime flaw away from root on \
        the host. Setting a dedicated unprivileged user in the image makes non-root the default \
        for every place the image runs.",
    remediation:
        "Create an unprivileged user in the final stage (`RUN useradd -r -u 10001 app` or \
        `adduser -D -u 10001 app`) and switch to it with `USER 10001` (a numeric id lets \
        Kubernetes verify runAsNonRoot) after the steps that need root.",
    frameworks: &[
        "cis-docker-1.6:4.1",
        "nist-800-53-r5:AC-6",
        "nist-800-53-r5:AC-6(2)",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"index": 0, "base": {"image": "debian", "tag": "12", "digest": null, "stage": null, "scratch": false}, "instructions": []}], "user": {"name": "10001", "line": 7, "stage": 0}}"#,
            r#"{"stages": [{"index": 0}], "user": {"name": "app:app", "line": 3, "stage": 0}}"#,
        ],
        fail: &[
            r#"{"stages": [{"index": 0}], "user": null}"#,
            r#"{"stages": [{"index": 0}], "user": {"name": "root", "line": 9, "stage": 0}}"#,
            r#"{"stages": [{"index": 0}], "user": {"name": "0:0", "line": 9, "stage": 0}}"#,
        ],
    },
    notes: "Only the Dockerfile is read: a base image that already sets a non-root user is not \
        seen, so a final stage without USER fails; add an explicit USER to document the intent.",
};

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name == "root" || name == "0"
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let stages = match stages(r) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let user = match r.attr("user").value() {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    if user.is_null() {
        return Outcome::Fail(format!(
            "{}: the final stage sets no USER, so the container runs as root unless the base \
             image chose another user",
            final_stage(stages)
        ));
    }
    let line = user.get("line").and_then(Value::as_u64).unwrap_or(0);
    match user.get("name") {
        Some(v) if is_unknown(v) => Outcome::NotAssessed(format!(
            "line {line}: USER `{}` depends on a build argument without a default",
            unknown_reason(v).unwrap_or("?")
        )),
        Some(Value::String(name)) if is_root(name) => Outcome::Fail(format!(
            "line {line}: USER {name} makes the image run as root"
        )),
        Some(Value::String(name)) if name.is_empty() => {
            Outcome::Fail(format!("line {line}: USER is empty"))
        }
        Some(Value::String(name)) => {
            Outcome::Pass(format!("line {line}: the final image runs as user {name}"))
        }
        _ => Outcome::NotAssessed("attribute `user.name` was not observed".into()),
    }
}
