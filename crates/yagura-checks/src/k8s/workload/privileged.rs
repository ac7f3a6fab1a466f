use super::pod::{each_container, is_true, ALL};
use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-001",
    title: "Containers do not run privileged",
    severity: Severity::Critical,
    kind: "k8s.workload",
    rationale: "A privileged container gets every Linux capability and access to all host \
        devices, with the runtime's confinement switched off. A process in it is effectively \
        root on the node, so one compromised container becomes a compromised node and every \
        pod and secret on it.",
    remediation: "Remove `securityContext.privileged: true` from the container. Grant the \
        one capability the workload actually needs instead (and review why it needs it), or \
        move node-level tasks into a managed DaemonSet owned by the platform team.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.2",
        "k8s-pss:baseline:privileged-containers",
        "nsa-cisa-k8s-1.2:pod-privileged",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"privileged": false}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1", "securityContext": {"privileged": true}}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "initContainers": [{"name": "setup", "image": "r/s:1", "securityContext": {"privileged": true}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    each_container(r, ALL, "no container runs privileged", |_, c| {
        is_true(c.sc("privileged")).then(|| "runs privileged".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::k8s::workload::pod::testutil::run;
    use yagura_model::Outcome;

    #[test]
    fn the_message_names_the_container() {
        let o = run(&CHECK, CHECK.fixtures.fail[1]);
        assert_eq!(
            o,
            Outcome::Fail("init container \"setup\" runs privileged".into())
        );
    }
}
