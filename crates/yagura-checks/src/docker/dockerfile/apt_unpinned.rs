use super::common::KIND;
use super::pkg::{apt, unpinned_installs, Pinning};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-009",
    title: "Dockerfile pins package versions in apt-get install",
    severity: Severity::Low,
    kind: KIND,
    rationale:
        "Unversioned apt installs take whatever the mirror serves on the day of the build, so \
        two builds of the same Dockerfile differ, a vulnerable or broken version can slip in \
        unnoticed, and an image cannot be rebuilt to a known state.",
    remediation: "Pin each package to a version (`apt-get install -y --no-install-recommends \
        curl=7.88.1-10+deb12u5`) and update the pins deliberately, e.g. with a dependency bot.",
    frameworks: &["nist-800-53-r5:CM-2", "nist-800-53-r5:CM-3"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 ./local.deb", "exec_form": null, "start_line": 3}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get update && apt-get install -y curl git=1:2.39", "exec_form": null, "start_line": 3}]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    unpinned_installs(
        r,
        &Pinning {
            parse: apt,
            sub: "install",
            label: None,
            skip: |_| false,
            pinned: |p| p.contains('=') || p.ends_with(".deb"),
            missing: "a version",
            pass: "every apt-get install pins its package versions",
        },
    )
}
