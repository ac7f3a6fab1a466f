use super::common::{external_bases, reference, stages, verdict, KIND};
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::iac::is_unknown;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-005",
    title: "Dockerfile base images are pinned by digest",
    severity: Severity::Low,
    kind: KIND,
    rationale:
        "Tags are mutable: the publisher, or anyone who takes over the repository, can point \
        `3.12` at different content. Only a content digest guarantees that the base image \
        reviewed and scanned is the one the build uses.",
    remediation:
        "Append the digest to each FROM (`FROM node:20.14-alpine@sha256:<digest>`; get it \
        with `docker buildx imagetools inspect IMAGE`) and let a dependency bot raise updates.",
    frameworks: &[
        "cis-docker-1.6:4.2",
        "nist-800-53-r5:SI-7",
        "nist-800-53-r5:CM-2",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"from_line": 1, "base": {"reference": "node:20@sha256:9f", "image": "node", "tag": "20", "digest": "sha256:9f", "stage": null, "scratch": false}}, {"from_line": 5, "base": {"reference": "build", "image": "build", "tag": null, "digest": null, "stage": "build", "scratch": false}}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"from_line": 1, "base": {"reference": "node:20", "image": "node", "tag": "20", "digest": null, "stage": null, "scratch": false}}]}"#,
        ],
    },
    notes: "",
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
        match base.get("digest") {
            Some(d) if is_unknown(d) => unknown.push(format!(
                "line {line}: `{image}` depends on a build argument without a default"
            )),
            Some(Value::String(d)) if !d.is_empty() => {}
            Some(Value::Null) | Some(Value::String(_)) => {
                fails.push(format!("line {line}: FROM {image} is not pinned by digest"))
            }
            _ => unknown.push(format!(
                "line {line}: the digest of `{image}` was not observed"
            )),
        }
    }
    verdict(fails, unknown, "every base image is pinned by digest")
}
