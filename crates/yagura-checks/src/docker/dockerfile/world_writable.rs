use super::common::KIND;
use super::mode::no_mode_grants;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-016",
    title: "Dockerfile does not make files world-writable (chmod 777)",
    severity: Severity::Medium,
    kind: KIND,
    rationale: "World-writable files and directories let any user or process in the container \
        replace binaries, scripts or configuration that a more privileged process later runs, \
        turning a low-privilege foothold into control of the application.",
    remediation: "Give files to the user that needs them (`COPY --chown=app:app`, `chown`) with \
        modes like 755/644 (or 750/640); for shared scratch directories use the sticky bit (1777).",
    frameworks: &["nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "chmod 755 /app && chmod 1777 /scratch", "exec_form": null, "flags": {}, "start_line": 2}, {"instruction": "COPY", "arguments": "app /app", "exec_form": null, "flags": {"chmod": "0644"}, "start_line": 3}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "chmod -R 777 /app", "exec_form": null, "flags": {}, "start_line": 5}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "COPY", "arguments": "app /app", "exec_form": null, "flags": {"chmod": "666"}, "start_line": 3}]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    no_mode_grants(
        r,
        |g| g.world_writable,
        "makes files world-writable",
        "no instruction makes files world-writable",
    )
}
