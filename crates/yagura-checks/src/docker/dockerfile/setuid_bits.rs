use super::common::KIND;
use super::mode::no_mode_grants;
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-018",
    title: "Dockerfile does not add setuid or setgid permissions",
    severity: Severity::Medium,
    kind: KIND,
    rationale: "A setuid or setgid binary runs with its owner's or group's rights whatever user \
        starts it; in a container that is usually root. Each one is a ready-made privilege \
        escalation path if the binary has a flaw or can be abused.",
    remediation: "Do not set the s bit (`chmod u+s`, `chmod 4755`, `COPY --chmod=4755`); grant \
        the specific capability the program needs at runtime instead, and consider stripping \
        existing bits: `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`.",
    frameworks: &["cis-docker-1.6:4.8", "nist-800-53-r5:AC-6"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "find / -xdev -perm /6000 -type f -exec chmod a-s {} +", "exec_form": null, "flags": {}, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "chmod u+s /usr/local/bin/tool", "exec_form": null, "flags": {}, "start_line": 4}]}]}"#,
            r#"{"stages": [{"instructions": [{"instruction": "COPY", "arguments": "tool /bin/tool", "exec_form": null, "flags": {"chmod": "4755"}, "start_line": 4}]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    no_mode_grants(
        r,
        |g| g.setuid_or_setgid,
        "sets setuid/setgid",
        "no instruction sets setuid or setgid bits",
    )
}
