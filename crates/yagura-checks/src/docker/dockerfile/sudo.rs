use super::common::{of_keyword, verdict, KIND};
use super::shell::{base_name, commands};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "DOCKER-FILE-012",
    title: "Dockerfile does not use sudo",
    severity: Severity::Medium,
    kind: KIND,
    rationale: "sudo in a Dockerfile means the image ships a setuid-root binary and a sudoers \
        policy, so any process in the container can try to regain root; it also behaves \
        unpredictably without a TTY. Steps that need root should run as root explicitly.",
    remediation: "Drop sudo: run privileged steps before switching user (`USER root` ... then \
        `USER app`), and remove the sudo package from the image.",
    frameworks: &["nist-800-53-r5:AC-6", "nist-800-53-r5:AC-6(2)"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "apt-get install -y sudo-doc=1 && echo sudo", "exec_form": null, "start_line": 2}]}]}"#,
        ],
        fail: &[
            r#"{"stages": [{"instructions": [{"instruction": "RUN", "arguments": "sudo apt-get install -y curl", "exec_form": null, "start_line": 6}]}]}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let runs = match of_keyword(r, "RUN") {
        Ok(a) => a,
        Err(o) => return o,
    };
    let mut fails = Vec::new();
    for run in &runs {
        let uses = commands(&run.script()).iter().any(|c| {
            c.words
                .iter()
                .find(|w| !w.contains('='))
                .is_some_and(|w| base_name(w) == "sudo")
        });
        if uses {
            fails.push(format!("line {}: RUN uses sudo", run.line()));
        }
    }
    verdict(fails, Vec::new(), "no RUN uses sudo")
}
