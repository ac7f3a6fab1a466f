use super::common::{external_bases, reference, stages, verdict, KIND};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::iac::is_unknown;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-004",
    title: "Dockerfile base images use an explicit tag other than latest",
    severity: Severity::Medium,
    kind: KIND,
    rationale:
        "`latest`, or no tag at all, points at whatever the publisher pushed last. Builds are \
        not reproducible, a reviewed image can be swapped for an untested major version, and a \
        hijacked tag flows into every rebuild.",
    remediation:
        "Name a specific version in every FROM (`FROM python:3.12.4-slim`), ideally with its \
        digest (`FROM python:3.12.4-slim@sha256:...`), and update it deliberately.",
    frameworks: &[
        "cis-docker-1.6:4.2",
        "nist-800-53-r5:CM-2",
        "nist-800-53-r5:SI-7",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"from_line": 1, "base": {"reference": "python:3.12-slim", "image": "python", "tag": "3.12-slim", "digest": null, "stage": null, "scratch": false}}]}"#,
            r#"{"stages": [{"from_line": 1, "base": {"reference": "scratch", "image": "scratch", "tag": null, "digest": null, "stage": null, "scratch": true}}]}"#,
            r#"{"stages": [{"from_line": 1, "base": {"reference": "alpine@sha256:ab", "image": "alpine", "tag": null, "digest": "sha256:ab", "stage": null, "scratch": false}}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"from_line": 1, "base": {"reference": "ubuntu", "image": "ubuntu", "tag": null, "digest": null, "stage": null, "scratch": false}}]}"#,
            r#"{"stages": [{"from_line": 4, "base": {"reference": "node:latest", "image": "node", "tag": "latest", "digest": null, "stage": null, "scratch": false}}]}"#,
        ],
    },
    notes: "Stages built FROM an earlier stage and `FROM scratch` are not images from a registry \
        and are skipped. A tag set by a build argument without a default is NOT_ASSESSED.",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let stages = match stages(r) {
        Ok(s) => s,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    let mut unknown = Vec::new();
    for (line, base) in external_bases(stages) {
        let image = reference(base);
        let digest = base.get("digest").unwrap_or(&Value::Null);
        if digest.as_str().is_some_and(|d| !d.is_empty()) {
            continue;
        }
        match base.get("tag") {
            Some(t) if is_unknown(t) => unknown.push(format!(
                "line {line}: the tag of `{image}` comes from a build argument without a default"
            )),
            Some(Value::String(t)) if t == "latest" => {
                fails.push(format!("line {line}: FROM {image} uses the latest tag"))
            }
            Some(Value::String(_)) => {}
            Some(Value::Null) => fails.push(format!(
                "line {line}: FROM {image} has no tag, so it pulls latest"
            )),
            _ => unknown.push(format!(
                "line {line}: the tag of `{image}` was not observed"
            )),
        }
    }
    verdict(
        fails,
        unknown,
        "every base image names a specific tag or digest",
    )
}
