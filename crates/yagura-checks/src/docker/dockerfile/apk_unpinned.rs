use super::common::KIND;
use super::pkg::{apk, unpinned_installs, Pinning};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-010",
    title: "Dockerfile pins package versions in apk add",
    severity: Severity::Low,
    kind: KIND,
    rationale: "Unversioned apk installs take whatever the Alpine mirror serves at build time, so \
        images built from the same file differ, a broken or vulnerable version can slip in, and \
        a known-good image cannot be reproduced.",
    remediation: "Pin each package (`apk add --no-cache curl=8.9.1-r1`, or `curl~8.9` to accept \
        patch releases) and update the pins deliberately.",
    frameworks: &["nist-800-53-r5:CM-2", "nist-800-53-r5:CM-3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apk add --no-cache --virtual .deps curl=8.9.1-r1 git~2.45", "exec_form": null, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apk add --no-cache curl", "exec_form": null, "start_line": 2}]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    unpinned_installs(
        r,
        &Pinning {
            parse: apk,
            sub: "add",
            label: None,
            skip: |_| false,
            pinned: |p| p.contains(['=', '~', '<', '>']) || p.ends_with(".apk"),
            missing: "a version",
            pass: "every apk add pins its package versions",
        },
    )
}
